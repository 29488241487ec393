package io.parklake.reports.chart;

import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Small hand-built tables shaped like the marts the charts will draw. */
final class ChartFixtures {
  static final List<String> FACILITIES = List.of("Harbour Garage", "Central Station", "Airport P3");

  private ChartFixtures() {}

  /** revenue_daily-like: one row per facility and day, net in EUR, October 2026 (spans Sao Paulo's DST-free month). */
  static ReportTable revenueDaily() {
    List<Object[]> rows = new ArrayList<>();
    for (int d = 1; d <= 14; d++) {
      for (int f = 0; f < FACILITIES.size(); f++) {
        rows.add(new Object[] {FACILITIES.get(f), LocalDate.of(2026, 10, d),
            new BigDecimal(1000 + 250 * f + 37 * d).add(new BigDecimal("0.45")), (long) (40 + d + f)});
      }
    }
    return new ReportTable(List.of(new Column("facility_name", Kind.TEXT), new Column("local_date", Kind.DATE),
        new Column("net", Kind.MONEY), new Column("payments", Kind.INTEGER)), rows);
  }

  /** payment methods per facility, for grouped bars and pies. */
  static ReportTable byMethod() {
    List<Object[]> rows = new ArrayList<>();
    String[] methods = {"CARD", "CASH", "WALLET"};
    for (int f = 0; f < FACILITIES.size(); f++) {
      for (int m = 0; m < methods.length; m++) {
        rows.add(new Object[] {FACILITIES.get(f), methods[m], new BigDecimal(500 * (m + 1) + 100 * f + ".25")});
      }
    }
    return new ReportTable(List.of(new Column("facility_name", Kind.TEXT), new Column("method", Kind.TEXT),
        new Column("net", Kind.MONEY)), rows);
  }

  /** occupancy by ISO weekday and local hour, utilisation as a fraction. */
  static ReportTable utilisation() {
    List<Object[]> rows = new ArrayList<>();
    String[] days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (int d = 0; d < days.length; d++) {
      for (long h = 0; h < 24; h++) {
        double peak = Math.exp(-Math.pow((h - 13) / 4.0, 2));
        rows.add(new Object[] {days[d], h, Math.min(1.0, 0.05 + 0.85 * peak * (d < 5 ? 1.0 : 0.6))});
      }
    }
    return new ReportTable(List.of(new Column("weekday", Kind.TEXT), new Column("local_hour", Kind.INTEGER),
        new Column("utilisation", Kind.PERCENT)), rows);
  }

  static ChartSpec revenueLine() {
    return ChartSpec.line("Net revenue by facility", "local_date", "facility_name", "net", "Local date",
        "Net revenue (EUR)");
  }

  static ChartSpec methodBars() {
    return ChartSpec.bar("Net revenue by payment method", "method", "facility_name", "net", "Payment method",
        "Net revenue (EUR)");
  }

  static ChartSpec facilityPie() {
    return ChartSpec.pie("Share of net revenue", "facility_name", "net");
  }

  static ChartSpec utilisationHeatmap() {
    return ChartSpec.heatmap("Utilisation by hour of week", "local_hour", "weekday", "utilisation", "Local hour",
        "Weekday", "Utilisation");
  }
}
