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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/**
 * {@code forecast_accuracy}: how well the demand models did in the latest rolling-origin backtest —
 * per facility and target, each candidate's MAE, MASE and interval coverage, and which one forecasts.
 * The mart holds the latest backtest only (a backfill's as-of copy holds one per date of the range),
 * so the period is the as-of day of that backtest; a period the mart holds no backtest for shows the latest.
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
    return buildAll(source, List.of(period)).get(period);
  }

  /**
   * Each period shows the backtest as of its own day when the mart holds it, else the latest one the
   * mart holds; from a backfill's copy as of each date ({@link ReportSource#asOfEachPeriod}), always its own. Each query asks for every
   * backtest needed at once; the rows are split by as-of day (see {@link Report#buildAll}).
   */
  @Override
  public Map<Period, ReportContent> buildAll(ReportSource source, List<Period> periods) {
    source.registerMarts(marts());
    List<LocalDate> held = new ArrayList<>();
    if (!source.asOfEachPeriod()) {
      for (Row r : source.sql("SELECT DISTINCT as_of FROM forecast_accuracy ORDER BY as_of").collectAsList()) {
        held.add(r.getLocalDate(0));
      }
    }
    Map<Period, LocalDate> asOf = new LinkedHashMap<>();
    for (Period p : periods) {
      asOf.put(p, source.asOfEachPeriod() || held.contains(p.start()) || held.isEmpty() ? p.start() : held.get(held.size() - 1));
    }
    List<LocalDate> keys = asOf.values().stream().distinct().toList();
    String in = keys.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));
    Map<LocalDate, ReportTable> all = Tables.split(Tables.percent(source.query("SELECT as_of AS backtest, facility_name, target, "
        + "model, chosen, mae, mase, coverage80, coverage95, history_hours, as_of FROM forecast_accuracy WHERE as_of IN (" + in + ") "
        + "ORDER BY backtest, target, facility_name, mase, model"), "coverage80", "coverage95"), "backtest", keys);
    Map<LocalDate, ReportTable> chosenVsNaive = Tables.split(source.query("SELECT c.as_of AS backtest, c.facility_name, c.target, "
        + "c.model AS chosen_model, c.mase AS chosen_mase, n.mase AS naive_mase FROM forecast_accuracy c JOIN forecast_accuracy n "
        + "ON n.as_of = c.as_of AND n.facility_id = c.facility_id AND n.target = c.target AND n.model = 'naive-24' "
        + "WHERE c.chosen AND c.as_of IN (" + in + ") ORDER BY backtest, c.target, c.facility_name"), "backtest", keys);
    Map<LocalDate, ReportTable> chart = Tables.split(source.query("SELECT as_of AS backtest, facility_name, "
        + "CASE WHEN chosen THEN 'chosen model' ELSE 'seasonal naive' END AS model, mase FROM forecast_accuracy "
        + "WHERE as_of IN (" + in + ") AND target = 'arrivals' AND (chosen OR model = 'naive-24') AND mase IS NOT NULL "
        + "ORDER BY backtest, facility_name, model"), "backtest", keys);
    Map<LocalDate, List<Headline>> headlines = new LinkedHashMap<>();
    keys.forEach(k -> headlines.put(k, new ArrayList<>()));
    for (Row r : source.sql("SELECT c.as_of, c.target, AVG(c.mase), AVG(n.mase), AVG(CASE WHEN c.mase < n.mase THEN 1.0 ELSE 0.0 END) "
        + "FROM forecast_accuracy c JOIN forecast_accuracy n ON n.as_of = c.as_of AND n.facility_id = c.facility_id "
        + "AND n.target = c.target AND n.model = 'naive-24' WHERE c.chosen AND c.as_of IN (" + in + ") "
        + "GROUP BY c.as_of, c.target ORDER BY c.as_of, c.target").collectAsList()) {
      List<Headline> headline = headlines.get(r.getLocalDate(0));
      headline.add(new Headline("Mean MASE, " + r.getString(1) + " (chosen vs naive " + fmt(r, 3) + ")",
          r.isNullAt(2) ? null : r.getDouble(2), ReportTable.Kind.NUMBER, null));
      headline.add(Headline.percent("Facilities beating naive, " + r.getString(1),
          r.isNullAt(4) ? null : ((Number) r.get(4)).doubleValue()));
    }
    Map<Period, ReportContent> out = new LinkedHashMap<>();
    asOf.forEach((p, d) -> out.put(p, content(headlines.get(d), all.get(d), chosenVsNaive.get(d), chart.get(d))));
    return out;
  }

  private static ReportContent content(List<Headline> headline, ReportTable all, ReportTable chosenVsNaive, ReportTable chart) {
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
