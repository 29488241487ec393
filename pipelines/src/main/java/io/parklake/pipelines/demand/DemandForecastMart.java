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

/**
 * {@code demand_forecast}: facility × local hour of the {@value #DAYS} days after the as-of date,
 * expected arrivals and expected utilisation with 80% and 95% intervals, each from the model that won
 * the facility's backtest in {@code forecast_accuracy} (refitted on the whole history). Replaced
 * whole each nightly. Doc: pipelines/docs/marts/demand_forecast.md.
 */
public final class DemandForecastMart implements Mart {
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
    Map<String, ForecastModel> models = new HashMap<>();
    Forecaster.standard(DemandModels.DAY, DemandModels.WEEK).candidates().forEach(m -> models.put(m.name(), m));
    ForecastModel fallback = ForecastModel.seasonalNaive(DemandModels.DAY);

    List<List<Row>> perFacility = series.parallelStream().map(s -> {
      ZoneId zone = ZoneId.of(s.timezone());
      ZonedDateTime start = context.asOf().plusDays(1).atStartOfDay(zone);
      int hours = (int) Duration.between(start, context.asOf().plusDays(DAYS + 1).atStartOfDay(zone)).toHours();
      Forecast[] f = new Forecast[2];
      String[] used = new String[2];
      for (int t = 0; t < 2; t++) {
        String target = DemandModels.TARGETS.get(t);
        ForecastModel m = models.getOrDefault(winners.get(s.facilityId() + "|" + target), fallback);
        double[] y = DemandModels.values(s, target);
        if (y.length < m.minimumLength()) {
          m = fallback;
        }
        if (y.length < m.minimumLength()) {
          return List.<Row>of();
        }
        f[t] = m.forecast(y, hours);
        used[t] = m.name();
      }
      List<Row> rows = new ArrayList<>(hours);
      for (int h = 0; h < hours; h++) {
        Instant at = start.toInstant().plus(Duration.ofHours(h));
        ZonedDateTime local = at.atZone(zone);
        rows.add(RowFactory.create(s.facilityId(), s.facilityName(), s.timezone(), at,
            local.toLocalDate(), local.getHour(), h + 1,
            used[0], clip(f[0].mean()[h], 0, Double.MAX_VALUE), clip(f[0].lo80()[h], 0, Double.MAX_VALUE),
            clip(f[0].hi80()[h], 0, Double.MAX_VALUE), clip(f[0].lo95()[h], 0, Double.MAX_VALUE),
            clip(f[0].hi95()[h], 0, Double.MAX_VALUE),
            used[1], clip(f[1].mean()[h], 0, 1), clip(f[1].lo80()[h], 0, 1), clip(f[1].hi80()[h], 0, 1),
            clip(f[1].lo95()[h], 0, 1), clip(f[1].hi95()[h], 0, 1), context.asOf()));
      }
      return rows;
    }).toList();
    List<Row> rows = new ArrayList<>();
    perFacility.forEach(rows::addAll);
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

  /** Arrivals cannot be negative and utilisation lies in [0, 1]; clipping keeps the intervals nested. */
  private static double clip(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
