package io.parklake.pipelines.demand;

import io.parklake.pipelines.forecast.Forecast;
import io.parklake.pipelines.forecast.ForecastModel;
import io.parklake.pipelines.forecast.Forecaster;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code demand_forecast}: facility × local hour of the {@value #DAYS} days after the as-of date,
 * expected arrivals and expected utilisation with 80% and 95% intervals, each from the model that won
 * the facility's backtest in {@code forecast_accuracy} (refitted on the whole history; seasonal naive
 * with period 24 when that refit fails, named in the model columns and logged). Replaced whole each
 * nightly. Doc: pipelines/docs/marts/demand_forecast.md.
 */
public final class DemandForecastMart implements Mart {
  private static final Logger log = LoggerFactory.getLogger(DemandForecastMart.class);
  static final int DAYS = 14;

  @Override
  public String name() {
    return "demand_forecast";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.bookings", "silver.facilities", "gold.occupancy_hourly", "gold.forecast_accuracy");
  }

  @Override
  public String dateColumn() {
    return null;
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> changedDays) {
    List<DemandHistory.Series> series = DemandHistory.load(context);
    Map<String, String> winners = new HashMap<>();
    for (Row r : context.table("gold.forecast_accuracy").where("chosen").select("facility_id", "target", "model").collectAsList()) {
      winners.put(r.getString(0) + "|" + r.getString(1), r.getString(2));
    }
    Forecaster forecaster = Forecaster.standard(DemandModels.DAY, DemandModels.WEEK);
    Map<String, ForecastModel> models = new HashMap<>();
    forecaster.candidates().forEach(m -> models.put(m.name(), m));

    List<Facility> perFacility = series.parallelStream().map(s -> {
      ZoneId zone = ZoneId.of(s.timezone());
      ZonedDateTime start = context.asOf().plusDays(1).atStartOfDay(zone);
      int hours = (int) Duration.between(start, context.asOf().plusDays(DAYS + 1).atStartOfDay(zone)).toHours();
      Forecaster.Used[] f = new Forecaster.Used[2];
      int fallbacks = 0;
      for (int t = 0; t < 2; t++) {
        String target = DemandModels.TARGETS.get(t);
        ForecastModel winner = models.getOrDefault(winners.get(s.facilityId() + "|" + target), forecaster.seasonalNaive());
        try {
          f[t] = forecast(forecaster, winner, DemandModels.values(s, target), hours);
        } catch (RuntimeException e) {
          // Seasonal naive itself failed (a non-finite value in the history): no forecast for this facility.
          log.warn("demand_forecast: facility {} ({}) {}: no forecast: {}", s.facilityName(), s.facilityId(), target, e.toString());
          return new Facility(List.of(), fallbacks, true);
        }
        if (f[t] == null) {
          return new Facility(List.of(), fallbacks, false);
        }
        if (f[t].fellBack()) {
          fallbacks++;
          log.warn("demand_forecast: facility {} ({}) {}: forecast by {} instead of {}: {}", s.facilityName(), s.facilityId(),
              target, f[t].model().name(), f[t].failure().model(), f[t].failure().reason());
        }
      }
      Forecast a = f[0].forecast();
      Forecast u = f[1].forecast();
      List<Row> rows = new ArrayList<>(hours);
      for (int h = 0; h < hours; h++) {
        Instant at = start.toInstant().plus(Duration.ofHours(h));
        ZonedDateTime local = at.atZone(zone);
        rows.add(RowFactory.create(s.facilityId(), s.facilityName(), s.timezone(), at,
            local.toLocalDate(), local.getHour(), h + 1,
            f[0].model().name(), clip(a.mean()[h], 0, Double.MAX_VALUE), clip(a.lo80()[h], 0, Double.MAX_VALUE),
            clip(a.hi80()[h], 0, Double.MAX_VALUE), clip(a.lo95()[h], 0, Double.MAX_VALUE),
            clip(a.hi95()[h], 0, Double.MAX_VALUE),
            f[1].model().name(), clip(u.mean()[h], 0, 1), clip(u.lo80()[h], 0, 1), clip(u.hi80()[h], 0, 1),
            clip(u.lo95()[h], 0, 1), clip(u.hi95()[h], 0, 1), context.asOf()));
      }
      return new Facility(rows, fallbacks, false);
    }).toList();
    int fallbacks = perFacility.stream().mapToInt(Facility::fallbacks).sum();
    long failed = perFacility.stream().filter(Facility::failed).count();
    if (fallbacks > 0 || failed > 0) {
      log.warn("demand_forecast: {} facility x target forecasts fell back to {} (see above), {} facilities without a forecast",
          fallbacks, forecaster.seasonalNaive().name(), failed);
    }
    List<Row> rows = new ArrayList<>();
    perFacility.forEach(p -> rows.addAll(p.rows()));
    StructType schema = new StructType()
        .add("facility_id", DataTypes.StringType, false)
        .add("facility_name", DataTypes.StringType)
        .add("timezone", DataTypes.StringType)
        .add("hour_start", DataTypes.TimestampType, false)
        .add("local_date", DataTypes.DateType, false)
        .add("local_hour", DataTypes.IntegerType, false)
        .add("step", DataTypes.IntegerType, false)
        .add("arrivals_model", DataTypes.StringType)
        .add("expected_arrivals", DataTypes.DoubleType)
        .add("arrivals_lo80", DataTypes.DoubleType)
        .add("arrivals_hi80", DataTypes.DoubleType)
        .add("arrivals_lo95", DataTypes.DoubleType)
        .add("arrivals_hi95", DataTypes.DoubleType)
        .add("utilisation_model", DataTypes.StringType)
        .add("expected_utilisation", DataTypes.DoubleType)
        .add("utilisation_lo80", DataTypes.DoubleType)
        .add("utilisation_hi80", DataTypes.DoubleType)
        .add("utilisation_lo95", DataTypes.DoubleType)
        .add("utilisation_hi95", DataTypes.DoubleType)
        .add("as_of", DataTypes.DateType, false);
    return context.spark().createDataFrame(rows, schema);
  }

  /** One facility's rows, how many of its two targets fell back to seasonal naive, and whether it has none because of a failure. */
  private record Facility(List<Row> rows, int fallbacks, boolean failed) {}

  /**
   * One target's forecast over the next {@code hours}: by {@code winner} (the backtest's choice)
   * refitted on the whole history {@code y}, or by seasonal naive with period 24 when the history is
   * shorter than the winner needs, or when the refit throws or forecasts a NaN or infinite value (then
   * the result's {@link Forecaster.Used#failure()} says why). Null when the history is shorter than
   * seasonal naive needs (25 hours).
   */
  static Forecaster.Used forecast(Forecaster forecaster, ForecastModel winner, double[] y, int hours) {
    ForecastModel fallback = forecaster.seasonalNaive();
    if (y.length < fallback.minimumLength()) {
      return null;
    }
    return forecaster.forecast(y.length < winner.minimumLength() ? fallback : winner, y, hours);
  }

  /** Arrivals cannot be negative and utilisation lies in [0, 1]; clipping keeps the intervals nested. */
  private static double clip(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
