package io.parklake.pipelines.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.parklake.pipelines.marts.MartChecks;
import io.parklake.pipelines.marts.MartLake;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forecasting marts: the hourly history they learn from equals plain SQL in PostgreSQL, the
 * seasonal-naive backtest reproduces a hand computation on that SQL series, the chosen model is the
 * one with the lowest MASE, and the forecast covers the next 14 local days with nested intervals.
 */
class DemandForecastIT {
  private static MartLake lake;

  @BeforeAll
  static void buildLake() {
    lake = MartLake.get();
  }

  /** Arrivals per local hour of each active facility over the marts' history window, by PostgreSQL. */
  private static Map<String, double[]> arrivalsByPostgres() {
    LocalDate last = MartLake.AS_OF;
    Map<String, String> rows = lake.pg(2, """
        WITH bounds AS (
          SELECT greatest(DATE '%1$s' - 55, min((b.entry_time AT TIME ZONE f.timezone)::date)) AS first_day
          FROM bookings b JOIN facilities f ON f.id = b.facility_id
        ), hours AS (
          SELECT f.id, f.timezone, h
          FROM facilities f CROSS JOIN bounds,
            generate_series((bounds.first_day::timestamp AT TIME ZONE f.timezone),
                            ((DATE '%1$s' + 1)::timestamp AT TIME ZONE f.timezone) - interval '1 hour', interval '1 hour') h
          WHERE f.is_active
        )
        SELECT hours.id::text, to_char(hours.h AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI'), count(b.id)
        FROM hours LEFT JOIN bookings b ON b.facility_id = hours.id AND b.status IN ('COMPLETED', 'ACTIVE')
          AND b.entry_time >= hours.h AND b.entry_time < hours.h + interval '1 hour'
        GROUP BY 1, 2""".formatted(last));
    Map<String, List<Double>> series = new TreeMap<>();
    rows.forEach((key, count) -> series.computeIfAbsent(key.substring(0, key.indexOf('|')), k -> new ArrayList<>())
        .add(Double.parseDouble(count)));
    Map<String, double[]> out = new TreeMap<>();
    series.forEach((id, values) -> out.put(id, values.stream().mapToDouble(Double::doubleValue).toArray()));
    return out;
  }

  @Test
  void the_hourly_arrivals_history_equals_postgres_counts_per_local_hour() {
    Map<String, double[]> expected = arrivalsByPostgres();
    Map<String, double[]> actual = new TreeMap<>();
    for (DemandHistory.Series s : DemandHistory.load(lake.context())) {
      actual.put(s.facilityId(), s.arrivals());
    }
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((id, values) -> assertThat(actual.get(id)).as("arrivals of %s", id).containsExactly(values));
    // 35 local days of which one (2026-10-25 in Europe, 2026-11-01 in America) has 25 hours.
    assertThat(expected.values().stream().map(v -> v.length).collect(Collectors.toSet())).contains(35 * 24 + 1);
    assertThat(expected.values().stream().mapToDouble(v -> java.util.Arrays.stream(v).sum()).sum()).isGreaterThan(1000);
  }

  @Test
  void the_seasonal_naive_backtest_equals_a_hand_computation_on_the_postgres_series() {
    Map<String, double[]> series = arrivalsByPostgres();
    Dataset<Row> accuracy = lake.gold("forecast_accuracy");
    int checked = 0;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      double[] y = e.getValue();
      int origins = 4;
      int horizon = 168;
      int first = y.length - origins * horizon;
      double abs = 0;
      for (int k = 0; k < origins; k++) {
        int origin = first + k * horizon;
        for (int h = 1; h <= horizon; h++) {
          // Same hour of the last day before the origin, repeated.
          double forecast = y[origin - 24 + (h - 1) % 24];
          abs += Math.abs(y[origin + h - 1] - forecast);
        }
      }
      double mae = abs / (origins * horizon);
      List<Row> row = accuracy.where("facility_id = '" + e.getKey() + "' AND target = 'arrivals' AND model = 'naive-24'")
          .select("mae").collectAsList();
      assertThat(row).as("naive-24 arrivals backtest of %s", e.getKey()).hasSize(1);
      assertThat(row.get(0).getDouble(0)).isCloseTo(mae, within(1e-9));
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(3);
  }

  @Test
  void exactly_one_model_is_chosen_per_facility_and_target_and_it_has_the_lowest_mase() {
    Dataset<Row> accuracy = lake.gold("forecast_accuracy");
    MartChecks.keysUniqueAndNotNull(accuracy, "facility_id", "target", "model");
    MartChecks.acceptedValues(accuracy, "target", Set.of("arrivals", "utilisation"));
    MartChecks.relationship(accuracy, "facility_id", lake.context().table("silver.facilities"), "id");
    Map<String, List<Row>> groups = accuracy.collectAsList().stream()
        .collect(Collectors.groupingBy(r -> r.<String>getAs("facility_id") + "|" + r.<String>getAs("target")));
    assertThat(groups).hasSizeGreaterThanOrEqualTo(6);
    groups.forEach((key, rows) -> {
      assertThat(rows.stream().filter(r -> r.<Boolean>getAs("chosen")).count()).as("chosen in %s", key).isEqualTo(1);
      assertThat(rows.stream().map(r -> r.<String>getAs("model"))).as("candidates of %s", key).contains("naive-24");
      boolean maseDefined = rows.stream().allMatch(r -> r.getAs("mase") != null);
      Comparator<Row> by = Comparator.comparingDouble(r -> maseDefined ? r.<Double>getAs("mase") : r.<Double>getAs("mae"));
      Row best = rows.stream().min(by).orElseThrow();
      Row chosen = rows.stream().filter(r -> r.<Boolean>getAs("chosen")).findFirst().orElseThrow();
      assertThat(by.compare(chosen, best)).as("chosen of %s has the lowest score", key).isZero();
      rows.forEach(r -> {
        assertThat(r.<Double>getAs("coverage80")).isBetween(0.0, 1.0);
        assertThat(r.<Double>getAs("coverage95")).isGreaterThanOrEqualTo(r.<Double>getAs("coverage80"));
        assertThat(r.<Integer>getAs("origins")).isEqualTo(4);
        assertThat(r.<Integer>getAs("horizon_hours")).isEqualTo(168);
      });
    });
  }

  @Test
  void the_forecast_covers_every_local_hour_of_the_next_14_days_with_nested_intervals() {
    Dataset<Row> forecast = lake.gold("demand_forecast");
    MartChecks.keysUniqueAndNotNull(forecast, "facility_id", "hour_start");
    MartChecks.relationship(forecast, "facility_id", lake.context().table("silver.facilities"), "id");
    for (Row f : forecast.groupBy("facility_id", "timezone").count().collectAsList()) {
      ZoneId zone = ZoneId.of(f.getString(1));
      long hours = Duration.between(MartLake.AS_OF.plusDays(1).atStartOfDay(zone), MartLake.AS_OF.plusDays(15).atStartOfDay(zone))
          .toHours();
      assertThat(f.getLong(2)).as("hours forecast for %s", f.getString(0)).isEqualTo(hours);
    }
    assertThat(forecast.selectExpr("min(local_date)", "max(local_date)").first().toString())
        .isEqualTo("[" + MartLake.AS_OF.plusDays(1) + "," + MartLake.AS_OF.plusDays(14) + "]");
    assertThat(forecast.where("NOT (arrivals_lo95 <= arrivals_lo80 AND arrivals_lo80 <= expected_arrivals "
        + "AND expected_arrivals <= arrivals_hi80 AND arrivals_hi80 <= arrivals_hi95)").count()).isZero();
    assertThat(forecast.where("NOT (utilisation_lo95 <= utilisation_lo80 AND utilisation_lo80 <= expected_utilisation "
        + "AND expected_utilisation <= utilisation_hi80 AND utilisation_hi80 <= utilisation_hi95)").count()).isZero();
    assertThat(forecast.where("arrivals_lo95 < 0 OR utilisation_lo95 < 0 OR utilisation_hi95 > 1").count()).isZero();
    assertThat(forecast.where("expected_arrivals > 0").count()).as("hours with expected arrivals").isPositive();
    // The model that forecast is the one the backtest chose.
    long mismatched = forecast.alias("f").join(lake.gold("forecast_accuracy").where("chosen AND target = 'arrivals'").alias("a"),
        org.apache.spark.sql.functions.col("f.facility_id").equalTo(org.apache.spark.sql.functions.col("a.facility_id")))
        .where("f.arrivals_model <> a.model").count();
    assertThat(mismatched).isZero();
  }

  /**
   * A backfill loads the history once for many as-of dates and cuts each date's window out of it:
   * each cut equals the history loaded for that date alone (hours, arrivals, utilisation), on a date
   * before the data, on both DST days of the seeded zones, and at the last date; and the
   * forecast_accuracy computed as of several dates at once equals each date computed alone.
   */
  @Test
  void the_history_and_backtests_as_of_many_dates_at_once_equal_each_date_alone() {
    java.util.SortedSet<LocalDate> days = new java.util.TreeSet<>(List.of(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 25),
        LocalDate.of(2026, 11, 1), MartLake.AS_OF));
    Map<LocalDate, List<DemandHistory.Series>> each = DemandHistory.loadEach(lake.context(), days);
    assertThat(each.keySet()).containsExactlyElementsOf(days);
    assertThat(each.get(LocalDate.of(2026, 9, 30))).as("before the first booking").isEmpty();
    int compared = 0;
    for (LocalDate d : days) {
      List<DemandHistory.Series> alone = DemandHistory.load(asOf(d));
      List<DemandHistory.Series> cut = each.get(d);
      assertThat(cut).as("series as of %s", d).hasSameSizeAs(alone);
      for (int i = 0; i < alone.size(); i++) {
        DemandHistory.Series a = alone.get(i);
        DemandHistory.Series c = cut.get(i);
        assertThat(c.facilityId()).isEqualTo(a.facilityId());
        assertThat(c.hourStarts()).as("hours of %s as of %s", a.facilityId(), d).containsExactly(a.hourStarts());
        assertThat(c.arrivals()).as("arrivals of %s as of %s", a.facilityId(), d).containsExactly(a.arrivals());
        assertThat(c.utilisation()).as("utilisation of %s as of %s", a.facilityId(), d).containsExactly(a.utilisation());
        compared++;
      }
    }
    assertThat(compared).isGreaterThanOrEqualTo(3 * 3);

    java.util.SortedSet<LocalDate> backtested = new java.util.TreeSet<>(List.of(MartLake.AS_OF.minusDays(1), MartLake.AS_OF));
    ForecastAccuracyMart mart = new ForecastAccuracyMart();
    Dataset<Row> atOnce = mart.computeAsOf(lake.context(), backtested);
    for (LocalDate d : backtested) {
      Map<String, String> expected = MartLake.lines(4, mart.compute(asOf(d), backtested));
      assertThat(expected).as("backtests as of %s", d).isNotEmpty();
      assertThat(MartLake.lines(4, atOnce.where("as_of = DATE'" + d + "'")))
          .as("forecast_accuracy as of %s", d).isEqualTo(expected);
    }
  }

  private static io.parklake.pipelines.marts.MartContext asOf(LocalDate d) {
    return new io.parklake.pipelines.marts.MartContext(lake.context().spark(), lake.lake(), d);
  }
}
