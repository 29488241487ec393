package io.parklake.pipelines.demand;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code forecast_accuracy}: facility × target (arrivals, utilisation) × model, how each candidate
 * did in the rolling-origin backtest over the last four weeks (MAE, MASE against seasonal naive,
 * coverage of the 80% and 95% intervals), and which one was chosen to forecast. A candidate that
 * failed on a series (see {@link DemandModels}) has no row there; the chosen row is always one that ran.
 * Replaced whole each nightly. Doc: pipelines/docs/marts/forecast_accuracy.md.
 */
public final class ForecastAccuracyMart implements Mart {

  @Override
  public String name() {
    return "forecast_accuracy";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.bookings", "silver.facilities", "gold.occupancy_hourly");
  }

  @Override
  public String dateColumn() {
    return null;
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> changedDays) {
    return computeAsOf(context, new TreeSet<>(Set.of(context.asOf())));
  }

  @Override
  public String asOfColumn() {
    return "as_of";
  }

  /** The backtests as of each of {@code days}, from the demand history loaded once for all of them. */
  @Override
  public Dataset<Row> computeAsOf(MartContext context, SortedSet<LocalDate> days) {
    List<Row> rows = new ArrayList<>();
    DemandHistory.loadEach(context, days).forEach((asOf, series) -> {
      for (DemandModels.Accuracy a : DemandModels.backtest(series).rows()) {
        rows.add(RowFactory.create(a.series().facilityId(), a.series().facilityName(), a.target(), a.backtest().model(),
            a.chosen(), finite(a.backtest().mae()), finite(a.backtest().mase()), finite(a.backtest().coverage80()),
            finite(a.backtest().coverage95()), a.backtest().origins(), a.backtest().horizon(), a.series().length(), asOf));
      }
    });
    StructType schema = new StructType()
        .add("facility_id", DataTypes.StringType, false)
        .add("facility_name", DataTypes.StringType)
        .add("target", DataTypes.StringType, false)
        .add("model", DataTypes.StringType, false)
        .add("chosen", DataTypes.BooleanType, false)
        .add("mae", DataTypes.DoubleType)
        .add("mase", DataTypes.DoubleType)
        .add("coverage80", DataTypes.DoubleType)
        .add("coverage95", DataTypes.DoubleType)
        .add("origins", DataTypes.IntegerType, false)
        .add("horizon_hours", DataTypes.IntegerType, false)
        .add("history_hours", DataTypes.IntegerType, false)
        .add("as_of", DataTypes.DateType, false);
    return context.spark().createDataFrame(rows, schema);
  }

  /** NaN (MASE of a series without seasonal variation) is stored as null, which BI tools understand. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
