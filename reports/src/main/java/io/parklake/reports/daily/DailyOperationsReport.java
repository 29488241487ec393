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
import java.util.ArrayList;
import java.util.List;

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
    source.registerMarts(marts());
    String day = "DATE'" + period.start() + "'";
    ReportTable revenue = Tables.nonAdditive(source.query("SELECT facility_name, city, currency, gross, refunds, net, payments, average_ticket "
        + "FROM revenue_daily WHERE local_date = " + day + " ORDER BY currency, facility_name"), "average_ticket");
    ReportTable peaks = Tables.percent(source.query("SELECT facility_name, peak_local_hour, peak_utc_offset, peak_utilisation, "
        + "avg_utilisation, peak_concurrent FROM occupancy_peaks WHERE local_date = " + day + " ORDER BY facility_name"),
        "peak_utilisation", "avg_utilisation");
    ReportTable violations = Tables.percent(source.query("SELECT facility_name, violation_type, currency, issued, "
        + "fines_issued, fines_collected, collection_rate, resolved FROM violations_daily WHERE local_date = " + day
        + " ORDER BY currency, facility_name, violation_type"), "collection_rate");
    ReportTable anomalies = Tables.percent(source.query(
        "WITH base AS (\n"
            + "  SELECT facility_id, AVG(net) AS usual_net, AVG(payments) AS usual_payments, COUNT(*) AS weeks\n"
            + "  FROM revenue_daily WHERE local_date IN (" + day + " - 7, " + day + " - 14, " + day + " - 21, " + day + " - 28)\n"
            + "  GROUP BY facility_id\n"
            + ")\n"
            + "SELECT r.facility_name, r.currency, r.net, CAST(ROUND(b.usual_net, 2) AS DECIMAL(18,2)) AS usual_net,\n"
            + "  CASE WHEN b.usual_net > 0 THEN CAST(r.net / b.usual_net - 1 AS DOUBLE) END AS net_change,\n"
            + "  r.payments, CAST(b.usual_payments AS DOUBLE) AS usual_payments, b.weeks AS weeks_compared\n"
            + "FROM revenue_daily r JOIN base b ON b.facility_id = r.facility_id\n"
            + "WHERE r.local_date = " + day + " AND b.weeks = 4\n"
            + "  AND ((b.usual_net > 0 AND abs(r.net / b.usual_net - 1) > " + ANOMALY_PERCENT / 100.0 + ")\n"
            + "    OR (b.usual_payments > 0 AND abs(r.payments / b.usual_payments - 1) > " + ANOMALY_PERCENT / 100.0 + "))\n"
            + "ORDER BY r.currency, r.facility_name"), "net_change");

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
