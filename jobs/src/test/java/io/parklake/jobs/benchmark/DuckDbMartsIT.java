package io.parklake.jobs.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.pipelines.marts.Mart;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The DuckDB reference of the marts benchmark gives Spark's answer on a hand-made lake: half-cent
 * averages (Spark rounds decimals half up, DuckDB would divide in DOUBLE), refunds, failed and
 * pending payments, an inactive facility with revenue, and local hours across zones; the customer
 * marts on two currencies, a refund, a visit across local midnight and New York's 25-hour day.
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

  private static final String LONDON = "f-london";
  private static final String NEW_YORK = "f-new-york";
  private static final String PARIS = "f-paris";

  /** London and New York (active) and Paris (closed): two DST zones and an inactive facility. */
  private static void writeFacilities(SparkSession spark, LakeLayout lake) {
    spark.sql("SELECT * FROM VALUES "
        + "('" + LONDON + "', 'London', 'London', 'Europe/London', 'GBP', true), "
        + "('" + NEW_YORK + "', 'New York', 'New York', 'America/New_York', 'USD', true), "
        + "('" + PARIS + "', 'Paris (closed)', 'Paris', 'Europe/Paris', 'EUR', false) "
        + "AS t(id, name, city, timezone, currency, is_active)")
        .write().format("delta").save(lake.silver("facilities"));
  }

  @Test
  void givenAHandMadeLake_whenDuckDbRecomputesTheCustomerMarts_thenItsRowsEqualSparks() throws Exception {
    SparkSession spark = TestSpark.session();
    LakeLayout lake = new LakeLayout(Files.createTempDirectory("duckdb-customer-marts").resolve("lake"));
    writeFacilities(spark, lake);
    // London is BST (UTC+1) until 2026-10-25 01:00Z; New York EDT (UTC-4) until 2026-11-01 06:00Z, then EST.
    // u3 is a user deleted in the source: the customer marts read no users, so their history still counts.
    spark.sql("SELECT id, user_id, facility_id, status, CAST(entry_time AS TIMESTAMP) AS entry_time,"
        + " CAST(business_date AS DATE) AS business_date FROM VALUES "
        // 23:30 BST on 30 September, paid after local midnight: the visit on the 30th, the spend on 1 October.
        + "('b1', 'u1', '" + LONDON + "', 'COMPLETED', '2026-09-30 22:30:00', '2026-09-30'), "
        + "('b2', 'u1', '" + LONDON + "', 'COMPLETED', '2026-10-10 08:00:00', '2026-10-10'), "
        + "('b3', 'u1', '" + LONDON + "', 'CANCELLED', '2026-10-11 08:00:00', '2026-10-11'), "
        + "('b4', 'u2', '" + LONDON + "', 'NO_SHOW', '2026-10-20 08:00:00', '2026-10-20'), "
        + "('b5', 'u2', '" + LONDON + "', 'ACTIVE', '2026-10-31 23:30:00', '2026-10-31'), "
        + "('b6', 'u2', '" + LONDON + "', 'COMPLETED', '2026-11-01 00:30:00', '2026-11-01'), "
        // 23:30 EDT on 31 October (1 November in UTC), then 01:30 EDT on the 25-hour 1 November.
        + "('b7', 'u1', '" + NEW_YORK + "', 'COMPLETED', '2026-11-01 03:30:00', '2026-10-31'), "
        + "('b8', 'u1', '" + NEW_YORK + "', 'COMPLETED', '2026-11-01 05:30:00', '2026-11-01'), "
        + "('b9', 'u1', '" + NEW_YORK + "', 'PENDING', '2026-11-02 14:00:00', '2026-11-02'), "
        + "('b10', 'u3', '" + NEW_YORK + "', 'COMPLETED', '2026-10-05 14:00:00', '2026-10-05'), "
        + "('b11', 'u3', '" + NEW_YORK + "', 'COMPLETED', '2026-11-02 15:00:00', '2026-11-02'), "
        + "('b12', 'u2', '" + PARIS + "', 'COMPLETED', '2026-10-15 10:00:00', '2026-10-15'), "
        // u4: one visit each in London and New York on 22 October: a tie broken by the smaller facility id.
        + "('b13', 'u4', '" + LONDON + "', 'COMPLETED', '2026-10-22 10:00:00', '2026-10-22'), "
        + "('b14', 'u4', '" + NEW_YORK + "', 'COMPLETED', '2026-10-22 14:00:00', '2026-10-22') "
        + "AS t(id, user_id, facility_id, status, entry_time, business_date)")
        .write().format("delta").partitionBy("business_date").save(lake.silver("bookings"));
    spark.sql("SELECT id, user_id, facility_id, kind, CAST(amount AS DECIMAL(12,2)) AS amount, status,"
        + " CAST(paid_at AS TIMESTAMP) AS paid_at, CAST(created_at AS TIMESTAMP) AS created_at,"
        + " CAST(business_date AS DATE) AS business_date FROM VALUES "
        + "('p1', 'u1', '" + LONDON + "', 'BOOKING', 5.00, 'SUCCEEDED', '2026-09-30 23:10:00', '2026-09-30 23:10:00', '2026-10-01'), "
        + "('p2', 'u1', '" + LONDON + "', 'BOOKING', 7.50, 'REFUNDED', '2026-10-10 09:00:00', '2026-10-10 09:00:00', '2026-10-10'), "
        + "('p3', 'u1', '" + LONDON + "', 'REFUND', 7.50, 'SUCCEEDED', '2026-10-12 09:00:00', '2026-10-12 09:00:00', '2026-10-12'), "
        + "('p4', 'u1', '" + LONDON + "', 'BOOKING', 3.00, 'FAILED', NULL, '2026-10-11 08:00:00', '2026-10-11'), "
        // 01:45 EDT and 01:30 EST (the second 01:30) on 1 November: one local day, 42.00.
        + "('p5', 'u1', '" + NEW_YORK + "', 'SUBSCRIPTION', 30.00, 'SUCCEEDED', '2026-11-01 05:45:00', '2026-11-01 05:45:00', '2026-11-01'), "
        + "('p6', 'u1', '" + NEW_YORK + "', 'BOOKING', 12.00, 'SUCCEEDED', '2026-11-01 06:30:00', '2026-11-01 06:30:00', '2026-11-01'), "
        + "('p7', NULL, '" + NEW_YORK + "', 'FINE', 25.00, 'SUCCEEDED', '2026-10-20 15:00:00', '2026-10-20 15:00:00', '2026-10-20'), "
        + "('p8', 'u3', '" + NEW_YORK + "', 'BOOKING', 9.99, 'SUCCEEDED', '2026-10-05 16:00:00', '2026-10-05 16:00:00', '2026-10-05'), "
        + "('p9', 'u2', '" + LONDON + "', 'BOOKING', 4.00, 'PENDING', NULL, '2026-10-31 23:30:00', '2026-10-31'), "
        + "('p10', 'u2', '" + LONDON + "', 'REFUND', 1.00, 'FAILED', NULL, '2026-11-01 09:00:00', '2026-11-01'), "
        // A failed payment in August: no money moved, but its date opens the month range of repeat_customers.
        + "('p11', 'u2', '" + LONDON + "', 'BOOKING', 2.00, 'FAILED', NULL, '2026-08-15 10:00:00', '2026-08-15') "
        + "AS t(id, user_id, facility_id, kind, amount, status, paid_at, created_at, business_date)")
        .write().format("delta").partitionBy("business_date").save(lake.silver("payments"));

    Set<String> marts = Set.of("customer_activity_daily", "repeat_customers", "favourite_facility");
    try (Connection c = sameInDuckDb(spark, lake, List.of("facilities", "bookings", "payments"), marts);
        Statement s = c.createStatement()) {
      String activity = "user_id, facility_id, currency, local_date, visits, bookings, cancellations, no_shows, gross_spend, refunds, spend";
      assertThat(duckLines(s, "customer_activity_daily", activity, 4))
          .isEqualTo(sparkLines(spark, lake, "customer_activity_daily", activity, 4))
          .containsEntry("u1|" + LONDON + "|GBP|2026-09-30", "1|1|0|0|0.00|0.00|0.00")
          .containsEntry("u1|" + LONDON + "|GBP|2026-10-01", "0|0|0|0|5.00|0.00|5.00")
          .containsEntry("u1|" + LONDON + "|GBP|2026-10-11", "0|1|1|0|0.00|0.00|0.00")
          .containsEntry("u1|" + LONDON + "|GBP|2026-10-12", "0|0|0|0|0.00|7.50|-7.50")
          .containsEntry("u1|" + NEW_YORK + "|USD|2026-10-31", "1|1|0|0|0.00|0.00|0.00")
          .containsEntry("u1|" + NEW_YORK + "|USD|2026-11-01", "1|1|0|0|42.00|0.00|42.00")
          .containsEntry("u2|" + LONDON + "|GBP|2026-10-31", "1|1|0|0|0.00|0.00|0.00")
          .containsEntry("u2|" + PARIS + "|EUR|2026-10-15", "1|1|0|0|0.00|0.00|0.00")
          .hasSize(16);

      String repeat = "facility_id, month_start, customers, new_customers, returning_customers, repeat_rate, visits";
      assertThat(duckLines(s, "repeat_customers", repeat, 2)).isEqualTo(sparkLines(spark, lake, "repeat_customers", repeat, 2))
          .containsEntry(LONDON + "|2026-08-01", "0|0|0|null|0")
          .containsEntry(LONDON + "|2026-09-01", "1|1|0|0.0|1")
          // u1 back (first visit in September), u2 and u4 new.
          .containsEntry(LONDON + "|2026-10-01", "3|2|1|0.3333333333333333|3")
          .containsEntry(NEW_YORK + "|2026-10-01", "3|3|0|0.0|3")
          .containsEntry(NEW_YORK + "|2026-11-01", "2|0|2|1.0|2")
          // The closed facility only where it had visits.
          .containsEntry(PARIS + "|2026-10-01", "1|1|0|0.0|1")
          .hasSize(9);

      String favourite = "user_id, facility_id, visits, total_visits, visit_share, facilities_used, last_visit, as_of";
      assertThat(duckLines(s, "favourite_facility", favourite, 1)).isEqualTo(sparkLines(spark, lake, "favourite_facility", favourite, 1))
          .isEqualTo(Map.of(
              // Two visits each in London and New York: New York was visited later.
              "u1", NEW_YORK + "|2|4|0.5|2|2026-11-01|2026-11-01",
              "u2", LONDON + "|2|3|0.6666666666666666|2|2026-11-01|2026-11-01",
              // Its visit on 2 November is after the as-of day.
              "u3", NEW_YORK + "|1|1|1.0|1|2026-10-05|2026-11-01",
              "u4", LONDON + "|1|2|0.5|2|2026-10-22|2026-11-01"));
    }
  }

  @Test
  void givenAHandMadeLake_whenDuckDbRecomputesOccupancyHourly_thenItsRowsEqualSparks() throws Exception {
    SparkSession spark = TestSpark.session();
    LakeLayout lake = new LakeLayout(Files.createTempDirectory("duckdb-occupancy").resolve("lake"));
    writeFacilities(spark, lake);
    spark.sql("SELECT * FROM VALUES ('za', '" + LONDON + "', 'A', 10), ('zc', '" + LONDON + "', 'C', 0), "
        + "('zn', '" + NEW_YORK + "', 'N', 4), ('zp', '" + PARIS + "', 'P', 3) AS t(id, facility_id, code, total_spots)")
        .write().format("delta").save(lake.silver("zones"));
    spark.sql("SELECT * FROM VALUES ('a1', 'za'), ('a2', 'za'), ('a3', 'za'), ('n1', 'zn'), ('n2', 'zn'), ('p1', 'zp') "
        + "AS t(id, zone_id)").write().format("delta").save(lake.silver("parking_spots"));
    // London: BST until 2026-10-25 01:00Z, 02:00 BST becoming 01:00 GMT; 2026-03-29 01:00Z, 01:00 GMT becoming 02:00 BST.
    // New York: EDT until 2026-11-01 06:00Z, 02:00 EDT becoming 01:00 EST.
    spark.sql("SELECT id, user_id, spot_id, facility_id, status, CAST(entry_time AS TIMESTAMP) AS entry_time,"
        + " CAST(expected_exit AS TIMESTAMP) AS expected_exit, CAST(actual_exit AS TIMESTAMP) AS actual_exit,"
        + " CAST(business_date AS DATE) AS business_date FROM VALUES "
        // Across midnight: 23:30 BST to 01:15 BST.
        + "('b1', 'u1', 'a1', '" + LONDON + "', 'COMPLETED', '2026-10-20 22:30:00', '2026-10-21 00:00:00', '2026-10-21 00:15:00', '2026-10-20'), "
        // Across the fall-back hour, one more inside the second 01:00, one arriving as the first leaves.
        + "('b2', 'u1', 'a1', '" + LONDON + "', 'COMPLETED', '2026-10-24 23:30:00', '2026-10-25 02:00:00', '2026-10-25 02:30:00', '2026-10-25'), "
        + "('b3', 'u2', 'a2', '" + LONDON + "', 'COMPLETED', '2026-10-25 01:00:00', '2026-10-25 01:30:00', '2026-10-25 01:30:00', '2026-10-25'), "
        + "('b4', 'u2', 'a2', '" + LONDON + "', 'COMPLETED', '2026-10-25 02:30:00', '2026-10-25 03:00:00', '2026-10-25 03:10:00', '2026-10-25'), "
        + "('b5', 'u3', 'a3', '" + LONDON + "', 'CANCELLED', '2026-10-25 00:00:00', '2026-10-25 02:00:00', NULL, '2026-10-25'), "
        // Across the spring-forward gap: 00:30 GMT to 03:30 BST.
        + "('b6', 'u1', 'a1', '" + LONDON + "', 'COMPLETED', '2026-03-29 00:30:00', '2026-03-29 02:30:00', '2026-03-29 02:30:00', '2026-03-29'), "
        // New York: both 01:00 hours of 1 November; an open stay from 19:00 EDT to its expected 00:30 EDT.
        + "('b7', 'u3', 'n1', '" + NEW_YORK + "', 'COMPLETED', '2026-11-01 05:00:00', '2026-11-01 07:00:00', '2026-11-01 07:00:00', '2026-11-01'), "
        + "('b8', 'u3', 'n2', '" + NEW_YORK + "', 'ACTIVE', '2026-10-31 23:00:00', '2026-11-01 04:30:00', NULL, '2026-10-31'), "
        + "('b9', 'u4', NULL, '" + NEW_YORK + "', 'COMPLETED', '2026-10-30 12:00:00', '2026-10-30 13:00:00', '2026-10-30 13:00:00', '2026-10-30'), "
        // Ten days from 05:00 EDT on 1 October: only 1..8 October are computed (the business date and 7 days).
        + "('b10', 'u2', 'n2', '" + NEW_YORK + "', 'COMPLETED', '2026-10-01 09:00:00', '2026-10-06 09:00:00', '2026-10-11 09:00:00', '2026-10-01'), "
        // A reservation after the as-of day: its days are not computed.
        + "('b11', 'u4', 'n1', '" + NEW_YORK + "', 'CONFIRMED', '2026-11-05 14:00:00', '2026-11-05 16:00:00', NULL, '2026-11-05'), "
        // The closed facility's zone appears on the day of its one stay only.
        + "('b12', 'u1', 'p1', '" + PARIS + "', 'COMPLETED', '2026-10-28 09:00:00', '2026-10-28 10:00:00', '2026-10-28 10:00:00', '2026-10-28') "
        + "AS t(id, user_id, spot_id, facility_id, status, entry_time, expected_exit, actual_exit, business_date)")
        .write().format("delta").partitionBy("business_date").save(lake.silver("bookings"));

    List<String> silver = List.of("facilities", "zones", "parking_spots", "bookings");
    try (Connection c = sameInDuckDb(spark, lake, silver, Set.of("occupancy_hourly")); Statement s = c.createStatement()) {
      String columns = "zone_id, local_date, hour_seq, facility_id, facility_name, zone_code, timezone, local_hour, utc_offset, %s, %s,"
          + " total_spots, occupied_spot_seconds, occupied_spot_minutes, capacity_spot_seconds, capacity_spot_minutes, utilisation,"
          + " peak_concurrent";
      Map<String, String> duck = duckLines(s, "occupancy_hourly",
          columns.formatted("CAST(epoch(hour_start) AS BIGINT)", "CAST(epoch(hour_end) AS BIGINT)"), 3);
      assertThat(duck).isEqualTo(sparkLines(spark, lake, "occupancy_hourly",
          columns.formatted("unix_seconds(hour_start)", "unix_seconds(hour_end)"), 3));
      // 3 zones × (8 days of March/April + 8 of October + 14 from 20 October to 2 November) less the 23rd hour of
      // 29 March plus New York's and London's 25th, and the closed facility's zone on 28 October.
      assertThat(duck).hasSize(3 * 30 * 24 - 2 + 2 + 1 + 24);

      Map<String, String> hours = duckLines(s, "occupancy_hourly", "zone_id, local_date, hour_seq, local_hour, utc_offset,"
          + " occupied_spot_seconds, occupied_spot_minutes, capacity_spot_seconds, utilisation, peak_concurrent", 3);
      assertThat(hours)
          .containsEntry("za|2026-10-20|23", "23|+01:00|1800|30.0000|36000|0.050000|1")
          .containsEntry("za|2026-10-21|1", "1|+01:00|900|15.0000|36000|0.025000|1")
          .containsEntry("za|2026-10-25|1", "1|+01:00|3600|60.0000|36000|0.100000|1")
          .containsEntry("za|2026-10-25|2", "1|+00:00|5400|90.0000|36000|0.150000|2")
          .containsEntry("za|2026-10-25|3", "2|+00:00|3600|60.0000|36000|0.100000|1")
          .containsEntry("za|2026-10-25|4", "3|+00:00|600|10.0000|36000|0.016667|1")
          .containsEntry("za|2026-03-29|1", "2|+01:00|3600|60.0000|36000|0.100000|1")
          .containsEntry("zc|2026-10-25|2", "1|+00:00|0|0.0000|0|null|0")
          .containsEntry("zn|2026-10-31|23", "23|-04:00|3600|60.0000|14400|0.250000|1")
          .containsEntry("zn|2026-11-01|0", "0|-04:00|1800|30.0000|14400|0.125000|1")
          .containsEntry("zn|2026-11-01|1", "1|-04:00|3600|60.0000|14400|0.250000|1")
          .containsEntry("zn|2026-11-01|2", "1|-05:00|3600|60.0000|14400|0.250000|1")
          .containsEntry("zn|2026-10-08|12", "12|-04:00|3600|60.0000|14400|0.250000|1")
          .containsEntry("zp|2026-10-28|10", "10|+01:00|3600|60.0000|10800|0.333333|1")
          .doesNotContainKeys("zn|2026-10-09|0", "zp|2026-10-27|0", "za|2026-11-03|0");
      try (ResultSet r = s.executeQuery("SELECT sum(occupied_spot_seconds) FROM occupancy_hourly WHERE zone_id = 'zn'")) {
        r.next();
        // The ten-day stay over 1..8 October (19 h + 7 × 24 h), the open stay (5 h 30 min) and the 2 h across the fall-back.
        assertThat(r.getLong(1)).isEqualTo((19 + 7 * 24) * 3600L + 5 * 3600 + 1800 + 2 * 3600);
      }
    }
  }

  /**
   * Rebuilds {@code marts} in Spark, then creates each in DuckDB over views of the silver {@code tables}
   * in {@link Marts#all()} order (a mart reading another reads DuckDB's table of it), asserting each
   * check is SAME. The connection is left open for the caller's own queries.
   */
  private static Connection sameInDuckDb(SparkSession spark, LakeLayout lake, List<String> tables, Set<String> marts)
      throws Exception {
    Marts.rebuild(new MartContext(spark, lake, AS_OF), m -> marts.contains(m.name()));
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      for (String macro : DuckDbMarts.macros()) {
        s.execute(macro);
      }
      for (String t : tables) {
        s.execute(MartsBenchmark.view(t, MartsBenchmark.currentFiles(spark, lake.silver(t))));
      }
      for (Mart mart : Marts.all()) {
        if (marts.contains(mart.name())) {
          s.execute("CREATE TABLE " + mart.name() + " AS " + DuckDbMarts.select(mart.name(), AS_OF).orElseThrow());
          MartsBenchmark.Check check = MartsBenchmark.compare(spark, lake.gold(mart.name()), c, mart.name());
          assertThat(check.status()).as(mart.name() + ": " + check.detail()).isEqualTo(MartsBenchmark.Check.Status.SAME);
        }
      }
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Spark's gold rows of {@code mart} as key (the first {@code keys} columns) → the rest, joined by {@code |}. */
  private static Map<String, String> sparkLines(SparkSession spark, LakeLayout lake, String mart, String columns, int keys) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(lake.gold(mart)).selectExpr(columns.split(", ")).collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        cells.add(String.valueOf(r.get(i)));
      }
      assertThat(out.put(String.join("|", cells.subList(0, keys)), String.join("|", cells.subList(keys, cells.size())))).isNull();
    }
    return out;
  }

  /** DuckDB's rows of table {@code mart}, as {@link #sparkLines}. */
  private static Map<String, String> duckLines(Statement s, String mart, String columns, int keys) throws Exception {
    Map<String, String> out = new TreeMap<>();
    String[] cs = columns.split(", ");
    StringBuilder select = new StringBuilder();
    for (String col : cs) {
      select.append(select.length() == 0 ? "" : ", ").append("coalesce(CAST(").append(col).append(" AS VARCHAR), 'null')");
    }
    try (ResultSet r = s.executeQuery("SELECT " + select + " FROM " + mart)) {
      while (r.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= cs.length; i++) {
          cells.add(r.getString(i));
        }
        assertThat(out.put(String.join("|", cells.subList(0, keys)), String.join("|", cells.subList(keys, cells.size())))).isNull();
      }
    }
    return out;
  }
}
