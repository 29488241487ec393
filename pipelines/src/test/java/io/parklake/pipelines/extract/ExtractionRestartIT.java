package io.parklake.pipelines.extract;

import static io.parklake.pipelines.extract.SourceFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.testing.TestFiles;
import io.parklake.warehouse.testing.TestPostgres;
import io.parklake.warehouse.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Modelled on Spring Batch's RestartFunctionalTests: an extraction dies at a named point (after the
 * source read, after each Delta commit, between the lake commits and the watermark move, after the
 * watermark move), then runs again; the lake must hold every source row exactly once, money sums
 * equal, and bronze must not hold any version twice.
 */
class ExtractionRestartIT {
  private static final List<SourceTable> TABLES =
      List.of(SourceTable.FACILITIES, SourceTable.BOOKINGS, SourceTable.PAYMENTS, SourceTable.PARKING_EVENTS);
  private static final Duration LOOK_BACK = Duration.ofHours(1);

  @TempDir Path tmp;
  private static DatabaseAddress extractedSource;
  private static Path extractedLake;

  static Stream<Arguments> crashes() {
    return Stream.of(
        Arguments.of("initial load", "silver:payments"),
        Arguments.of("incremental", "read:bookings"),
        Arguments.of("incremental", "bronze:bookings"),
        Arguments.of("incremental", "history:facilities"),
        Arguments.of("incremental", "watermark:payments"),
        Arguments.of("incremental", "committed:bookings"));
  }

  @ParameterizedTest(name = "{0}, killed at {1}")
  @MethodSource("crashes")
  void a_run_killed_part_way_then_run_again_leaves_no_duplicates_and_no_gaps(String phase, String point) throws Exception {
    boolean initial = phase.equals("initial load");
    DatabaseAddress db;
    LakeLayout lake = new LakeLayout(tmp.resolve("lake"));
    if (initial) {
      db = SourceFixture.copy("restart");
    } else {
      // The incremental cases start from copies of one completed first extraction (source and lake).
      db = TestPostgres.copyOf(extractedOnce(), "restart");
      TestFiles.copyTree(extractedLake, tmp.resolve("lake"));
      changeTheSource(db);
    }

    AtomicBoolean fired = new AtomicBoolean();
    FaultInjector killer = reached -> {
      if (reached.equals(point) && fired.compareAndSet(false, true)) {
        throw new IllegalStateException("injected fault at " + point);
      }
    };
    assertThatThrownBy(() -> extraction(db, lake, killer).extract(TABLES, LOOK_BACK, "run-2"))
        .hasMessageContaining("injected fault at " + point);
    assertThat(fired).isTrue();

    List<ExtractStats> rerun = extraction(db, lake, FaultInjector.NONE).extract(TABLES, LOOK_BACK, "run-3");

    LakeExtraction check = extraction(db, lake, FaultInjector.NONE);
    for (ExtractStats s : rerun) {
      SourceTable table = SourceTable.named(s.table());
      LakeAssertions.assertLakeMatchesSource(db, lake, table);
      check.reconcile(table, s.affectedDates(), s.high());
    }
    assertThat(SourceFixture.scalar(db, "SELECT count(*) FROM parklake.extraction_batch WHERE status = 'PENDING'")).isZero();
  }

  /** A source copy after a completed first extraction ("run-1"), made once; its lake is {@link #extractedLake}. */
  private static synchronized DatabaseAddress extractedOnce() throws Exception {
    if (extractedSource == null) {
      DatabaseAddress db = SourceFixture.copy("restart_extracted");
      Path lakeDir = Files.createTempDirectory("restart-extracted").resolve("lake");
      extraction(db, new LakeLayout(lakeDir), FaultInjector.NONE).extract(TABLES, LOOK_BACK, "run-1");
      extractedLake = lakeDir;
      extractedSource = db;
    }
    return extractedSource;
  }

  private static LakeExtraction extraction(DatabaseAddress db, LakeLayout lake, FaultInjector faults) {
    return new LakeExtraction(TestSpark.session(), db, db, lake, faults);
  }

  /** Updates, fresh inserts and a late insert (older change time, inside the look-back) after a first extraction. */
  static void changeTheSource(DatabaseAddress db) throws Exception {
    exec(db, "UPDATE bookings SET status = 'CANCELLED', final_price = 0, updated_at = now() "
        + "WHERE id IN (SELECT id FROM bookings WHERE status = 'COMPLETED' ORDER BY id LIMIT 30)");
    exec(db, "UPDATE payments SET status = 'REFUNDED', updated_at = now() "
        + "WHERE id IN (SELECT id FROM payments WHERE status = 'SUCCEEDED' AND kind = 'BOOKING' ORDER BY id LIMIT 20)");
    exec(db, "UPDATE facilities SET total_spots = total_spots + 10, updated_at = now() "
        + "WHERE id = (SELECT id FROM facilities ORDER BY id LIMIT 1)");
    exec(db, "INSERT INTO payments SELECT gen_random_uuid(), user_id, facility_id, booking_id, violation_id, user_subscription_id, "
        + "kind, amount + 1, currency, provider, status, provider_txn_id, paid_at, now(), now() "
        + "FROM payments WHERE status = 'SUCCEEDED' ORDER BY id LIMIT 15");
    exec(db, "INSERT INTO payments SELECT gen_random_uuid(), user_id, facility_id, booking_id, violation_id, user_subscription_id, "
        + "kind, amount + 2, currency, provider, status, provider_txn_id, paid_at, now(), "
        + "(SELECT high_watermark FROM parklake.extraction_watermark WHERE source_table = 'payments') - interval '10 minutes' "
        + "FROM payments WHERE status = 'SUCCEEDED' ORDER BY id DESC LIMIT 5");
    exec(db, "INSERT INTO parking_events SELECT id + 10000000, camera_id, facility_id, zone_id, track_id || '-again', plate_number, "
        + "vehicle_type, direction, confidence, event_time + interval '1 hour', now() FROM parking_events ORDER BY id LIMIT 12");
  }
}
