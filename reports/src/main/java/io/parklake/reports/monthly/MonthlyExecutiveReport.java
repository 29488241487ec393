package io.parklake.reports.monthly;

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
 * {@code monthly_executive}: the month on one page for the operator's management — revenue trend,
 * occupancy by hour of the week, top and bottom facilities, customer segments and value, payment
 * method mix, violation collection, and the demand forecast for the next two weeks with intervals.
 */
public final class MonthlyExecutiveReport implements Report {
  static final int TOP = 5;

  @Override
  public String name() {
    return "monthly_executive";
  }

  @Override
  public String title() {
    return "Monthly executive summary";
  }

  @Override
  public Period.Kind periodKind() {
    return Period.Kind.MONTH;
  }

  @Override
  public List<String> marts() {
    return List.of("revenue_monthly", "revenue_daily", "occupancy_hourly", "customer_segments", "customer_value",
        "payment_methods", "violations_daily", "demand_forecast");
  }

  @Override
  public ReportContent build(ReportSource source, Period period) {
    source.registerMarts(marts());
    String month = "DATE'" + period.start() + "'";
    ReportTable monthly = Tables.nonAdditive(source.query("SELECT facility_name, city, currency, gross, refunds, net, payments, average_ticket "
        + "FROM revenue_monthly WHERE month_start = " + month + " ORDER BY currency, net DESC, facility_name"), "average_ticket");
    ReportTable trend = source.query("SELECT local_date, facility_name, currency, net FROM revenue_daily "
        + "WHERE local_date BETWEEN " + period.sqlBetween() + " ORDER BY local_date, facility_name");
    ReportTable ranking = source.query(
        "WITH ranked AS (SELECT facility_name, currency, net, payments,\n"
            + "  RANK() OVER (PARTITION BY currency ORDER BY net DESC) AS rank_top,\n"
            + "  RANK() OVER (PARTITION BY currency ORDER BY net ASC) AS rank_bottom\n"
            + "  FROM revenue_monthly WHERE month_start = " + month + ")\n"
            + "SELECT CASE WHEN rank_top <= " + TOP + " THEN 'top' ELSE 'bottom' END AS position, currency, facility_name, net,\n"
            + "  payments, CAST(rank_top AS BIGINT) AS rank FROM ranked WHERE rank_top <= " + TOP + " OR rank_bottom <= " + TOP + "\n"
            + "ORDER BY currency, position DESC, rank, facility_name");
    ReportTable heatmap = Tables.percent(source.query(
        "SELECT weekday, local_hour, utilisation FROM (\n"
            + "  SELECT date_format(local_date, 'E') AS weekday, (dayofweek(local_date) + 5) % 7 AS iso_order, local_hour,\n"
            + "    CAST(SUM(occupied_spot_minutes) / SUM(capacity_spot_minutes) AS DOUBLE) AS utilisation\n"
            + "  FROM occupancy_hourly WHERE local_date BETWEEN " + period.sqlBetween() + "\n"
            + "  GROUP BY 1, 2, 3) ORDER BY iso_order, local_hour"), "utilisation");
    ReportTable segments = source.query("SELECT s.currency, s.segment, COUNT(*) AS customers, "
        + "CAST(SUM(v.historic_clv) AS DECIMAL(18,2)) AS historic_value, CAST(SUM(v.clv_12m_discounted) AS DECIMAL(18,2)) "
        + "AS predicted_value_12m FROM customer_segments s JOIN customer_value v ON v.user_id = s.user_id AND v.currency = s.currency "
        + "GROUP BY s.currency, s.segment ORDER BY s.currency, customers DESC, s.segment");
    ReportTable methods = Tables.percent(source.query("SELECT provider, currency, SUM(attempts) AS attempts, "
        + "CAST(SUM(amount) AS DECIMAL(18,2)) AS amount, CAST(SUM(failed) / SUM(attempts) AS DOUBLE) AS failure_rate "
        + "FROM payment_methods WHERE month_start = " + month + " GROUP BY provider, currency ORDER BY currency, amount DESC, provider"),
        "failure_rate");
    ReportTable collection = Tables.percent(source.query("SELECT facility_name, currency, SUM(issued) AS issued, "
        + "CAST(SUM(fines_issued) AS DECIMAL(18,2)) AS fines_issued, CAST(SUM(fines_collected) AS DECIMAL(18,2)) AS fines_collected, "
        + "CAST(SUM(fines_collected) / SUM(fines_issued) AS DOUBLE) AS collection_rate FROM violations_daily "
        + "WHERE local_date BETWEEN " + period.sqlBetween() + " GROUP BY facility_name, currency ORDER BY currency, facility_name"),
        "collection_rate");
    ReportTable forecast = Tables.percent(source.query("SELECT local_date, facility_name, "
        + "CAST(SUM(expected_arrivals) AS DOUBLE) AS expected_arrivals, MAX(expected_utilisation) AS peak_utilisation, "
        + "MAX(utilisation_lo80) AS peak_lo80, MAX(utilisation_hi80) AS peak_hi80, MAX(utilisation_hi95) AS peak_hi95, "
        + "MAX(as_of) AS as_of FROM demand_forecast GROUP BY local_date, facility_name ORDER BY local_date, facility_name"),
        "peak_utilisation", "peak_lo80", "peak_hi80", "peak_hi95");

    List<Headline> headline = new ArrayList<>();
    for (String currency : Tables.distinct(monthly, "currency")) {
      headline.add(Headline.money("Net revenue (" + currency + ")", Tables.sum(monthly, "net", "currency", currency), currency));
    }
    headline.add(Headline.count("Payments", Tables.sumLong(monthly, "payments")));
    headline.add(Headline.count("Customers", Tables.sumLong(segments, "customers")));
    headline.add(Headline.count("Violations issued", Tables.sumLong(collection, "issued")));

    return new ReportContent(headline, List.of(
        new Section("Revenue", "Net revenue of " + period.label() + " per facility, in its own currency and time zone.",
            List.of(Table.of("Revenue", "Revenue by facility, " + period.label(), monthly).withTotalsBy("currency"),
                Table.of("Trend", "Net revenue per day", trend).withTotalsBy("currency")
                    .withChart(ChartSpec.line("Net revenue per day, " + period.label(), "local_date", "facility_name", "net",
                        "Local date", "Net revenue (local currency)")))),
        new Section("Top and bottom facilities", "The " + TOP + " highest and lowest net revenues of the month, per currency.",
            List.of(Table.of("Ranking", "Top and bottom facilities", ranking).withCurrency("currency"))),
        new Section("Occupancy by hour of the week", "Occupied over available spot-minutes of all facilities, by local weekday and hour.",
            List.of(Table.of("Occupancy", "Utilisation by weekday and hour", heatmap)
                .withChart(ChartSpec.heatmap("Utilisation by hour of the week, " + period.label(), "local_hour", "weekday",
                    "utilisation", "Local hour", "Weekday", "Utilisation")))),
        new Section("Customers", "RFM segments of every customer as of the last nightly, with historic and predicted 12-month value.",
            List.of(Table.of("Segments", "Customer segments and value", segments).withTotalsBy("currency")
                .withChart(ChartSpec.pie("Customers by segment", "segment", "customers")))),
        new Section("Payment methods", null,
            List.of(Table.of("Payment methods", "Payment method mix, " + period.label(), methods).withTotalsBy("currency")
                .withChart(ChartSpec.pie("Payment attempts by provider, " + period.label(), "provider", "attempts")))),
        new Section("Violation collection", "Fines issued in the month and what has been collected for them so far.",
            List.of(Table.of("Violations", "Violation collection by facility", collection).withTotalsBy("currency"))),
        new Section("Demand forecast, next two weeks", "Expected arrivals per day and the busiest hour's expected utilisation "
            + "with its 80% interval and 95% upper bound, from the latest nightly's models.",
            List.of(Table.of("Forecast", "Demand forecast", forecast)
                .withChart(ChartSpec.line("Expected arrivals per day", "local_date", "facility_name", "expected_arrivals",
                    "Local date", "Expected arrivals (vehicles)"))))));
  }
}
