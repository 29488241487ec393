package io.parklake.reports.chart;

import io.parklake.reports.table.ReportTable.Kind;
import java.awt.Color;
import java.awt.Font;
import java.text.DateFormat;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.text.SimpleDateFormat;
import java.util.Locale;
import java.util.TimeZone;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;

/** The house style of every chart: fonts, colours and number/date formats, in one place. */
final class ChartStyle {
  static final Color INK = new Color(0x33, 0x33, 0x33);
  static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
  static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private ChartStyle() {}

  /** A fresh theme per chart: StandardChartTheme is mutable and not meant to be shared across threads. */
  static StandardChartTheme theme() {
    StandardChartTheme theme = new StandardChartTheme("ParkLake", false);
    theme.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    theme.setLargeFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    theme.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    theme.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    theme.setTitlePaint(INK);
    theme.setSubtitlePaint(INK);
    theme.setAxisLabelPaint(INK);
    theme.setTickLabelPaint(INK);
    theme.setLegendItemPaint(INK);
    theme.setItemLabelPaint(INK);
    theme.setChartBackgroundPaint(Color.WHITE);
    theme.setPlotBackgroundPaint(Color.WHITE);
    theme.setLegendBackgroundPaint(Color.WHITE);
    theme.setPlotOutlinePaint(GRID);
    theme.setDomainGridlinePaint(GRID);
    theme.setRangeGridlinePaint(GRID);
    theme.setBarPainter(new StandardBarPainter());
    theme.setXYBarPainter(new StandardXYBarPainter());
    theme.setShadowVisible(false);
    return theme;
  }

  /**
   * Axis and legend numbers: money with two decimals and thousands separators, percentages of a
   * fraction (0.25 = 25%), counts without decimals. Locale.ROOT so a server's locale never turns
   * 1,234.50 into 1.234,50.
   */
  static NumberFormat numberFormat(Kind kind) {
    DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.ROOT);
    return switch (kind) {
      case MONEY -> new DecimalFormat("#,##0.00", symbols);
      case PERCENT -> new DecimalFormat("0.#%", symbols);
      case INTEGER -> new DecimalFormat("#,##0", symbols);
      default -> new DecimalFormat("#,##0.##", symbols);
    };
  }

  /**
   * Day-aligned tick units labelled with ISO dates. Dates are plotted at UTC midnight and the axis
   * counts in UTC, so the JVM's zone (and its DST days) cannot shift a label to the previous day.
   */
  static TickUnits isoDateTickUnits() {
    DateFormat iso = new SimpleDateFormat("yyyy-MM-dd", Locale.ROOT);
    iso.setTimeZone(UTC);
    TickUnits units = new TickUnits();
    for (int days : new int[] {1, 2, 7, 14}) {
      units.add(new DateTickUnit(DateTickUnitType.DAY, days, iso));
    }
    for (int months : new int[] {1, 3, 6}) {
      units.add(new DateTickUnit(DateTickUnitType.MONTH, months, iso));
    }
    units.add(new DateTickUnit(DateTickUnitType.YEAR, 1, iso));
    return units;
  }
}
