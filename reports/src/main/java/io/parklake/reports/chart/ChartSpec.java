package io.parklake.reports.chart;

import java.util.Objects;

/**
 * What to draw from a {@link io.parklake.reports.table.ReportTable}: the kind of chart, which
 * columns feed it, the axis titles (with their units, e.g. "Net revenue (EUR)") and the image size.
 * Build one with the factory for its kind; the columns are checked against the table when rendered.
 *
 * @param xColumn LINE: date or category on the x axis; BAR: category; PIE: slice label; HEATMAP: x
 * @param seriesColumn LINE: one line per value (e.g. facility); BAR: group (nullable for plain
 *     bars); HEATMAP: the y axis (e.g. weekday); PIE: unused
 * @param valueLabel HEATMAP: title of the colour legend; otherwise unused
 */
public record ChartSpec(
    Kind kind,
    String title,
    String xColumn,
    String seriesColumn,
    String valueColumn,
    String xAxisLabel,
    String yAxisLabel,
    String valueLabel,
    int width,
    int height) {

  /** The chart types the reports use. */
  public enum Kind { LINE, BAR, PIE, HEATMAP }

  public static final int DEFAULT_WIDTH = 960;
  public static final int DEFAULT_HEIGHT = 540;

  public ChartSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(xColumn, "xColumn");
    Objects.requireNonNull(valueColumn, "valueColumn");
    if ((kind == Kind.LINE || kind == Kind.HEATMAP) && seriesColumn == null) {
      throw new IllegalArgumentException(kind + " chart '" + title + "' needs a series column");
    }
    if (width < 200 || height < 150) {
      throw new IllegalArgumentException("chart '" + title + "' is " + width + "x" + height + " px; the minimum is 200x150");
    }
  }

  /** One line per value of {@code seriesColumn}, x a DATE column (time axis) or a category. */
  public static ChartSpec line(String title, String xColumn, String seriesColumn, String valueColumn,
      String xAxisLabel, String yAxisLabel) {
    return new ChartSpec(Kind.LINE, title, xColumn, seriesColumn, valueColumn, xAxisLabel, yAxisLabel, null,
        DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /** Vertical bars of {@code valueColumn} per category, grouped by {@code groupColumn} if not null. */
  public static ChartSpec bar(String title, String categoryColumn, String groupColumn, String valueColumn,
      String categoryAxisLabel, String valueAxisLabel) {
    return new ChartSpec(Kind.BAR, title, categoryColumn, groupColumn, valueColumn, categoryAxisLabel,
        valueAxisLabel, null, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /** Shares of {@code valueColumn} per {@code labelColumn}, labelled with their percentage. */
  public static ChartSpec pie(String title, String labelColumn, String valueColumn) {
    return new ChartSpec(Kind.PIE, title, labelColumn, null, valueColumn, null, null, null,
        DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /**
   * A grid of {@code valueColumn} coloured on a sequential scale with a legend, e.g. utilisation
   * by local hour (x) and weekday (y). Numeric axis columns are placed by value, text columns in
   * the order they first appear in the table.
   */
  public static ChartSpec heatmap(String title, String xColumn, String yColumn, String valueColumn,
      String xAxisLabel, String yAxisLabel, String valueLabel) {
    return new ChartSpec(Kind.HEATMAP, title, xColumn, yColumn, valueColumn, xAxisLabel, yAxisLabel, valueLabel,
        DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  public ChartSpec withSize(int width, int height) {
    return new ChartSpec(kind, title, xColumn, seriesColumn, valueColumn, xAxisLabel, yAxisLabel, valueLabel,
        width, height);
  }

  /** A sentence for the image's {@code alt} text, saying what is plotted against what. */
  public String describe() {
    String what = switch (kind) {
      case LINE -> "Line chart";
      case BAR -> "Bar chart";
      case PIE -> "Pie chart";
      case HEATMAP -> "Heat map";
    };
    StringBuilder s = new StringBuilder(what).append(": ").append(title);
    switch (kind) {
      case PIE -> s.append(" (share of ").append(valueColumn).append(" by ").append(xColumn).append(')');
      case HEATMAP -> s.append(" (").append(label(valueLabel, valueColumn)).append(" by ")
          .append(label(xAxisLabel, xColumn)).append(" and ").append(label(yAxisLabel, seriesColumn)).append(')');
      default -> {
        s.append(" (").append(label(yAxisLabel, valueColumn)).append(" by ").append(label(xAxisLabel, xColumn));
        if (seriesColumn != null) {
          s.append(", one series per ").append(seriesColumn);
        }
        s.append(')');
      }
    }
    return s.toString();
  }

  private static String label(String label, String column) {
    return label != null ? label : column;
  }
}
