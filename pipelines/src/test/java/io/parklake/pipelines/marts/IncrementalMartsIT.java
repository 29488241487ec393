package io.parklake.pipelines.marts;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.pipelines.extract.ExtractStats;
import io.parklake.pipelines.extract.FaultInjector;
import io.parklake.pipelines.extract.LakeExtraction;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.testing.TestFiles;
import io.parklake.warehouse.testing.TestPostgres;
import io.parklake.warehouse.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental path (refresh only the partitions a run's changes touch) gives exactly the rows of a
 * full rebuild, for every mart on the classpath, after late changes to old days.
 */
class IncrementalMartsIT {
  private static final LocalDate AS_OF = MartLake.AS_OF;
  private static final LocalDate OLD_DAY = AS_OF.minusDays(20);

  @TempDir Path tmp;

  @Test
  void a_nightly_after_late_changes_refreshes_only_touched_partitions_and_equals_a_full_rebuild() throws Exception {
    // A copy of the shared source (with its extraction watermarks) and of the lake extracted from it,
    // every mart built as of AS_OF: the state a nightly leaves.
    MartLake shared = MartLake.get();
    DatabaseAddress db = TestPostgres.copyOf(shared.source(), "incremental_marts");
    TestFiles.copyTree(Path.of(shared.lake().root()), tmp.resolve("lake"));
    LakeLayout lake = new LakeLayout(tmp.resolve("lake"));
    LakeExtraction extraction = new LakeExtraction(TestSpark.session(), db, db, lake, FaultInjector.NONE);
    MartContext context = new MartContext(TestSpark.session(), lake, AS_OF);

    // Late changes: a refund of a payment made 20 days ago, a booking of that day cancelled after
    // the fact, and an open violation paid on the as-of date.
    exec(db, """
        INSERT INTO payments (id, user_id, facility_id, booking_id, kind, amount, currency, provider, status, provider_txn_id,
          paid_at, created_at, updated_at)
        SELECT gen_random_uuid(), p.user_id, p.facility_id, p.booking_id, 'REFUND', p.amount, p.currency, p.provider,
          'SUCCEEDED', 'late-refund', p.paid_at + interval '1 hour', p.paid_at + interval '1 hour', now()
        FROM payments p JOIN facilities f ON f.id = p.facility_id
        WHERE p.kind = 'BOOKING' AND p.status = 'SUCCEEDED' AND ((p.paid_at + interval '1 hour') AT TIME ZONE f.timezone)::date = DATE '%s'
        ORDER BY p.id LIMIT 1""".formatted(OLD_DAY));
    exec(db, "UPDATE payments SET status = 'REFUNDED', updated_at = now() WHERE id = (SELECT p.id FROM payments p "
        + "JOIN payments r ON r.booking_id = p.booking_id AND r.provider_txn_id = 'late-refund' WHERE p.kind = 'BOOKING' LIMIT 1)");
    exec(db, """
        UPDATE bookings SET status = 'CANCELLED', actual_exit = NULL, updated_at = now() WHERE id = (
          SELECT b.id FROM bookings b JOIN facilities f ON f.id = b.facility_id
          WHERE b.status = 'COMPLETED' AND (b.entry_time AT TIME ZONE f.timezone)::date = DATE '%s' ORDER BY b.id LIMIT 1)"""
        .formatted(OLD_DAY));
    exec(db, """
        WITH v AS (SELECT * FROM violations WHERE status = 'OPEN' ORDER BY id LIMIT 1),
        paid AS (UPDATE violations SET status = 'PAID', resolved_at = TIMESTAMPTZ '%1$s 12:00+00', updated_at = now()
          WHERE id IN (SELECT id FROM v) RETURNING *)
        INSERT INTO payments (id, user_id, facility_id, violation_id, kind, amount, currency, provider, status, provider_txn_id,
          paid_at, created_at, updated_at)
        SELECT gen_random_uuid(), paid.user_id, paid.facility_id, paid.id, 'FINE', paid.penalty_amount, f.currency, 'CARD',
          'SUCCEEDED', 'late-fine', TIMESTAMPTZ '%1$s 12:00+00', TIMESTAMPTZ '%1$s 12:00+00', now()
        FROM paid JOIN facilities f ON f.id = paid.facility_id""".formatted(AS_OF));

    List<ExtractStats> stats = extraction.extract(List.of(SourceTable.values()), Duration.ofHours(1), "late");
    Map<String, SortedSet<LocalDate>> changed = new HashMap<>();
    stats.forEach(s -> changed.put(s.table(), new TreeSet<>(s.affectedDates())));
    assertThat(changed.get("payments")).contains(OLD_DAY, AS_OF).hasSizeLessThanOrEqualTo(4);
    assertThat(changed.get("bookings")).containsExactly(OLD_DAY);

    List<Marts.Refreshed> refreshed = Marts.refreshChanged(context, changed, List.of(AS_OF), m -> true);

    Map<String, Marts.Refreshed> byMart = new TreeMap<>();
    refreshed.forEach(r -> byMart.put(r.mart(), r));
    assertThat(byMart.get("revenue_daily").partitions()).isEqualTo(changed.get("payments"));
    assertThat(byMart.get("revenue_monthly").partitions()).isEqualTo(Periods.months(changed.get("payments")));
    assertThat(byMart.get("revenue_monthly").partitions()).hasSizeLessThan(3);
    assertThat(byMart.get("booking_outcomes").partitions()).isEqualTo(Periods.isoWeeks(new TreeSet<>(Set.of(OLD_DAY, AS_OF))));

    Map<String, List<String>> incremental = snapshot(context);
    List<Marts.Refreshed> rebuilt = Marts.rebuild(context, m -> true);
    Map<String, List<String>> full = snapshot(context);
    assertThat(rebuilt).hasSameSizeAs(Marts.all());
    for (String mart : full.keySet()) {
      assertThat(incremental.get(mart)).as("mart %s: incremental vs full rebuild", mart).isEqualTo(full.get(mart));
    }
    assertThat(full).hasSize(Marts.all().size());
  }

  private static Map<String, List<String>> snapshot(MartContext context) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Mart mart : Marts.all()) {
      out.put(mart.name(), context.table("gold." + mart.name()).collectAsList().stream().map(Row::toString).sorted().toList());
    }
    return out;
  }

  private static void exec(DatabaseAddress db, String sql) throws Exception {
    try (Connection c = db.open();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
