package io.parklake.pipelines.extract;

import static io.parklake.pipelines.extract.SourceFixture.exec;
import static io.parklake.pipelines.extract.SourceFixture.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.lake.LakeLayout.Layer;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.testing.TestSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first load large enough to be read in concurrent range scans (forced here by a small
 * rows-per-range) takes the fast path: rows gathered by business date while reading, bronze and
 * silver written from those partitions. It must give exactly the source, one file per date.
 */
class RangedFirstLoadIT {
  private static final List<SourceTable> TABLES = List.of(SourceTable.FACILITIES, SourceTable.USERS, SourceTable.VEHICLES,
      SourceTable.BOOKINGS, SourceTable.PAYMENTS, SourceTable.PARKING_EVENTS);

  @TempDir Path tmp;

  @AfterEach
  void restoreRangeSize() {
    System.clearProperty(TableExtractor.ROWS_PER_RANGE_PROPERTY);
  }

  @Test
  void a_first_load_read_in_ranges_equals_the_source_with_one_file_per_date() throws Exception {
    DatabaseAddress db = SourceFixture.copy("ranged");
    exec(db, "ANALYZE");
    long bookings = scalar(db, "SELECT count(*) FROM bookings");
    // At least 4 ranges for bookings, payments and camera events.
    System.setProperty(TableExtractor.ROWS_PER_RANGE_PROPERTY, String.valueOf(bookings / 5));
    LakeLayout lake = new LakeLayout(tmp.resolve("lake"));
    LakeExtraction extraction = new LakeExtraction(TestSpark.session(), db, db, lake, FaultInjector.NONE);

    List<ExtractStats> stats = extraction.extract(TABLES, Duration.ofHours(1), "ranged");

    for (SourceTable t : TABLES) {
      LakeAssertions.assertLakeMatchesSource(db, lake, t);
      ExtractStats s = stats.stream().filter(x -> x.table().equals(t.tableName())).findFirst().orElseThrow();
      assertThat(s.read()).as("%s versions read", t.tableName()).isEqualTo(scalar(db, "SELECT count(*) FROM " + t.tableName()));
      assertThat(LakeAssertions.table(lake, Layer.BRONZE, t.tableName()).count()).as("bronze %s", t.tableName())
          .isEqualTo(s.read());
      extraction.reconcile(t, s.affectedDates(), s.high());
      if (t.isFact()) {
        for (Layer layer : List.of(Layer.BRONZE, Layer.SILVER)) {
          Dataset<Row> table = LakeAssertions.table(lake, layer, t.tableName());
          long dates = table.select(SourceTable.BUSINESS_DATE).distinct().count();
          long files = table.select(functions.input_file_name()).distinct().count();
          assertThat(files).as("%s %s: files for %d dates", layer, t.tableName(), dates).isEqualTo(dates);
        }
      }
    }
  }
}
