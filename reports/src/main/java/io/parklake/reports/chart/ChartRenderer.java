package io.parklake.reports.chart;

import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Kind;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.StandardPieSectionLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PiePlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.general.DefaultPieDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws a {@link ChartSpec} over a {@link ReportTable} as PNG or SVG, in the house style (white
 * background, sans-serif 12 pt ticks and 16 pt bold title, titled axes, ISO dates, money with two
 * decimals) and with each series key in its {@link FacilityPalette} colour.
 *
 * <p>Values go into the chart datasets as they are in the table, so money stays {@link BigDecimal}
 * (rows that share a key are summed exactly) until JFreeChart converts it to a pixel position.
 */
public final class ChartRenderer {
  private static final int SHAPES_UP_TO_POINTS = 40;

  static {
    // JFreeChart draws rotated text (the value-axis title) as a TextLayout by default, a workaround
    // for a JDK 1.4 bug; JFreeSVG turns that into glyph outlines, so the title would not be text in
    // the SVG. Plain drawString under a rotation is correct on Java 17 and stays a <text> element.
    TextUtils.setUseDrawRotatedStringWorkaround(false);
  }

  private ChartRenderer() {}

  /** The chart as a PNG of exactly {@code spec.width() x spec.height()} pixels. */
  public static byte[] png(ReportTable table, ChartSpec spec) throws IOException {
    JFreeChart chart = build(table, spec);
    BufferedImage image = chart.createBufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_INT_RGB, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** The chart as a standalone SVG document; text stays text, so titles are searchable and selectable. */
  public static String svg(ReportTable table, ChartSpec spec) {
    JFreeChart chart = build(table, spec);
    SVGGraphics2D g2 = new SVGGraphics2D(spec.width(), spec.height());
    // A fixed prefix instead of the default time-based one keeps re-rendered files byte-identical.
    g2.setDefsKeyPrefix("parklake");
    chart.draw(g2, new Rectangle2D.Double(0, 0, spec.width(), spec.height()));
    // The element without getSVGDocument()'s DOCTYPE: an SVG 1.1 DTD reference makes plain XML
    // parsers go to www.w3.org, which fails offline and is ignored by browsers anyway.
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g2.getSVGElement() + "\n";
  }

  /** Writes {@code <dir>/<baseName>.png} and {@code .svg}, each via a temp file and a rename. */
  public static ChartImage write(ReportTable table, ChartSpec spec, Path dir, String baseName) throws IOException {
    Files.createDirectories(dir);
    Path png = dir.resolve(baseName + ".png");
    Path svg = dir.resolve(baseName + ".svg");
    writeAtomically(png, png(table, spec));
    writeAtomically(svg, svg(table, spec).getBytes(StandardCharsets.UTF_8));
    return new ChartImage(png, svg, spec.describe(), spec.width(), spec.height());
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The JFreeChart object, for tests that inspect datasets and series colours. */
  static JFreeChart build(ReportTable table, ChartSpec spec) {
    Kind valueKind = numericColumn(table, spec, spec.valueColumn()).kind();
    StandardChartTheme theme = ChartStyle.theme();
    JFreeChart chart = switch (spec.kind()) {
      case LINE -> table.columns().get(table.indexOf(spec.xColumn())).kind() == Kind.DATE
          ? dateLine(table, spec, valueKind, theme)
          : categoryChart(table, spec, valueKind, theme, false);
      case BAR -> categoryChart(table, spec, valueKind, theme, true);
      case PIE -> pie(table, spec, theme);
      case HEATMAP -> heatmap(table, spec, valueKind, theme);
    };
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(8, 8, 8, 8));
    return chart;
  }

  private static JFreeChart dateLine(ReportTable table, ChartSpec spec, Kind valueKind, StandardChartTheme theme) {
    int x = table.indexOf(spec.xColumn());
    int s = table.indexOf(spec.seriesColumn());
    int v = table.indexOf(spec.valueColumn());
    Map<String, TreeMap<LocalDate, Number>> bySeries = new LinkedHashMap<>();
    for (Object[] row : table.rows()) {
      if (row[x] == null || row[v] == null) {
        continue;
      }
      bySeries.computeIfAbsent(key(row[s]), k -> new TreeMap<>()).merge((LocalDate) row[x], (Number) row[v], ChartRenderer::sum);
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    int points = 0;
    for (Map.Entry<String, TreeMap<LocalDate, Number>> e : bySeries.entrySet()) {
      XYSeries series = new XYSeries(e.getKey(), true, false);
      e.getValue().forEach((day, value) ->
          series.add(day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), value));
      points = Math.max(points, series.getItemCount());
      dataset.addSeries(series);
    }
    DateAxis xAxis = new DateAxis(spec.xAxisLabel());
    xAxis.setTimeZone(ChartStyle.UTC);
    xAxis.setStandardTickUnits(ChartStyle.isoDateTickUnits());
    xAxis.setLowerMargin(0.02);
    xAxis.setUpperMargin(0.02);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, points <= SHAPES_UP_TO_POINTS);
    XYPlot plot = new XYPlot(dataset, xAxis, valueAxis(spec, valueKind), renderer);
    JFreeChart chart = new JFreeChart(spec.title(), plot);
    theme.apply(chart);
    Map<String, FacilityPalette.Swatch> colours = FacilityPalette.assign(bySeries.keySet());
    for (int i = 0; i < dataset.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, colours.get((String) dataset.getSeriesKey(i)).awt());
      renderer.setSeriesStroke(i, new BasicStroke(2.5f));
      renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
    }
    return chart;
  }

  /** LINE over categories, or BAR (plain: one colour per category; grouped: one per group). */
  private static JFreeChart categoryChart(ReportTable table, ChartSpec spec, Kind valueKind, StandardChartTheme theme,
      boolean bars) {
    int x = table.indexOf(spec.xColumn());
    int s = spec.seriesColumn() == null ? -1 : table.indexOf(spec.seriesColumn());
    int v = table.indexOf(spec.valueColumn());
    String singleSeries = spec.yAxisLabel() != null ? spec.yAxisLabel() : spec.valueColumn();
    // Sum in a map first: DefaultCategoryDataset would silently overwrite a repeated (series, category).
    Map<String, Map<String, Number>> values = new LinkedHashMap<>();
    Set<String> categories = new LinkedHashSet<>();
    for (Object[] row : table.rows()) {
      if (row[v] == null) {
        continue;
      }
      String category = key(row[x]);
      categories.add(category);
      values.computeIfAbsent(s < 0 ? singleSeries : key(row[s]), k -> new LinkedHashMap<>())
          .merge(category, (Number) row[v], ChartRenderer::sum);
    }
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    values.forEach((series, byCategory) -> {
      for (String category : categories) {
        Number value = byCategory.get(category);
        if (value != null) {
          dataset.addValue(value, series, category);
        }
      }
    });
    CategoryAxis xAxis = new CategoryAxis(spec.xAxisLabel());
    if (categories.size() > 8) {
      xAxis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    xAxis.setMaximumCategoryLabelWidthRatio(0.8f);
    boolean plainBars = bars && s < 0;
    Map<String, FacilityPalette.Swatch> colours =
        FacilityPalette.assign(plainBars ? categories : values.keySet());
    CategoryPlot plot;
    if (bars) {
      BarRenderer renderer = plainBars ? new CategoryColouredBarRenderer(colours) : new BarRenderer();
      renderer.setItemMargin(0.05);
      renderer.setMaximumBarWidth(0.12);
      plot = new CategoryPlot(dataset, xAxis, valueAxis(spec, valueKind), renderer);
    } else {
      LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, categories.size() <= SHAPES_UP_TO_POINTS);
      plot = new CategoryPlot(dataset, xAxis, valueAxis(spec, valueKind), renderer);
    }
    plot.setOrientation(PlotOrientation.VERTICAL);
    JFreeChart chart = new JFreeChart(spec.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, !plainBars);
    theme.apply(chart);
    if (!plainBars) {
      for (int i = 0; i < dataset.getRowCount(); i++) {
        Paint paint = colours.get((String) dataset.getRowKey(i)).awt();
        plot.getRenderer().setSeriesPaint(i, paint);
        plot.getRenderer().setSeriesStroke(i, new BasicStroke(2.5f));
      }
    }
    return chart;
  }

  /** Plain bars coloured by their category, so a facility's bar matches its line elsewhere. */
  private static final class CategoryColouredBarRenderer extends BarRenderer {
    private final Map<String, FacilityPalette.Swatch> colours;

    CategoryColouredBarRenderer(Map<String, FacilityPalette.Swatch> colours) {
      this.colours = Map.copyOf(colours);
    }

    @Override
    public Paint getItemPaint(int row, int column) {
      FacilityPalette.Swatch swatch = colours.get((String) getPlot().getDataset().getColumnKey(column));
      return swatch != null ? swatch.awt() : super.getItemPaint(row, column);
    }
  }

  private static JFreeChart pie(ReportTable table, ChartSpec spec, StandardChartTheme theme) {
    int x = table.indexOf(spec.xColumn());
    int v = table.indexOf(spec.valueColumn());
    Map<String, Number> shares = new LinkedHashMap<>();
    for (Object[] row : table.rows()) {
      if (row[v] != null) {
        shares.merge(key(row[x]), (Number) row[v], ChartRenderer::sum);
      }
    }
    DefaultPieDataset<String> dataset = new DefaultPieDataset<>();
    shares.forEach(dataset::setValue);
    PiePlot<String> plot = new PiePlot<>(dataset);
    JFreeChart chart = new JFreeChart(spec.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    theme.apply(chart);
    DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.ROOT);
    plot.setLabelGenerator(new StandardPieSectionLabelGenerator("{0}: {2}",
        new DecimalFormat("#,##0.##", symbols), new DecimalFormat("0.0%", symbols)));
    plot.setLabelBackgroundPaint(Color.WHITE);
    plot.setLabelOutlinePaint(ChartStyle.GRID);
    plot.setLabelShadowPaint(null);
    plot.setShadowPaint(null);
    plot.setOutlineVisible(false);
    plot.setDefaultSectionOutlinePaint(Color.WHITE);
    plot.setDefaultSectionOutlineStroke(new BasicStroke(1.5f));
    FacilityPalette.assign(shares.keySet()).forEach((k, swatch) -> plot.setSectionPaint(k, swatch.awt()));
    return chart;
  }

  private static JFreeChart heatmap(ReportTable table, ChartSpec spec, Kind valueKind, StandardChartTheme theme) {
    int xi = table.indexOf(spec.xColumn());
    int yi = table.indexOf(spec.seriesColumn());
    int vi = table.indexOf(spec.valueColumn());
    Placement xs = Placement.of(table, xi, spec.xAxisLabel());
    Placement ys = Placement.of(table, yi, spec.yAxisLabel());
    List<double[]> cells = new ArrayList<>();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Object[] row : table.rows()) {
      if (row[xi] == null || row[yi] == null || row[vi] == null) {
        continue;
      }
      double value = ((Number) row[vi]).doubleValue();
      cells.add(new double[] {xs.position(row[xi]), ys.position(row[yi]), value});
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    double[][] data = new double[3][cells.size()];
    for (int i = 0; i < cells.size(); i++) {
      for (int d = 0; d < 3; d++) {
        data[d][i] = cells.get(i)[d];
      }
    }
    DefaultXYZDataset dataset = new DefaultXYZDataset();
    dataset.addSeries(spec.valueColumn(), data);
    if (cells.isEmpty()) {
      min = 0;
      max = 1;
    } else if (valueKind == Kind.PERCENT) {
      // Utilisation-like shares are drawn on a fixed 0..100% scale so two periods compare by eye.
      min = Math.min(0, min);
      max = Math.max(1, max);
    }
    SequentialPaintScale scale = new SequentialPaintScale(min, max);
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(scale);
    renderer.setBlockWidth(xs.blockSize());
    renderer.setBlockHeight(ys.blockSize());
    XYPlot plot = new XYPlot(dataset, xs.axis(), ys.axis(), renderer);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    // Rows read top-down in table order (Monday first), like a calendar.
    ys.axis().setInverted(true);
    JFreeChart chart = new JFreeChart(spec.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    NumberAxis legendAxis = new NumberAxis(spec.valueLabel() != null ? spec.valueLabel() : spec.valueColumn());
    legendAxis.setNumberFormatOverride(ChartStyle.numberFormat(valueKind));
    legendAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
    // Ten steps: the default picks 5% steps on a 0..100% scale, too dense to read beside the grid.
    legendAxis.setTickUnit(new NumberTickUnit((scale.getUpperBound() - scale.getLowerBound()) / 10,
        ChartStyle.numberFormat(valueKind)));
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    legend.setStripWidth(16);
    legend.setSubdivisionCount(128);
    legend.setMargin(new RectangleInsets(10, 12, 10, 4));
    chart.addSubtitle(legend);
    theme.apply(chart);
    for (ValueAxis axis : List.of(xs.axis(), ys.axis())) {
      if (axis instanceof SymbolAxis symbols) {
        symbols.setGridBandsVisible(false);
      }
    }
    legend.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Where a heat map row or column goes: numeric columns by value, text columns by first appearance. */
  private record Placement(ValueAxis axis, Map<String, Integer> symbols, double blockSize) {
    static Placement of(ReportTable table, int column, String label) {
      Kind kind = table.columns().get(column).kind();
      if (kind == Kind.INTEGER || kind == Kind.NUMBER) {
        TreeMap<Double, Boolean> distinct = new TreeMap<>();
        for (Object[] row : table.rows()) {
          if (row[column] != null) {
            distinct.put(((Number) row[column]).doubleValue(), true);
          }
        }
        double step = 1;
        Double previous = null;
        for (double d : distinct.keySet()) {
          if (previous != null && kind == Kind.NUMBER) {
            step = Math.min(step, d - previous);
          }
          previous = d;
        }
        NumberAxis axis = new NumberAxis(label);
        if (kind == Kind.INTEGER) {
          axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        axis.setAutoRangeIncludesZero(false);
        if (!distinct.isEmpty()) {
          axis.setRange(distinct.firstKey() - step / 2, distinct.lastKey() + step / 2);
        }
        return new Placement(axis, null, step);
      }
      Map<String, Integer> symbols = new LinkedHashMap<>();
      for (Object[] row : table.rows()) {
        if (row[column] != null) {
          symbols.putIfAbsent(key(row[column]), symbols.size());
        }
      }
      SymbolAxis axis = new SymbolAxis(label, symbols.keySet().toArray(String[]::new));
      axis.setRange(-0.5, Math.max(0, symbols.size() - 1) + 0.5);
      return new Placement(axis, symbols, 1);
    }

    double position(Object value) {
      return symbols == null ? ((Number) value).doubleValue() : symbols.get(key(value));
    }
  }

  private static NumberAxis valueAxis(ChartSpec spec, Kind kind) {
    NumberAxis axis = new NumberAxis(spec.yAxisLabel());
    axis.setNumberFormatOverride(ChartStyle.numberFormat(kind));
    if (kind == Kind.INTEGER) {
      axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }
    axis.setUpperMargin(0.08);
    return axis;
  }

  private static ReportTable.Column numericColumn(ReportTable table, ChartSpec spec, String name) {
    ReportTable.Column column = table.columns().get(table.indexOf(name));
    if (column.kind() == Kind.TEXT || column.kind() == Kind.DATE) {
      throw new IllegalArgumentException("chart '" + spec.title() + "' plots column '" + name + "', which is "
          + column.kind() + "; choose a MONEY, INTEGER, NUMBER or PERCENT column");
    }
    return column;
  }

  /** Sums exactly while both sides are BigDecimal (money) or integral; falls back to double otherwise. */
  static Number sum(Number a, Number b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.add(y);
    }
    if (a instanceof Long x && b instanceof Long y) {
      return Math.addExact(x, y);
    }
    return a.doubleValue() + b.doubleValue();
  }

  private static String key(Object value) {
    return value == null ? "(none)" : value.toString();
  }
}
