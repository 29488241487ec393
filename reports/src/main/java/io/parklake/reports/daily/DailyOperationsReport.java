package io.parklake.reports.daily;

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

/**
 * {@code daily_operations}: yesterday per facility for the operations manager — revenue, occupancy
 * peaks, violations, and anomalies: days whose net revenue or payments differ by more than
 * {@value #ANOMALY_PERCENT}% from the mean of the same weekday in the previous four weeks.
 */
public final class DailyOperationsReport implements Report {
  static final int ANOMALY_PERCENT = 30;

  @Override
  public String name() {
    return "daily_operations";
  }

  @Override
  public String title() {
    return "Daily operations";
  }

  @Override
  public Period.Kind periodKind() {
    return Period.Kind.DAY;
  }

  @Override
  public List<String> marts() {
    return List.of("revenue_daily", "occupancy_peaks", "violations_daily");
  }

  @Override
  public ReportContent build(ReportSource source, Period period) {
    return buildAll(source, List.of(period)).get(period);
  }

  /** Each query asks for every period's day at once; the rows are split by day (see {@link Report#buildAll}). */
  @Override
  public Map<Period, ReportContent> buildAll(ReportSource source, List<Period> periods) {
    source.registerMarts(marts());
    List<LocalDate> days = periods.stream().map(Period::start).toList();
    String in = days.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));
    String span = "BETWEEN DATE'" + days.stream().min(LocalDate::compareTo).orElseThrow().minusDays(28) + "' AND DATE'"
        + days.stream().max(LocalDate::compareTo).orElseThrow() + "'";
    Map<LocalDate, ReportTable> revenue = Tables.split(Tables.nonAdditive(source.query("SELECT local_date AS day, facility_name, "
        + "city, currency, gross, refunds, net, payments, average_ticket FROM revenue_daily WHERE local_date IN (" + in + ") "
        + "ORDER BY day, currency, facility_name"), "average_ticket"), "day", days);
    Map<LocalDate, ReportTable> peaks = Tables.split(Tables.percent(source.query("SELECT local_date AS day, facility_name, "
        + "peak_local_hour, peak_utc_offset, peak_utilisation, avg_utilisation, peak_concurrent FROM occupancy_peaks "
        + "WHERE local_date IN (" + in + ") ORDER BY day, facility_name"), "peak_utilisation", "avg_utilisation"), "day", days);
    Map<LocalDate, ReportTable> violations = Tables.split(Tables.percent(source.query("SELECT local_date AS day, facility_name, "
        + "violation_type, currency, issued, fines_issued, fines_collected, collection_rate, resolved FROM violations_daily "
        + "WHERE local_date IN (" + in + ") ORDER BY day, currency, facility_name, violation_type"), "collection_rate"), "day", days);
    // The usual day of each report day: the same weekday 7, 14, 21 and 28 days before it.
    Map<LocalDate, ReportTable> anomalies = Tables.split(Tables.percent(source.query(
        "WITH base AS (\n"
            + "  SELECT date_add(local_date, w.weeks_back * 7) AS day, facility_id, AVG(net) AS usual_net, AVG(payments) AS usual_payments,\n"
            + "    COUNT(*) AS weeks\n"
            + "  FROM revenue_daily LATERAL VIEW explode(array(1, 2, 3, 4)) w AS weeks_back\n"
            + "  WHERE local_date " + span + " AND date_add(local_date, w.weeks_back * 7) IN (" + in + ")\n"
            + "  GROUP BY 1, 2\n"
            + ")\n"
            + "SELECT b.day, r.facility_name, r.currency, r.net, CAST(ROUND(b.usual_net, 2) AS DECIMAL(18,2)) AS usual_net,\n"
            + "  CASE WHEN b.usual_net > 0 THEN CAST(r.net / b.usual_net - 1 AS DOUBLE) END AS net_change,\n"
            + "  r.payments, CAST(b.usual_payments AS DOUBLE) AS usual_payments, b.weeks AS weeks_compared\n"
            + "FROM revenue_daily r JOIN base b ON b.facility_id = r.facility_id AND b.day = r.local_date\n"
            + "WHERE r.local_date IN (" + in + ") AND b.weeks = 4\n"
            + "  AND ((b.usual_net > 0 AND abs(r.net / b.usual_net - 1) > " + ANOMALY_PERCENT / 100.0 + ")\n"
            + "    OR (b.usual_payments > 0 AND abs(r.payments / b.usual_payments - 1) > " + ANOMALY_PERCENT / 100.0 + "))\n"
            + "ORDER BY b.day, r.currency, r.facility_name"), "net_change"), "day", days);
    Map<Period, ReportContent> out = new LinkedHashMap<>();
    for (Period p : periods) {
      LocalDate d = p.start();
      out.put(p, content(p, revenue.get(d), peaks.get(d), violations.get(d), anomalies.get(d)));
    }
    return out;
  }

  private static ReportContent content(Period period, ReportTable revenue, ReportTable peaks, ReportTable violations,
      ReportTable anomalies) {
    List<Headline> headline = new ArrayList<>();
    for (String currency : Tables.distinct(revenue, "currency")) {
      headline.add(Headline.money("Net revenue (" + currency + ")", Tables.sum(revenue, "net", "currency", currency), currency));
    }
    headline.add(Headline.count("Payments", Tables.sumLong(revenue, "payments")));
    headline.add(Headline.count("Violations issued", Tables.sumLong(violations, "issued")));
    headline.add(Headline.count("Anomalies", anomalies.rows().size()));

    return new ReportContent(headline, List.of(
        new Section("Revenue by facility", "Money moved on " + period.label() + " in each facility's own time zone.",
            List.of(Table.of("Revenue", "Revenue by facility, " + period.label(), revenue).withTotalsBy("currency")
                .withChart(ChartSpec.bar("Net revenue by facility, " + period.label(), "facility_name", "currency", "net",
                    "Facility", "Net revenue (local currency)")))),
        new Section("Occupancy peaks", "The busiest local hour of each facility and the day's average utilisation.",
            List.of(Table.of("Occupancy", "Occupancy peaks, " + period.label(), peaks)
                .withChart(ChartSpec.bar("Peak utilisation by facility", "facility_name", null, "peak_utilisation",
                    "Facility", "Peak utilisation (share of spots)")))),
        new Section("Violations", "Violations issued on the day by type, and the fines collected for them so far.",
            List.of(Table.of("Violations", "Violations, " + period.label(), violations).withTotalsBy("currency"))),
        new Section("Anomalies", "Facilities whose net revenue or payment count is more than " + ANOMALY_PERCENT
            + "% away from the mean of the same weekday in the previous four weeks.",
            List.of(Table.of("Anomalies", "Anomalies vs the same weekday of the last 4 weeks", anomalies).withCurrency("currency")))));
  }
}
