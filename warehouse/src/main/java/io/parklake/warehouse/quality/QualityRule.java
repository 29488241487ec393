package io.parklake.warehouse.quality;

/**
 * Every reason a source row version can be quarantined for: the one definition of the strings a
 * quarantined row carries in {@code lake/quarantine/<table>}'s {@link QualityRules#RULES} column, which
 * the run log's per-rule counts, the CSV export and the README show unchanged. A rule about one column
 * reads {@code rule:column} ({@code unknown_fk:user_id}); the others are the bare name
 * ({@code end_before_start}).
 */
public enum QualityRule {
  /** A foreign key whose row is not in the source (checked against the source itself). */
  UNKNOWN_FK("unknown_fk", true),
  /** An enumeration column holding a value outside its accepted set (or null). */
  UNKNOWN_ENUM("unknown_enum", true),
  /** An end time (exit, resolution, expiry) before its start. */
  END_BEFORE_START("end_before_start", false),
  /** An amount that is missing where it is required, or negative (a payment of zero too). */
  MONEY_MISSING_OR_NEGATIVE("money_missing_or_negative", false),
  /** A succeeded or refunded payment without {@code paid_at}. */
  PAID_WITHOUT_TIME("paid_without_time", false),
  /** A camera detection whose confidence is missing or outside [0, 1]. */
  CONFIDENCE_OUT_OF_RANGE("confidence_out_of_range", false),
  /** A timestamp after the batch's high watermark (plus five minutes). */
  TIMESTAMP_IN_FUTURE("timestamp_in_future", false),
  /** A facility whose time zone PostgreSQL does not know, so no business date can be computed. */
  FACILITY_TIMEZONE_UNKNOWN("facility_timezone_unknown", false),
  /** A negative number of spots. */
  CAPACITY_NEGATIVE("capacity_negative", false),
  /** A camera detection repeating the same camera, track and direction within 10 s (the copies). */
  DUPLICATE_DETECTION("duplicate_detection", false);

  private final String name;
  private final boolean perColumn;

  QualityRule(String name, boolean perColumn) {
    this.name = name;
    this.perColumn = perColumn;
  }

  /** Whether the rule is about one column and is written {@code rule:column}. */
  public boolean perColumn() {
    return perColumn;
  }

  /** The string in {@code _rules} for a rule about no particular column. */
  public String reason() {
    if (perColumn) {
      throw new IllegalStateException(name + " is about one column: use on(column)");
    }
    return name;
  }

  /** The string in {@code _rules} for a rule about one column, e.g. {@code unknown_fk:user_id}. */
  public String on(String column) {
    if (!perColumn) {
      throw new IllegalStateException(name + " is about no particular column: use reason()");
    }
    return name + ":" + column;
  }

  /** How documentation names the rule: {@code unknown_fk:<column>}, or the reason itself. */
  public String pattern() {
    return perColumn ? name + ":<column>" : name;
  }
}
