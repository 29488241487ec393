package io.parklake.reports.catalog;

import io.parklake.reports.chart.ChartSpec;
import io.parklake.reports.table.ReportTable;
import java.util.List;

/**
 * What a report definition computed for one period, independent of the formats it is rendered to:
 * the headline figures (the workbook's cover and the page's cards), then sections of tables and
 * charts. Every table becomes a worksheet and a CSV file; every chart a native Excel chart on its
 * table's sheet and a PNG/SVG on the page.
 */
public record ReportContent(List<Headline> headline, List<Section> sections) {

  public ReportContent {
    headline = List.copyOf(headline);
    sections = List.copyOf(sections);
  }

  /** A heading, an optional lead paragraph, and its tables. */
  public record Section(String heading, String intro, List<Table> tables) {
    public Section {
      tables = List.copyOf(tables);
    }
  }

  /**
   * A table with the sheet/file name it is written under, the column holding each row's currency
   * (null when none: money cells then show no code), whether a totals row per currency is added, and
   * the charts drawn from it.
   */
  public record Table(String name, String caption, ReportTable data, String currencyColumn, boolean totals,
      List<ChartSpec> charts) {
    public Table {
      charts = List.copyOf(charts);
    }

    public static Table of(String name, String caption, ReportTable data) {
      return new Table(name, caption, data, null, false, List.of());
    }

    public Table withTotalsBy(String currencyColumn) {
      return new Table(name, caption, data, currencyColumn, true, charts);
    }

    public Table withCurrency(String currencyColumn) {
      return new Table(name, caption, data, currencyColumn, totals, charts);
    }

    public Table withChart(ChartSpec chart) {
      List<ChartSpec> all = new java.util.ArrayList<>(charts);
      all.add(chart);
      return new Table(name, caption, data, currencyColumn, totals, all);
    }
  }
}
