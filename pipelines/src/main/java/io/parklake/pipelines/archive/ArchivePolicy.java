package io.parklake.pipelines.archive;

import io.parklake.warehouse.source.SourceTable;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How one table is archived (seed 001, "Data Archival Strategy"): rows matching the filter whose
 * aging date is older than the age go to cold storage in units of one month (by that date), with a
 * storage class and, where set, an S3 Object Lock retention; {@code purgeSource} (off unless the
 * operator turns it on: the source is read-only to ParkLake) also deletes them from the source.
 *
 * @param table the lake table
 * @param age rows whose aging date's month ended more than this before the as-of date are archived
 * @param agingDate Spark SQL over silver {@code t} joined with silver facilities {@code f}: the local date that ages
 * @param agingLabel what that date is, for people (manifest, docs)
 * @param rowFilter Spark SQL predicate over {@code t}: which rows may be archived at all (null: every row)
 * @param storageClass the S3 storage class of the archive's objects (GLACIER, DEEP_ARCHIVE, STANDARD_IA...)
 * @param lockRetention how long S3 Object Lock (compliance mode) keeps the objects from deletion; empty: no lock
 * @param purgeSource whether verified rows are also deleted from the operator's database
 */
public record ArchivePolicy(
    SourceTable table,
    Period age,
    String agingDate,
    String agingLabel,
    String rowFilter,
    String storageClass,
    Optional<Period> lockRetention,
    boolean purgeSource) {

  /** The tables that have a policy, in the order an archive run takes them. */
  public static final List<SourceTable> TABLES =
      List.of(SourceTable.AUDIT_LOGS, SourceTable.BOOKINGS, SourceTable.VIOLATIONS, SourceTable.PAYMENTS);

  public static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
      "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE");

  public ArchivePolicy {
    if (!TABLES.contains(table)) {
      throw new IllegalArgumentException("no archive policy for table " + table.tableName() + " (archived: " + names() + ")");
    }
    if (age.isNegative() || age.isZero()) {
      throw new IllegalArgumentException("archive age of " + table.tableName() + " must be positive, was " + age);
    }
    if (!STORAGE_CLASSES.contains(storageClass)) {
      throw new IllegalArgumentException("unknown storage class " + storageClass + " (one of " + STORAGE_CLASSES + ")");
    }
  }

  /** Seed 001's rule for {@code table}: the age, the date that ages and the rows it covers. */
  public static ArchivePolicy defaults(SourceTable table) {
    return switch (table) {
      case BOOKINGS -> new ArchivePolicy(table, Period.ofYears(2), "t.business_date", "entry date (facility's zone)",
          "t.status IN ('COMPLETED', 'CANCELLED', 'NO_SHOW')", "GLACIER", Optional.empty(), false);
      case PAYMENTS -> new ArchivePolicy(table, Period.ofYears(7), "t.business_date",
          "payment date (paid_at, else created_at; facility's zone)", null, "DEEP_ARCHIVE", Optional.empty(), false);
      case AUDIT_LOGS -> new ArchivePolicy(table, Period.ofYears(1), "t.business_date", "audit time (created_at)", null,
          "GLACIER", Optional.empty(), false);
      case VIOLATIONS -> new ArchivePolicy(table, Period.ofYears(5), "to_date(from_utc_timestamp(t.resolved_at, f.timezone))",
          "resolution date (resolved_at, facility's zone)", "t.resolved_at IS NOT NULL", "GLACIER", Optional.empty(), false);
      default -> throw new IllegalArgumentException("no archive policy for table " + table.tableName());
    };
  }

  public ArchivePolicy withAge(Period p) {
    return new ArchivePolicy(table, p, agingDate, agingLabel, rowFilter, storageClass, lockRetention, purgeSource);
  }

  public ArchivePolicy withStorageClass(String s) {
    return new ArchivePolicy(table, age, agingDate, agingLabel, rowFilter, s, lockRetention, purgeSource);
  }

  public ArchivePolicy withLockRetention(Optional<Period> p) {
    return new ArchivePolicy(table, age, agingDate, agingLabel, rowFilter, storageClass, p, purgeSource);
  }

  public ArchivePolicy withPurgeSource(boolean b) {
    return new ArchivePolicy(table, age, agingDate, agingLabel, rowFilter, storageClass, lockRetention, b);
  }

  /** Whether the aging date needs the facility's zone (a join with silver facilities). */
  boolean needsFacility() {
    return agingDate.contains("f.");
  }

  /** The first month not yet archivable on {@code asOf}: a month is archived once it ended more than {@code age} ago. */
  public YearMonth firstKeptMonth(LocalDate asOf) {
    // A month is eligible when its last day is before asOf - age: every month before the one holding that day.
    return YearMonth.from(asOf.minus(age));
  }

  /** The table's name as the environment variable suffix: {@code AUDIT_LOGS}. */
  public static String envName(SourceTable t) {
    return t.tableName().toUpperCase(Locale.ROOT);
  }

  private static String names() {
    return String.join(", ", TABLES.stream().map(SourceTable::tableName).toList());
  }
}
