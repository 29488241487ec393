package io.parklake.reports.forecast;

import io.parklake.reports.catalog.Headline;
import io.parklake.reports.catalog.Period;
import io.parklake.reports.catalog.Report;
import io.parklake.reports.catalog.ReportContent;
import io.parklake.reports.catalog.ReportContent.Section;
import io.parklake.reports.catalog.ReportContent.Table;
import io.parklake.reports.catalog.ReportSource;
import io.parklake.reports.catalog.Tables;
import io.parklake.reports.chart.ChartSpec;
import io.parklake.reports.table.ReportTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * {@code forecast_accuracy}: how well the demand models did in the latest rolling-origin backtest —
 * per facility and target, each candidate's MAE, MASE and interval coverage, and which one forecasts.
 * The mart holds the latest backtest only, so the period is the as-of day of that backtest.
 */
public final class ForecastAccuracyReport implements Report {

  @Override
  public String name() {
    return "forecast_accuracy";
  }

  @Override
  public String title() {
    return "Demand forecast accuracy";
  }

  @Override
  public Period.Kind periodKind() {
    return Period.Kind.DAY;
  }

  @Override
  public List<String> marts() {
    return List.of("forecast_accuracy");
  }

  @Override
  public ReportContent build(ReportSource source, Period period) {
    source.registerMarts(marts());
    ReportTable all = Tables.percent(source.query("SELECT facility_name, target, model, chosen, mae, mase, coverage80, coverage95, "
        + "history_hours, as_of FROM forecast_accuracy ORDER BY target, facility_name, mase, model"), "coverage80", "coverage95");
    ReportTable chosenVsNaive = source.query("SELECT c.facility_name, c.target, c.model AS chosen_model, c.mase AS chosen_mase, "
        + "n.mase AS naive_mase FROM forecast_accuracy c JOIN forecast_accuracy n ON n.facility_id = c.facility_id "
        + "AND n.target = c.target AND n.model = 'naive-24' WHERE c.chosen ORDER BY c.target, c.facility_name");
    ReportTable chart = source.query("SELECT facility_name, CASE WHEN chosen THEN 'chosen model' ELSE 'seasonal naive' END AS model, "
        + "mase FROM forecast_accuracy WHERE target = 'arrivals' AND (chosen OR model = 'naive-24') AND mase IS NOT NULL "
        + "ORDER BY facility_name, model");
    List<Headline> headline = new ArrayList<>();
    for (Row r : source.sql("SELECT c.target, AVG(c.mase), AVG(n.mase), AVG(CASE WHEN c.mase < n.mase THEN 1.0 ELSE 0.0 END), "
        + "MAX(c.as_of) FROM forecast_accuracy c JOIN forecast_accuracy n ON n.facility_id = c.facility_id AND n.target = c.target "
        + "AND n.model = 'naive-24' WHERE c.chosen GROUP BY c.target ORDER BY c.target").collectAsList()) {
      headline.add(new Headline("Mean MASE, " + r.getString(0) + " (chosen vs naive " + fmt(r, 2) + ")",
          r.isNullAt(1) ? null : r.getDouble(1), ReportTable.Kind.NUMBER, null));
      headline.add(Headline.percent("Facilities beating naive, " + r.getString(0),
          r.isNullAt(3) ? null : ((Number) r.get(3)).doubleValue()));
    }
    return new ReportContent(headline, List.of(
        new Section("Chosen model against seasonal naive",
            "MASE below 1 beats the same hour yesterday; each facility is forecast by its lowest-MASE model.",
            List.of(Table.of("Chosen", "Chosen model vs seasonal naive", chosenVsNaive),
                Table.of("MASE", "Arrivals MASE by facility", chart).withChart(ChartSpec.bar(
                    "Arrivals forecast error (MASE) by facility", "facility_name", "model", "mase", "Facility", "MASE (1 = seasonal naive)")))),
        new Section("Every candidate", "The rolling-origin backtest: 4 origins one week apart, each forecasting the next 168 hours.",
            List.of(Table.of("Backtest", "Backtest of every candidate model", all)))));
  }

  private static String fmt(Row r, int i) {
    return r.isNullAt(i) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", r.getDouble(i));
  }
}
