package io.parklake.reports.weekly;

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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code weekly_revenue}: an ISO week's revenue per facility with the split by kind, the change on
 * the week before, and the day-by-day trend.
 */
public final class WeeklyRevenueReport implements Report {

  @Override
  public String name() {
    return "weekly_revenue";
  }

  @Override
  public String title() {
    return "Weekly revenue";
  }

  @Override
  public Period.Kind periodKind() {
    return Period.Kind.WEEK;
  }

  @Override
  public List<String> marts() {
    return List.of("revenue_weekly", "revenue_daily");
  }

  @Override
  public ReportContent build(ReportSource source, Period period) {
    source.registerMarts(marts());
    String week = "DATE'" + period.start() + "'";
    String previous = "DATE'" + period.previous().start() + "'";
    ReportTable weekly = Tables.percent(source.query(
        "SELECT w.facility_name, w.city, w.currency, w.gross, w.refunds, w.net, w.payments, w.average_ticket,\n"
            + "  w.booking_gross, w.subscription_gross, w.fine_gross, p.net AS previous_net,\n"
            + "  CASE WHEN p.net > 0 THEN CAST(w.net / p.net - 1 AS DOUBLE) END AS change_on_previous\n"
            + "FROM revenue_weekly w LEFT JOIN revenue_weekly p ON p.facility_id = w.facility_id AND p.week_start = " + previous + "\n"
            + "WHERE w.week_start = " + week + " ORDER BY w.currency, w.net DESC, w.facility_name"), "change_on_previous");
    weekly = Tables.nonAdditive(weekly, "average_ticket");
    ReportTable daily = source.query("SELECT local_date, facility_name, currency, net, payments FROM revenue_daily "
        + "WHERE local_date BETWEEN " + period.sqlBetween() + " ORDER BY local_date, facility_name");

    List<Headline> headline = new ArrayList<>();
    for (String currency : Tables.distinct(weekly, "currency")) {
      BigDecimal net = Tables.sum(weekly, "net", "currency", currency);
      BigDecimal before = Tables.sum(weekly, "previous_net", "currency", currency);
      headline.add(Headline.money("Net revenue (" + currency + ")", net, currency));
      headline.add(Headline.percent("Change on previous week (" + currency + ")",
          before.signum() > 0 ? net.divide(before, 6, RoundingMode.HALF_UP).doubleValue() - 1 : null));
    }
    headline.add(Headline.count("Payments", Tables.sumLong(weekly, "payments")));

    return new ReportContent(headline, List.of(
        new Section("Revenue by facility", "ISO week " + period.label() + " (" + period.start() + " to " + period.end()
            + ") in each facility's local calendar; refunds are subtracted when they were paid out.",
            List.of(Table.of("Revenue", "Revenue by facility, " + period.label(), weekly).withTotalsBy("currency")
                .withChart(ChartSpec.bar("Net revenue by facility, " + period.label(), "facility_name", "currency", "net",
                    "Facility", "Net revenue (local currency)")))),
        new Section("Day by day", null,
            List.of(Table.of("Daily", "Net revenue per day and facility", daily).withTotalsBy("currency")
                .withChart(ChartSpec.line("Net revenue per day, " + period.label(), "local_date", "facility_name", "net",
                    "Local date", "Net revenue (local currency)"))))));
  }
}
