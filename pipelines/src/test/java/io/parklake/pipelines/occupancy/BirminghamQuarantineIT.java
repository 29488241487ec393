package io.parklake.pipelines.occupancy;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.quality.QualityRules;
import io.parklake.warehouse.testing.TestPostgres;
import io.parklake.warehouse.testing.TestSpark;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

/**
 * The real UCI "Parking Birmingham" readings (../shared/data/birmingham) through the occupancy
 * quarantine rules. The expected counts are computed independently, by plain SQL in PostgreSQL over
 * the same CSV loaded with COPY; the published faults (373 over capacity, 12 negative, 160 duplicated
 * car-park/time pairs) are asserted too.
 */
class BirminghamQuarantineIT {
  /** A copy of ../shared/data/birmingham/dataset.csv (see the README beside it). */
  private static final Path CSV = Path.of("src", "test", "resources", "data", "birmingham", "dataset.csv");

  @TempDir static Path tmp;
  private static Dataset<Row> validated;
  private static DatabaseAddress db;

  @BeforeAll
  static void validate() throws Exception {
    Path csv = CSV.toAbsolutePath().normalize();
    assertThat(csv).exists();
    validated = OccupancyReadings.validate(TestSpark.session().read().option("header", "true")
            .schema("SystemCodeNumber STRING, Capacity INT, Occupancy INT, LastUpdated STRING").csv(csv.toString())
            .select(col("SystemCodeNumber").as("car_park"), col("Capacity").as("capacity"), col("Occupancy").as("occupancy"),
                functions.to_timestamp(col("LastUpdated"), "yyyy-MM-dd HH:mm:ss").as("reading_time")))
        .cache();
    // Round-trip through Delta, as the pipeline stores it.
    validated.write().format("delta").save(tmp.resolve("quarantine_and_silver").toString());

    db = TestPostgres.freshDatabase("birmingham");
    try (Connection c = db.open();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE readings (car_park text, capacity int, occupancy int, last_updated timestamp)");
      try (Reader in = Files.newBufferedReader(csv)) {
        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY readings FROM STDIN (FORMAT csv, HEADER true)", in);
      }
    }
  }

  @Test
  void every_reading_is_kept_either_clean_or_quarantined_with_a_reason() throws Exception {
    long total = sql("SELECT count(*) FROM readings");
    assertThat(total).isEqualTo(35_717);
    assertThat(validated.count()).isEqualTo(total);
    assertThat(OccupancyReadings.clean(validated).count() + OccupancyReadings.rejected(validated).count()).isEqualTo(total);
  }

  @Test
  void faults_are_quarantined_per_rule_as_plain_sql_counts_them() throws Exception {
    Map<String, Long> counted = new TreeMap<>();
    for (Row r : validated.select(functions.explode(col(QualityRules.RULES))).groupBy("col").count().collectAsList()) {
      counted.put(r.getString(0), r.getLong(1));
    }
    Map<String, Long> expected = new TreeMap<>();
    expected.put("occupancy_over_capacity", sql("SELECT count(*) FROM readings WHERE occupancy > capacity"));
    expected.put("occupancy_negative", sql("SELECT count(*) FROM readings WHERE occupancy < 0"));
    expected.put(OccupancyReadings.DUPLICATE,
        sql("SELECT count(*) - count(DISTINCT (car_park, last_updated)) FROM readings"));
    assertThat(counted).isEqualTo(expected);
    // The faults documented with the dataset.
    assertThat(expected).containsEntry("occupancy_over_capacity", 373L).containsEntry("occupancy_negative", 12L);
    assertThat(sql("SELECT count(*) FROM (SELECT 1 FROM readings GROUP BY car_park, last_updated HAVING count(*) > 1) d"))
        .isEqualTo(160);
  }

  @Test
  void duplicates_collapse_to_one_clean_reading_per_car_park_and_instant() throws Exception {
    Dataset<Row> clean = OccupancyReadings.clean(validated);
    assertThat(clean.select("car_park", "reading_time").distinct().count()).isEqualTo(clean.count());
    assertThat(clean.where("occupancy < 0 OR occupancy > capacity").count()).isZero();
    long quarantined = sql("SELECT count(*) FROM (SELECT occupancy, capacity, row_number() OVER "
        + "(PARTITION BY car_park, last_updated ORDER BY occupancy, capacity) AS rn FROM readings) r "
        + "WHERE occupancy < 0 OR occupancy > capacity OR rn > 1");
    assertThat(OccupancyReadings.rejected(validated).count()).isEqualTo(quarantined);
    assertThat(TestSpark.session().read().format("delta").load(tmp.resolve("quarantine_and_silver").toString()).count())
        .isEqualTo(35_717);
  }

  private static long sql(String query) throws Exception {
    try (Connection c = db.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }
}
