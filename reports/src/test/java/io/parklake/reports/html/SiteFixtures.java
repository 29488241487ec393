package io.parklake.reports.html;

import io.parklake.reports.chart.ChartSpec;
import io.parklake.reports.html.HtmlReport.Chart;
import io.parklake.reports.html.HtmlReport.Figure;
import io.parklake.reports.html.HtmlReport.Section;
import io.parklake.reports.html.HtmlReport.Table;
import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Hand-built report periods shaped like the revenue and occupancy marts. */
final class SiteFixtures {
  /** A name that breaks any page that forgets to escape. */
  static final String NASTY = "Quay <&> \"North\" O'Neil";

  private SiteFixtures() {}

  static ReportTable revenue(LocalDate from, int days) {
    List<Object[]> rows = new ArrayList<>();
    String[][] facilities = {{"Harbour Garage", "EUR"}, {NASTY, "EUR"}, {"Paulista 900", "BRL"}};
    for (int d = 0; d < days; d++) {
      for (int f = 0; f < facilities.length; f++) {
        rows.add(new Object[] {facilities[f][0], facilities[f][1], from.plusDays(d),
            new BigDecimal(900 + 310 * f + 17 * d + ".35"), (long) (1000 + 25 * d + f), 0.42 + 0.01 * d});
      }
    }
    return new ReportTable(List.of(new Column("facility_name", Kind.TEXT), new Column("currency", Kind.TEXT),
        new Column("local_date", Kind.DATE), new Column("net", Kind.MONEY), new Column("payments", Kind.INTEGER),
        new Column("utilisation", Kind.PERCENT)), rows);
  }

  static ReportTable utilisation() {
    List<Object[]> rows = new ArrayList<>();
    String[] days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (int d = 0; d < days.length; d++) {
      for (long h = 0; h < 24; h++) {
        rows.add(new Object[] {days[d], h, Math.min(1.0, 0.05 + 0.8 * Math.exp(-Math.pow((h - 12 - d % 3) / 4.0, 2)))});
      }
    }
    return new ReportTable(List.of(new Column("weekday", Kind.TEXT), new Column("local_hour", Kind.INTEGER),
        new Column("utilisation", Kind.PERCENT)), rows);
  }

  static HtmlReport revenueMonthly(String period, LocalDate from, Instant generatedAt) {
    ReportTable table = revenue(from, 10);
    return new HtmlReport("revenue-monthly", "Monthly revenue", period, generatedAt,
        List.of(new Figure("Net revenue (EUR)", "21,812.00 EUR"), new Figure("Net revenue (BRL)", "14,580.50 BRL"),
            new Figure("Payments", "30,375"), new Figure("Best facility", NASTY)),
        List.of(
            new Section("Net revenue by facility", "Money recognised when it moved, by paid_at in each facility's zone.",
                List.of(new Chart(table, ChartSpec.line("Net revenue by facility", "local_date", "facility_name", "net",
                    "Local date", "Net revenue (local currency)"))),
                List.of(Table.of("Daily revenue by facility", table).withCurrencyColumn("currency").withTotals())),
            new Section("Share by facility", null,
                List.of(new Chart(table, ChartSpec.pie("Share of payments", "facility_name", "payments"))),
                List.of())));
  }

  static HtmlReport occupancyWeekly(String period, Instant generatedAt) {
    return new HtmlReport("occupancy-weekly", "Weekly occupancy", period, generatedAt,
        List.of(new Figure("Peak utilisation", "85.0%"), new Figure("Busiest hour", "Tue 13:00")),
        List.of(new Section("Utilisation by hour of week", null,
            List.of(new Chart(utilisation(), ChartSpec.heatmap("Utilisation by hour of week", "local_hour", "weekday",
                "utilisation", "Local hour", "Weekday", "Utilisation"))),
            List.of(Table.of("Hourly utilisation", utilisation())))));
  }
}
