package io.parklake.pipelines.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.pipelines.marts.MartChecks;
import io.parklake.pipelines.marts.MartLake;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operations marts against plain SQL in PostgreSQL on the same seeded source, row for row. */
class OperationsMartsIT {
  private static MartLake lake;

  @BeforeAll
  static void buildLake() {
    lake = MartLake.get();
  }

  @Test
  void violations_daily_equals_postgres_per_facility_local_day_and_type() {
    Map<String, String> expected = lake.pg(3, """
        WITH collected AS (
          SELECT violation_id, sum(amount) AS amount FROM payments
          WHERE kind = 'FINE' AND status IN ('SUCCEEDED', 'REFUNDED') AND paid_at IS NOT NULL AND violation_id IS NOT NULL
          GROUP BY 1
        )
        SELECT v.facility_id::text, (v.violation_time AT TIME ZONE f.timezone)::date, v.violation_type,
          count(*), sum(v.penalty_amount), coalesce(sum(c.amount), 0),
          round(coalesce(sum(c.amount), 0) / nullif(sum(v.penalty_amount), 0), 9),
          count(*) FILTER (WHERE v.status = 'PAID'), count(*) FILTER (WHERE v.status = 'WAIVED'),
          count(*) FILTER (WHERE v.status IN ('OPEN', 'DISPUTED')), count(v.resolved_at),
          round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM v.resolved_at - v.violation_time) / 3600))::numeric, 6)
        FROM violations v JOIN facilities f ON f.id = v.facility_id
        LEFT JOIN collected c ON c.violation_id = v.id
        GROUP BY 1, 2, 3""");
    Dataset<Row> mart = lake.gold("violations_daily");
    Map<String, String> actual = MartLake.lines(3, mart.selectExpr("facility_id", "local_date", "violation_type", "issued",
        "fines_issued", "fines_collected", "CAST(ROUND(collection_rate, 9) AS DECIMAL(12,9))", "paid", "waived", "open",
        "resolved", "CAST(ROUND(median_hours_to_resolve, 6) AS DECIMAL(18,6))"));
    assertThat(expected).hasSizeGreaterThan(20);
    assertThat(actual).isEqualTo(expected);
    MartChecks.keysUniqueAndNotNull(mart, "facility_id", "local_date", "violation_type");
    MartChecks.relationship(mart, "facility_id", lake.context().table("silver.facilities"), "id");
    assertThat(mart.where("fines_collected > 0").count()).as("collected fines are in the data").isPositive();
  }

  @Test
  void booking_durations_equals_postgres_percentiles_per_facility_and_local_month() {
    Map<String, String> expected = lake.pg(2, """
        WITH s AS (
          SELECT b.facility_id, date_trunc('month', b.entry_time AT TIME ZONE f.timezone)::date AS month_start,
            extract(epoch FROM b.actual_exit - b.entry_time) / 60 AS minutes,
            b.expected_exit IS NOT NULL AND b.actual_exit > b.expected_exit AS overstay
          FROM bookings b JOIN facilities f ON f.id = b.facility_id
          WHERE b.status = 'COMPLETED' AND b.actual_exit IS NOT NULL
        )
        SELECT facility_id::text, month_start, count(*),
          round((percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes))::numeric, 6),
          round((percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes))::numeric, 6),
          round(avg(minutes)::numeric, 6), count(*) FILTER (WHERE overstay),
          round(count(*) FILTER (WHERE overstay)::numeric / count(*), 9)
        FROM s GROUP BY 1, 2""");
    Dataset<Row> mart = lake.gold("booking_durations");
    Map<String, String> actual = MartLake.lines(2, mart.selectExpr("facility_id", "month_start", "completed_stays",
        "CAST(ROUND(p50_minutes, 6) AS DECIMAL(18,6))", "CAST(ROUND(p90_minutes, 6) AS DECIMAL(18,6))",
        "CAST(ROUND(mean_minutes, 6) AS DECIMAL(18,6))", "overstays", "CAST(ROUND(overstay_rate, 9) AS DECIMAL(12,9))"));
    assertThat(actual).isEqualTo(expected);
    MartChecks.keysUniqueAndNotNull(mart, "facility_id", "month_start");
    assertThat(mart.where("p90_minutes < p50_minutes").count()).isZero();
  }

  @Test
  void booking_outcomes_equals_postgres_per_facility_and_iso_week_of_entry() {
    Map<String, String> expected = lake.pg(2, """
        SELECT b.facility_id::text, date_trunc('week', b.entry_time AT TIME ZONE f.timezone)::date, count(*),
          count(*) FILTER (WHERE status = 'COMPLETED'), count(*) FILTER (WHERE status = 'ACTIVE'),
          count(*) FILTER (WHERE status IN ('PENDING', 'CONFIRMED')), count(*) FILTER (WHERE status = 'CANCELLED'),
          count(*) FILTER (WHERE status = 'NO_SHOW'),
          round(count(*) FILTER (WHERE status = 'CANCELLED')::numeric / count(*), 9),
          round(count(*) FILTER (WHERE status = 'NO_SHOW')::numeric / count(*), 9)
        FROM bookings b JOIN facilities f ON f.id = b.facility_id GROUP BY 1, 2""");
    Dataset<Row> mart = lake.gold("booking_outcomes");
    Map<String, String> actual = MartLake.lines(2, mart.selectExpr("facility_id", "week_start", "bookings", "completed",
        "active", "upcoming", "cancelled", "no_shows", "CAST(ROUND(cancellation_rate, 9) AS DECIMAL(12,9))",
        "CAST(ROUND(no_show_rate, 9) AS DECIMAL(12,9))"));
    assertThat(actual).isEqualTo(expected);
    MartChecks.keysUniqueAndNotNull(mart, "facility_id", "week_start");
    assertThat(mart.where("cancelled > 0").count()).isPositive();
    assertThat(mart.where("no_shows > 0").count()).isPositive();
    MartChecks.acceptedValues(mart.selectExpr("dayofweek(week_start) AS dow"), "dow", Set.of(2));
  }
}
