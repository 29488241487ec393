package io.parklake.pipelines.extract;

import static io.parklake.pipelines.extract.SourceFixture.exec;
import static io.parklake.pipelines.extract.SourceFixture.scalar;
import static io.parklake.pipelines.extract.SourceFixture.text;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.lake.LakeLayout.Layer;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Late updates, late inserts, hard deletes and reconciliation failures, each checked against exact lake contents. */
class IncrementalExtractionIT {
  private static final List<SourceTable> TABLES = List.of(SourceTable.FACILITIES, SourceTable.VEHICLES, SourceTable.BOOKINGS,
      SourceTable.PAYMENTS);
  private static final Duration LOOK_BACK = Duration.ofHours(1);

  @TempDir Path tmp;
  private DatabaseAddress db;
  private LakeLayout lake;
  private LakeExtraction extraction;

  @BeforeEach
  void firstExtraction() throws Exception {
    db = SourceFixture.copy("incremental");
    lake = new LakeLayout(tmp.resolve("lake"));
    extraction = new LakeExtraction(TestSpark.session(), db, db, lake, FaultInjector.NONE);
    extraction.extract(TABLES, LOOK_BACK, "initial");
  }

  @Test
  void a_booking_from_20_days_ago_that_changes_status_and_price_lands_in_its_own_partition_once() throws Exception {
    String id = text(db, "SELECT b.id::text FROM bookings b WHERE b.status = 'COMPLETED' AND b.final_price > 0 "
        + "AND b.entry_time < TIMESTAMPTZ '2026-11-01 00:00+00' ORDER BY b.id LIMIT 1");
    LocalDate entryDay = LocalDate.parse(text(db, "SELECT (b.entry_time AT TIME ZONE f.timezone)::date::text FROM bookings b "
        + "JOIN facilities f ON f.id = b.facility_id WHERE b.id = '" + id + "'"));
    long silverBefore = LakeAssertions.table(lake, Layer.SILVER, "bookings").count();
    exec(db, "UPDATE bookings SET status = 'NO_SHOW', final_price = 12.34, updated_at = now() WHERE id = '" + id + "'");
    List<String> vehicleCommits = commits(lake, "vehicles");

    List<ExtractStats> stats = extraction.extract(TABLES, LOOK_BACK, "late-update");

    // A table nothing happened to costs a query: no lake commit, and its watermark still moves.
    ExtractStats vehicles = stats.stream().filter(s -> s.table().equals("vehicles")).findFirst().orElseThrow();
    assertThat(vehicles.read()).isZero();
    assertThat(commits(lake, "vehicles")).as("bronze and silver commits of an unchanged table").isEqualTo(vehicleCommits);
    assertThat(text(db, "SELECT (high_watermark = (SELECT high_watermark FROM parklake.extraction_watermark WHERE source_table = "
        + "'bookings'))::text FROM parklake.extraction_watermark WHERE source_table = 'vehicles'")).isEqualTo("true");

    List<Row> rows = LakeAssertions.table(lake, Layer.SILVER, "bookings").where(col("id").equalTo(id)).collectAsList();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).<String>getAs("status")).isEqualTo("NO_SHOW");
    assertThat(rows.get(0).<BigDecimal>getAs("final_price")).isEqualByComparingTo("12.34");
    assertThat(rows.get(0).<LocalDate>getAs("business_date")).isEqualTo(entryDay);
    assertThat(LakeAssertions.table(lake, Layer.SILVER, "bookings").count()).isEqualTo(silverBefore);
    assertThat(LakeAssertions.table(lake, Layer.BRONZE, "bookings").where(col("id").equalTo(id)).count())
        .as("bronze keeps both versions").isEqualTo(2);
    ExtractStats bookings = stats.stream().filter(s -> s.table().equals("bookings")).findFirst().orElseThrow();
    assertThat(bookings.written()).isEqualTo(1);
    assertThat(bookings.affectedDates()).containsExactly(entryDay);
    LakeAssertions.assertLakeMatchesSource(db, lake, SourceTable.BOOKINGS);
    extraction.reconcile(SourceTable.BOOKINGS, bookings.affectedDates(), bookings.high());
  }

  /** The Delta commit files of a table's bronze and silver logs. */
  private static List<String> commits(LakeLayout lake, String table) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (String dir : List.of(lake.bronze(table), lake.silver(table))) {
      try (var files = java.nio.file.Files.list(Path.of(dir, "_delta_log"))) {
        files.map(f -> dir + "/" + f.getFileName()).filter(f -> f.endsWith(".json")).sorted().forEach(out::add);
      }
    }
    return out;
  }

  @Test
  void a_row_committed_late_with_an_older_change_time_is_caught_by_the_look_back() throws Exception {
    exec(db, "INSERT INTO payments SELECT gen_random_uuid(), user_id, facility_id, booking_id, violation_id, user_subscription_id, "
        + "kind, 99.99, currency, provider, 'SUCCEEDED', 'late-txn', paid_at, created_at, "
        + "(SELECT high_watermark FROM parklake.extraction_watermark WHERE source_table = 'payments') - interval '20 minutes' "
        + "FROM payments WHERE status = 'SUCCEEDED' AND kind = 'BOOKING' ORDER BY id LIMIT 1");

    List<ExtractStats> stats = extraction.extract(TABLES, LOOK_BACK, "late-insert");

    assertThat(LakeAssertions.table(lake, Layer.SILVER, "payments").where(col("provider_txn_id").equalTo("late-txn")).count())
        .isEqualTo(1);
    LakeAssertions.assertLakeMatchesSource(db, lake, SourceTable.PAYMENTS);
    ExtractStats payments = stats.stream().filter(s -> s.table().equals("payments")).findFirst().orElseThrow();
    assertThat(payments.written()).isEqualTo(1);
    extraction.reconcile(SourceTable.PAYMENTS, payments.affectedDates(), payments.high());
  }

  @Test
  void a_row_committed_later_than_the_look_back_reaches_is_reported_by_reconciliation_naming_table_day_and_difference()
      throws Exception {
    String day = text(db, "SELECT (p.paid_at AT TIME ZONE f.timezone)::date::text FROM payments p JOIN facilities f "
        + "ON f.id = p.facility_id WHERE p.status = 'SUCCEEDED' AND p.kind = 'BOOKING' ORDER BY p.id LIMIT 1");
    exec(db, "INSERT INTO payments SELECT gen_random_uuid(), user_id, facility_id, booking_id, violation_id, user_subscription_id, "
        + "kind, 10.00, currency, provider, 'SUCCEEDED', 'too-late', paid_at, created_at, "
        + "(SELECT high_watermark FROM parklake.extraction_watermark WHERE source_table = 'payments') - interval '3 hours' "
        + "FROM payments WHERE status = 'SUCCEEDED' AND kind = 'BOOKING' ORDER BY id LIMIT 1");

    extraction.extract(TABLES, LOOK_BACK, "missed");
    String high = text(db, "SELECT high_watermark::text FROM parklake.extraction_watermark WHERE source_table = 'payments'");

    assertThatThrownBy(() -> extraction.reconcile(SourceTable.PAYMENTS, java.util.Set.of(LocalDate.parse(day)),
            java.time.OffsetDateTime.parse(high.replace(' ', 'T') + ":00").toInstant()))
        .isInstanceOf(Reconciler.ReconciliationException.class)
        .hasMessageContaining("payments " + day + ": source ")
        .hasMessageContaining("(difference -1)")
        .hasMessageContaining("amount")
        .hasMessageContaining("(difference -10.00)");
  }

  @Test
  void hard_deletes_are_removed_from_silver_and_recorded() throws Exception {
    String payment = text(db, "SELECT id::text FROM payments WHERE status = 'SUCCEEDED' ORDER BY id LIMIT 1");
    String vehicle = text(db, "SELECT v.id::text FROM vehicles v WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.vehicle_id = v.id) "
        + "ORDER BY v.id LIMIT 1");
    exec(db, "DELETE FROM payments WHERE id = '" + payment + "'");
    exec(db, "DELETE FROM vehicles WHERE id = '" + vehicle + "'");

    Map<SourceTable, DeleteDetector.Deletions> deleted =
        extraction.detectDeletes(TABLES, LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 30), "nightly-deletes");

    assertThat(deleted.get(SourceTable.PAYMENTS).keys()).containsExactly(payment);
    assertThat(deleted.get(SourceTable.VEHICLES).keys()).containsExactly(vehicle);
    assertThat(deleted.get(SourceTable.BOOKINGS).keys()).isEmpty();
    assertThat(LakeAssertions.table(lake, Layer.SILVER, "payments").where(col("id").equalTo(payment)).count()).isZero();
    assertThat(LakeAssertions.table(lake, Layer.BRONZE, "payments").where(col("id").equalTo(payment).and(col("_op").equalTo("DELETE")))
        .count()).isEqualTo(1);
    assertThat(TestSpark.session().read().format("delta").load(DimensionHistory.path(lake, SourceTable.VEHICLES))
        .where(col("id").equalTo(vehicle).and(col("is_current"))).count()).isZero();
    assertThat(scalar(db, "SELECT count(*) FROM parklake.extraction_deletion")).isEqualTo(2);
    LakeAssertions.assertLakeMatchesSource(db, lake, SourceTable.PAYMENTS);
    LakeAssertions.assertLakeMatchesSource(db, lake, SourceTable.VEHICLES);

    // Running the scan again finds nothing more and changes nothing.
    Map<SourceTable, DeleteDetector.Deletions> again =
        extraction.detectDeletes(TABLES, LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 30), "nightly-deletes-2");
    assertThat(again.values()).allSatisfy(d -> assertThat(d.keys()).isEmpty());
  }

  @Test
  void a_facility_change_keeps_its_history_answerable_on_a_past_date() throws Exception {
    String id = text(db, "SELECT id::text FROM facilities ORDER BY id LIMIT 1");
    long spots = scalar(db, "SELECT total_spots FROM facilities WHERE id = '" + id + "'");
    exec(db, "UPDATE facilities SET total_spots = total_spots + 25, timezone = 'Europe/Lisbon', updated_at = now() WHERE id = '" + id + "'");

    extraction.extract(TABLES, LOOK_BACK, "dim-change");

    var history = TestSpark.session().read().format("delta").load(DimensionHistory.path(lake, SourceTable.FACILITIES))
        .where(col("id").equalTo(id));
    assertThat(history.count()).isEqualTo(2);
    Row past = history.where("valid_from <= TIMESTAMP'2026-11-01 12:00:00' AND (valid_to IS NULL OR valid_to > TIMESTAMP'2026-11-01 12:00:00')")
        .first();
    assertThat(past.<Integer>getAs("total_spots")).isEqualTo((int) spots);
    Row current = history.where("is_current").first();
    assertThat(current.<Integer>getAs("total_spots")).isEqualTo((int) spots + 25);
    assertThat(current.<String>getAs("timezone")).isEqualTo("Europe/Lisbon");
    assertThat(LakeAssertions.table(lake, Layer.SILVER, "facilities").where(col("id").equalTo(id)).first().<String>getAs("timezone"))
        .isEqualTo("Europe/Lisbon");
  }
}
