package io.parklake.pipelines.extract;

import static io.parklake.pipelines.extract.SourceFixture.exec;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.lake.LakeLayout.Layer;
import io.parklake.warehouse.quality.QualityRules;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.testing.TestSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad row per quarantine rule is written into a source already extracted once; the next
 * extraction must put exactly those rows in quarantine with exactly their rules, keep them out of
 * silver, count them per rule, and still reconcile with the source.
 */
class QuarantineRulesIT {
  private static final List<SourceTable> TABLES = List.of(SourceTable.FACILITIES, SourceTable.USER_SUBSCRIPTIONS,
      SourceTable.BOOKINGS, SourceTable.VIOLATIONS, SourceTable.PAYMENTS, SourceTable.PARKING_EVENTS, SourceTable.AUDIT_LOGS);

  @TempDir static Path tmp;
  private static DatabaseAddress db;
  private static LakeLayout lake;
  private static List<ExtractStats> second;
  private static final Map<String, List<String>> EXPECTED = new TreeMap<>();

  @BeforeAll
  static void extractThenBreakThenExtract() throws Exception {
    db = SourceFixture.copy("quarantine");
    lake = new LakeLayout(tmp.resolve("lake"));
    LakeExtraction extraction = new LakeExtraction(TestSpark.session(), db, db, lake, FaultInjector.NONE);
    extraction.extract(TABLES, Duration.ofHours(1), "clean");

    String booking = "status = 'COMPLETED'";
    copy("bookings", "b0000000-0000-4000-8000-000000000001", booking, Map.of("actual_exit", "entry_time - interval '1 hour'"),
        "end_before_start");
    copy("bookings", "b0000000-0000-4000-8000-000000000002", booking, Map.of("final_price", "-5.00"),
        "money_missing_or_negative");
    copy("bookings", "b0000000-0000-4000-8000-000000000003", booking, Map.of("user_id", "gen_random_uuid()"),
        "unknown_fk:user_id");
    copy("bookings", "b0000000-0000-4000-8000-000000000004", booking, Map.of("status", "'TELEPORTED'"),
        "unknown_enum:status");
    copy("bookings", "b0000000-0000-4000-8000-000000000005", booking,
        Map.of("entry_time", "now() + interval '2 days'", "expected_exit", "now() + interval '3 days'",
            "actual_exit", "now() + interval '3 days'"), "timestamp_in_future");
    copy("bookings", "b0000000-0000-4000-8000-000000000006", booking,
        Map.of("final_price", "NULL", "spot_id", "gen_random_uuid()"), "money_missing_or_negative", "unknown_fk:spot_id");
    copy("payments", "c0000000-0000-4000-8000-000000000001", "status = 'SUCCEEDED'", Map.of("amount", "NULL"),
        "money_missing_or_negative");
    copy("payments", "c0000000-0000-4000-8000-000000000002", "status = 'SUCCEEDED'", Map.of("provider", "'BITCOIN'"),
        "unknown_enum:provider");
    copy("payments", "c0000000-0000-4000-8000-000000000003", "status = 'SUCCEEDED'", Map.of("paid_at", "NULL"),
        "paid_without_time");
    copy("payments", "c0000000-0000-4000-8000-000000000004", "status = 'SUCCEEDED' AND booking_id IS NOT NULL",
        Map.of("booking_id", "gen_random_uuid()"), "unknown_fk:booking_id");
    copy("violations", "d0000000-0000-4000-8000-000000000001", "TRUE",
        Map.of("resolved_at", "violation_time - interval '1 day'"), "end_before_start");
    copy("user_subscriptions", "e0000000-0000-4000-8000-000000000001", "TRUE",
        Map.of("expires_at", "activated_at - interval '1 day'"), "end_before_start");
    copy("facilities", "f0000000-0000-4000-8000-000000000001", "TRUE", Map.of("timezone", "'Mars/Olympus_Mons'"),
        "facility_timezone_unknown");
    copy("bookings", "b0000000-0000-4000-8000-000000000007", booking,
        Map.of("facility_id", "'f0000000-0000-4000-8000-000000000001'"), "facility_timezone_unknown");
    copy("audit_logs", "a0000000-0000-4000-8000-000000000001", "TRUE", Map.of("user_id", "gen_random_uuid()"),
        "unknown_fk:user_id");
    copyEvent(9_000_001L, "ENTRY", "event_time", Map.of("confidence", "1.500"), "confidence_out_of_range");
    copyEvent(9_000_002L, "ENTRY", "event_time", Map.of("direction", "'SIDEWAYS'"), "unknown_enum:direction");
    // The same camera sees the same track again two seconds after an accepted detection.
    copyEvent(9_000_003L, "ENTRY", "event_time + interval '2 seconds'", Map.of(), "duplicate_detection");

    second = extraction.extract(TABLES, Duration.ofHours(1), "dirty");
  }

  @Test
  void each_bad_row_is_quarantined_with_exactly_the_rules_it_breaks() {
    Map<String, List<String>> actual = new TreeMap<>();
    for (SourceTable t : TABLES) {
      for (Row r : LakeAssertions.table(lake, Layer.QUARANTINE, t.tableName()).where(col("_run_id").equalTo("dirty"))
          .select(col("id").cast("string"), col(QualityRules.RULES)).collectAsList()) {
        actual.put(r.getString(0), r.getList(1).stream().map(Object::toString).sorted().toList());
      }
    }
    assertThat(actual).isEqualTo(EXPECTED);
  }

  @Test
  void quarantined_rows_never_reach_silver() {
    for (SourceTable t : TABLES) {
      assertThat(LakeAssertions.table(lake, Layer.SILVER, t.tableName())
          .where(col("id").cast("string").isin(EXPECTED.keySet().toArray())).count()).as(t.tableName()).isZero();
    }
  }

  @Test
  void the_run_counts_quarantined_rows_per_rule() {
    Map<String, Long> expected = new TreeMap<>();
    EXPECTED.values().forEach(rules -> rules.forEach(r -> expected.merge(r, 1L, Long::sum)));
    Map<String, Long> counted = new TreeMap<>();
    long total = 0;
    for (ExtractStats s : second) {
      s.quarantinedByRule().forEach((rule, n) -> counted.merge(rule, n, Long::sum));
      total += s.quarantined();
    }
    assertThat(counted).isEqualTo(expected);
    assertThat(total).isEqualTo(EXPECTED.size());
    assertThat(second.stream().mapToLong(ExtractStats::collapsed).sum()).isEqualTo(1);
  }

  @Test
  void silver_plus_quarantine_still_reconciles_with_the_source() throws Exception {
    LakeExtraction check = new LakeExtraction(TestSpark.session(), db, db, lake, FaultInjector.NONE);
    for (ExtractStats s : second) {
      check.reconcile(SourceTable.named(s.table()), s.affectedDates(), s.high());
      LakeAssertions.assertLakeMatchesSource(db, lake, SourceTable.named(s.table()));
    }
  }

  /** Inserts a copy of the first row matching {@code where}, with a new id, fresh timestamps and the overrides. */
  private static void copy(String table, String id, String where, Map<String, String> overrides, String... rules)
      throws Exception {
    SourceTable t = SourceTable.named(table);
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : t.columnNames()) {
      values.put(name, name);
    }
    values.put("id", "'" + id + "'");
    values.put("created_at", "now()");
    if (values.containsKey("updated_at")) {
      values.put("updated_at", "now()");
    }
    if (values.containsKey("payment_id")) {
      values.put("payment_id", "NULL");
    }
    values.putAll(overrides);
    exec(db, "INSERT INTO " + table + " (" + String.join(", ", values.keySet()) + ") SELECT " + String.join(", ", values.values())
        + " FROM " + table + " WHERE " + where + " ORDER BY id LIMIT 1");
    EXPECTED.put(id, List.of(rules).stream().sorted().toList());
  }

  private static void copyEvent(long id, String direction, String eventTime, Map<String, String> overrides, String rule)
      throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : SourceTable.PARKING_EVENTS.columnNames()) {
      values.put(name, name);
    }
    values.put("id", String.valueOf(id));
    values.put("event_time", eventTime);
    values.put("created_at", "now()");
    if (!rule.equals("duplicate_detection")) {
      values.put("track_id", "'qt-" + id + "'");
    }
    values.putAll(overrides);
    exec(db, "INSERT INTO parking_events (" + String.join(", ", values.keySet()) + ") SELECT " + String.join(", ", values.values())
        + " FROM parking_events WHERE direction = '" + direction + "' AND id IN (SELECT min(id) FROM parking_events "
        + "GROUP BY camera_id, track_id, direction HAVING count(*) = 1) ORDER BY id LIMIT 1");
    EXPECTED.put(String.valueOf(id), List.of(rule));
  }
}
