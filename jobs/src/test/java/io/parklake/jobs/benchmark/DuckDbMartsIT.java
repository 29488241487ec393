package io.parklake.jobs.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Marts;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.testing.TestSpark;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The DuckDB reference of the marts benchmark gives Spark's answer on a hand-made lake: half-cent
 * averages (Spark rounds decimals half up, DuckDB would divide in DOUBLE), refunds, failed and
 * pending payments, an inactive facility with revenue, and local hours across zones.
 */
class DuckDbMartsIT {
  private static final LocalDate AS_OF = LocalDate.of(2026, 11, 1);

  @Test
  void givenAHandMadeLake_whenDuckDbRecomputesRevenueDaily_thenItsRowsEqualSparks() throws Exception {
    SparkSession spark = TestSpark.session();
    LakeLayout lake = new LakeLayout(Files.createTempDirectory("duckdb-marts").resolve("lake"));
    spark.sql("SELECT * FROM VALUES "
        + "('f1', 'Kolkata Central', 'Kolkata', 'Asia/Kolkata', 'INR', true), "
        + "('f2', 'Chicago Loop', 'Chicago', 'America/Chicago', 'USD', false), "
        + "('f3', 'Idle', 'Paris', 'Europe/Paris', 'EUR', true) "
        + "AS t(id, name, city, timezone, currency, is_active)")
        .write().format("delta").save(lake.silver("facilities"));
    spark.sql("SELECT id, facility_id, booking_id, violation_id, kind, CAST(amount AS DECIMAL(12,2)) AS amount, status, provider, "
        + "CAST(paid_at AS TIMESTAMP) AS paid_at, CAST(created_at AS TIMESTAMP) AS created_at, CAST(business_date AS DATE) AS business_date "
        + "FROM VALUES "
        // 10.00 over 3 payments: 3.33; 0.05 over 2 (next day): 0.025 rounds half up to 0.03.
        + "('p1', 'f1', 'b1', NULL, 'BOOKING', 4.00, 'SUCCEEDED', 'CARD', '2026-10-31 20:00:00', '2026-10-31 19:00:00', '2026-11-01'), "
        + "('p2', 'f1', 'b2', NULL, 'BOOKING', 3.00, 'REFUNDED', 'UPI', '2026-11-01 10:00:00', '2026-11-01 09:00:00', '2026-11-01'), "
        + "('p3', 'f1', NULL, NULL, 'SUBSCRIPTION', 3.00, 'SUCCEEDED', 'CARD', '2026-11-01 12:00:00', '2026-11-01 12:00:00', '2026-11-01'), "
        + "('p4', 'f1', 'b2', NULL, 'REFUND', 3.00, 'SUCCEEDED', 'UPI', '2026-11-01 13:00:00', '2026-11-01 13:00:00', '2026-11-01'), "
        + "('p5', 'f1', 'b3', NULL, 'BOOKING', 9.99, 'FAILED', 'CARD', NULL, '2026-11-01 14:00:00', '2026-11-01'), "
        + "('p6', 'f1', 'b4', NULL, 'BOOKING', 0.02, 'SUCCEEDED', 'CASH', '2026-10-30 20:00:00', '2026-10-30 20:00:00', '2026-10-31'), "
        + "('p7', 'f1', 'b5', NULL, 'BOOKING', 0.03, 'SUCCEEDED', 'CASH', '2026-10-30 21:00:00', '2026-10-30 21:00:00', '2026-10-31'), "
        // Chicago, inactive: 23:30 local on 31 October, still daylight time.
        + "('p8', 'f2', NULL, 'v1', 'FINE', 25.00, 'SUCCEEDED', 'WALLET', '2026-11-01 04:30:00', '2026-11-01 04:00:00', '2026-10-31'), "
        + "('p9', 'f2', 'b6', NULL, 'BOOKING', 7.50, 'PENDING', 'CARD', NULL, '2026-11-01 15:00:00', '2026-11-01') "
        + "AS t(id, facility_id, booking_id, violation_id, kind, amount, status, provider, paid_at, created_at, business_date)")
        .write().format("delta").partitionBy("business_date").save(lake.silver("payments"));

    Set<String> marts = Set.of("revenue_daily", "revenue_by_hour_of_week");
    Marts.rebuild(new MartContext(spark, lake, AS_OF), m -> marts.contains(m.name()));

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      for (String macro : DuckDbMarts.macros()) {
        s.execute(macro);
      }
      for (String t : List.of("facilities", "payments")) {
        s.execute(MartsBenchmark.view(t, MartsBenchmark.currentFiles(spark, lake.silver(t))));
      }
      for (String mart : marts) {
        s.execute("CREATE TABLE " + mart + " AS " + DuckDbMarts.select(mart, AS_OF).orElseThrow());
        MartsBenchmark.Check check = MartsBenchmark.compare(spark, lake.gold(mart), c, mart);
        assertThat(check.status()).as(mart + ": " + check.detail()).isEqualTo(MartsBenchmark.Check.Status.SAME);
      }

      String columns = "facility_id, local_date, gross, refunds, net, payments, average_ticket, booking_gross, subscription_gross, fine_gross";
      List<String> sparkRows = new ArrayList<>();
      for (Row r : spark.read().format("delta").load(lake.gold("revenue_daily")).selectExpr(columns.split(", "))
          .orderBy("facility_id", "local_date").collectAsList()) {
        sparkRows.add(r.mkString("|"));
      }
      List<String> duckRows = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT concat_ws('|', " + columns.replace("average_ticket", "coalesce(average_ticket::VARCHAR, 'null')")
          + ") FROM revenue_daily ORDER BY facility_id, local_date")) {
        while (r.next()) {
          duckRows.add(r.getString(1));
        }
      }
      assertThat(duckRows).isEqualTo(sparkRows).contains(
          "f1|2026-10-31|0.05|0.00|0.05|2|0.03|0.05|0.00|0.00",
          "f1|2026-11-01|10.00|3.00|7.00|3|3.33|7.00|3.00|0.00",
          "f2|2026-10-31|25.00|0.00|25.00|1|25.00|0.00|0.00|25.00",
          "f3|2026-11-01|0.00|0.00|0.00|0|null|0.00|0.00|0.00");

      // Chicago's fine was paid at 23:30 local on Saturday 31 October (ISO weekday 6), not 04:30 UTC on Sunday.
      try (ResultSet r = s.executeQuery("SELECT iso_weekday, hour, average_gross FROM revenue_by_hour_of_week "
          + "WHERE facility_id = 'f2' AND average_gross > 0")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getInt(1)).isEqualTo(6);
        assertThat(r.getInt(2)).isEqualTo(23);
        assertThat(r.getBigDecimal(3)).isEqualByComparingTo("3.13");
        assertThat(r.next()).isFalse();
      }
    }
  }
}
