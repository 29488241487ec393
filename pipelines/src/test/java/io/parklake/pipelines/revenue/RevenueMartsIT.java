package io.parklake.pipelines.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.pipelines.marts.MartChecks;
import io.parklake.pipelines.marts.MartLake;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The revenue marts against the same questions answered by plain SQL in PostgreSQL on the seeded
 * source (35 days over both DST changes, JVM in America/Sao_Paulo): every row, money to the cent.
 */
class RevenueMartsIT {
  private static MartLake lake;

  /** PostgreSQL: payments whose money moved, with their local day in the facility's zone. */
  private static final String MOVED = """
      moved AS (
        SELECT p.*, (p.paid_at AT TIME ZONE f.timezone) AS local_time, (p.paid_at AT TIME ZONE f.timezone)::date AS d
        FROM payments p JOIN facilities f ON f.id = p.facility_id
        WHERE p.paid_at IS NOT NULL AND ((p.kind <> 'REFUND' AND p.status IN ('SUCCEEDED', 'REFUNDED'))
          OR (p.kind = 'REFUND' AND p.status = 'SUCCEEDED'))
      ),
      days AS (
        SELECT DISTINCT (coalesce(p.paid_at, p.created_at) AT TIME ZONE f.timezone)::date AS d
        FROM payments p JOIN facilities f ON f.id = p.facility_id
      )""";

  /** PostgreSQL: revenue per facility and period; {@code %1$s} maps a day {@code d} to its period. */
  private static final String PER_PERIOD = """
      WITH %2$s,
      per AS (
        SELECT f.id AS facility_id, %1$s AS period,
          coalesce(sum(m.amount) FILTER (WHERE m.kind <> 'REFUND'), 0) AS gross,
          coalesce(sum(m.amount) FILTER (WHERE m.kind = 'REFUND'), 0) AS refunds,
          count(m.id) FILTER (WHERE m.kind <> 'REFUND') AS payments,
          coalesce(sum(m.amount) FILTER (WHERE m.kind = 'BOOKING'), 0) AS booking_gross,
          coalesce(sum(m.amount) FILTER (WHERE m.kind = 'SUBSCRIPTION'), 0) AS subscription_gross,
          coalesce(sum(m.amount) FILTER (WHERE m.kind = 'FINE'), 0) AS fine_gross
        FROM facilities f CROSS JOIN days
        LEFT JOIN moved m ON m.facility_id = f.id AND m.d = days.d
        GROUP BY 1, 2
        HAVING bool_or(f.is_active) OR count(m.id) > 0
      )
      SELECT facility_id::text, period, gross, refunds, gross - refunds, payments,
        CASE WHEN payments = 0 THEN NULL ELSE round(gross / payments, 2) END,
        booking_gross, subscription_gross, fine_gross
      FROM per""";

  private static final String MEASURES = "gross, refunds, net, payments, average_ticket, booking_gross, subscription_gross, fine_gross";

  private static String[] columns(String period) {
    return ("facility_id, " + period + ", " + MEASURES).split(", ");
  }

  @BeforeAll
  static void buildLake() {
    lake = MartLake.get();
  }

  @Test
  void revenue_daily_equals_postgres_per_facility_and_local_day_to_the_cent() {
    Map<String, String> expected = lake.pg(2, PER_PERIOD.formatted("days.d", MOVED));
    Map<String, String> actual = MartLake.lines(2, lake.gold("revenue_daily").selectExpr(columns("local_date")));
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(actual).isEqualTo(expected);
    assertThat(lake.pg(1, "SELECT DISTINCT timezone FROM facilities").keySet()).as("facility zones")
        .contains("Europe/London", "America/New_York");
    assertThat(expected.keySet()).as("the DST days are in the window").anyMatch(k -> k.endsWith("|2026-10-25"))
        .anyMatch(k -> k.endsWith("|2026-11-01"));
  }

  @Test
  void revenue_weekly_sums_iso_weeks_in_the_facility_zone() {
    Map<String, String> expected = lake.pg(2, PER_PERIOD.formatted("date_trunc('week', days.d)::date", MOVED));
    Map<String, String> actual = MartLake.lines(2, lake.gold("revenue_weekly").selectExpr(columns("week_start")));
    assertThat(actual).isEqualTo(expected);
    Dataset<Row> weekly = lake.gold("revenue_weekly");
    MartChecks.keysUniqueAndNotNull(weekly, "facility_id", "week_start");
    assertThat(weekly.where("dayofweek(week_start) <> 2").count()).as("weeks start on Monday").isZero();
    // 2026-10-26 is in ISO week 44 of 2026.
    assertThat(weekly.where("week_start = DATE'2026-10-26'").selectExpr("max(iso_week)", "max(iso_year)").first().toString())
        .isEqualTo("[44,2026]");
  }

  @Test
  void revenue_monthly_sums_local_months() {
    Map<String, String> expected = lake.pg(2, PER_PERIOD.formatted("date_trunc('month', days.d)::date", MOVED));
    Map<String, String> actual = MartLake.lines(2, lake.gold("revenue_monthly").selectExpr(columns("month_start")));
    assertThat(actual).isEqualTo(expected);
    MartChecks.keysUniqueAndNotNull(lake.gold("revenue_monthly"), "facility_id", "month_start");
  }

  @Test
  void revenue_by_hour_of_week_averages_the_eight_weeks_to_the_as_of_date_in_local_hours() {
    Map<String, String> expected = lake.pg(3, """
        WITH %s,
        slots AS (
          SELECT facility_id, extract(isodow FROM local_time)::int AS dow, extract(hour FROM local_time)::int AS hour,
            coalesce(sum(amount) FILTER (WHERE kind <> 'REFUND'), 0) AS gross,
            coalesce(sum(CASE WHEN kind = 'REFUND' THEN -amount ELSE amount END), 0) AS net,
            count(*) FILTER (WHERE kind <> 'REFUND') AS payments
          FROM moved WHERE d BETWEEN DATE '%s' - 55 AND DATE '%s'
          GROUP BY 1, 2, 3
        )
        SELECT f.id::text, g.d, h.h, round(coalesce(s.gross, 0) / 8, 2), round(coalesce(s.net, 0) / 8, 2),
          coalesce(s.payments, 0)
        FROM facilities f CROSS JOIN generate_series(1, 7) AS g(d) CROSS JOIN generate_series(0, 23) AS h(h)
        LEFT JOIN slots s ON s.facility_id = f.id AND s.dow = g.d AND s.hour = h.h
        WHERE f.is_active""".formatted(MOVED, MartLake.AS_OF, MartLake.AS_OF));
    Dataset<Row> mart = lake.gold("revenue_by_hour_of_week");
    Map<String, String> actual = MartLake.lines(3, mart.selectExpr("facility_id", "iso_weekday", "hour", "average_gross",
        "average_net", "CAST(ROUND(average_payments * 8) AS BIGINT)"));
    assertThat(actual).isEqualTo(expected);
    MartChecks.keysUniqueAndNotNull(mart, "facility_id", "iso_weekday", "hour");
    MartChecks.acceptedValues(mart, "iso_weekday", Set.of(1, 2, 3, 4, 5, 6, 7));
    assertThat(mart.where("average_gross > 0").count()).as("slots with money").isGreaterThan(100);
  }

  @Test
  void payment_methods_counts_attempts_failures_and_shares_per_provider_and_local_month() {
    Map<String, String> expected = lake.pg(3, """
        WITH a AS (
          SELECT p.*, date_trunc('month', (coalesce(p.paid_at, p.created_at) AT TIME ZONE f.timezone))::date AS month_start,
            CASE WHEN p.paid_at IS NOT NULL AND p.status IN ('SUCCEEDED', 'REFUNDED') THEN p.amount ELSE 0 END AS moved
          FROM payments p JOIN facilities f ON f.id = p.facility_id WHERE p.kind <> 'REFUND'
        ), per AS (
          SELECT facility_id, month_start, provider, count(*) AS attempts,
            count(*) FILTER (WHERE status IN ('SUCCEEDED', 'REFUNDED')) AS succeeded,
            count(*) FILTER (WHERE status = 'FAILED') AS failed, sum(moved) AS amount
          FROM a GROUP BY 1, 2, 3
        )
        SELECT facility_id::text, month_start, provider, attempts, succeeded, failed, amount,
          round(amount / nullif(sum(amount) OVER (PARTITION BY facility_id, month_start), 0), 9),
          round(failed::numeric / attempts, 9)
        FROM per""");
    Dataset<Row> mart = lake.gold("payment_methods");
    Map<String, String> actual = MartLake.lines(3, mart.selectExpr("facility_id", "month_start", "provider", "attempts",
        "succeeded", "failed", "amount", "CAST(ROUND(share, 9) AS DECIMAL(12,9))", "CAST(ROUND(failure_rate, 9) AS DECIMAL(12,9))"));
    assertThat(actual).isEqualTo(expected);
    assertThat(mart.where("failed > 0").count()).as("failures are in the data").isPositive();
    MartChecks.keysUniqueAndNotNull(mart, "facility_id", "month_start", "provider");
    MartChecks.relationship(mart, "facility_id", lake.context().table("silver.facilities"), "id");
  }

  @Test
  void every_revenue_mart_has_unique_keys_and_known_facilities() {
    MartChecks.keysUniqueAndNotNull(lake.gold("revenue_daily"), "facility_id", "local_date");
    for (String mart : new String[] {"revenue_daily", "revenue_weekly", "revenue_monthly", "revenue_by_hour_of_week"}) {
      MartChecks.relationship(lake.gold(mart), "facility_id", lake.context().table("silver.facilities"), "id");
    }
    assertThat(lake.gold("revenue_daily").where("net <> gross - refunds").count()).isZero();
  }
}
