package io.parklake.reports.html;

import io.parklake.reports.chart.ChartSpec;
import io.parklake.reports.table.ReportTable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One period of one report as the HTML site shows it: headline figures on cards at the top, then
 * sections of charts and tables. Everything is given already computed; the site only lays it out.
 *
 * @param name folder name of the report, e.g. {@code revenue-daily}
 * @param period folder name and label of the period: {@code 2026-11-21}, {@code 2026-W43}, {@code 2026-10}
 * @param generatedAt when the data was rendered; shown in UTC
 */
public record HtmlReport(String name, String title, String period, Instant generatedAt, List<Figure> headline,
    List<Section> sections) {

  public HtmlReport {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(generatedAt, "generatedAt");
    headline = List.copyOf(headline);
    sections = List.copyOf(sections);
  }

  /** A headline figure, already formatted the way the marts state it, e.g. "12,345.60 EUR". */
  public record Figure(String label, String value) {}

  /** A heading with an optional lead paragraph (null for none), charts first, then tables. */
  public record Section(String heading, String intro, List<Chart> charts, List<Table> tables) {
    public Section {
      charts = List.copyOf(charts);
      tables = List.copyOf(tables);
    }
  }

  /** A chart drawn from a table; the site writes it as PNG (shown) and SVG (linked). */
  public record Chart(ReportTable data, ChartSpec spec) {}

  /**
   * A table shown as is. Money cells carry the currency code taken from {@code currencyColumn} of
   * the same row (null when the table has none); with {@code totals}, a footer row sums MONEY and
   * INTEGER columns, one row per currency so that euros and reais are never added together.
   */
  public record Table(String caption, ReportTable table, String currencyColumn, boolean totals) {
    public static Table of(String caption, ReportTable table) {
      return new Table(caption, table, null, false);
    }

    public Table withCurrencyColumn(String column) {
      table.indexOf(column);
      return new Table(caption, table, column, totals);
    }

    public Table withTotals() {
      return new Table(caption, table, currencyColumn, true);
    }
  }
}
