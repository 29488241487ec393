package io.parklake.reports.excel;

import io.parklake.reports.chart.FacilityPalette;
import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.formula.SheetNameFormatter;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormat;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xddf.usermodel.XDDFColor;
import org.apache.poi.xddf.usermodel.XDDFLineProperties;
import org.apache.poi.xddf.usermodel.XDDFSolidFillProperties;
import org.apache.poi.xddf.usermodel.chart.AxisCrosses;
import org.apache.poi.xddf.usermodel.chart.MarkerStyle;
import org.apache.poi.xddf.usermodel.chart.XDDFLineChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFPieChartData;
import org.apache.poi.xddf.usermodel.chart.AxisPosition;
import org.apache.poi.xddf.usermodel.chart.BarDirection;
import org.apache.poi.xddf.usermodel.chart.ChartTypes;
import org.apache.poi.xddf.usermodel.chart.LegendPosition;
import org.apache.poi.xddf.usermodel.chart.XDDFBarChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryAxis;
import org.apache.poi.xddf.usermodel.chart.XDDFChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFNumericalDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Writes a table to an xlsx sheet an analyst can work with: typed cells (dates as dates, money with
 * two decimals, counts as integers), a bold frozen header with an auto-filter, fitted column widths,
 * one totals row per currency as live {@code SUMIFS} formulas (with cached values, so any reader
 * sees the numbers), and native Excel charts (bar, line, pie) the analyst can restyle. An optional
 * cover sheet states the report, period, generation time and headline figures as typed cells.
 *
 * <p>Rows are streamed (SXSSF), so heap use does not grow with the table. A table longer than
 * Excel's 1,048,576 rows per sheet continues on "Name (2)", "Name (3)"… rather than failing or
 * being cut: see {@link #write(Cover, List, Path)}.
 */
public final class XlsxReportWriter {

  /** A chart Excel draws itself from the sheet's cells, so it follows any edit the analyst makes. */
  public sealed interface NativeChart permits BarChart, LineChart, PieChart {
    String title();
  }

  /** A native bar chart of one numeric column against a category column. */
  public record BarChart(String title, String categoryColumn, String valueColumn, String valueAxisTitle)
      implements NativeChart {}

  /** A native line chart: one line per value column (e.g. gross, refunds, net) against a category or date column. */
  public record LineChart(String title, String categoryColumn, List<String> valueColumns, String valueAxisTitle)
      implements NativeChart {
    public LineChart {
      valueColumns = List.copyOf(valueColumns);
    }
  }

  /** A native pie chart of one numeric column's shares per category, slices in the facility palette. */
  public record PieChart(String title, String categoryColumn, String valueColumn) implements NativeChart {}

  /** What to write: the sheet's name, the table, the column whose values get a totals row each, the chart. */
  public record SheetSpec(String sheetName, ReportTable table, String totalsByColumn, BarChart chart) {}

  /** Like {@link SheetSpec}, with any number of native charts, stacked to the right of the table. */
  public record Sheet(String sheetName, ReportTable table, String totalsByColumn, List<NativeChart> charts) {
    public Sheet {
      charts = List.copyOf(charts);
    }
  }

  /**
   * The first sheet of a workbook: what it is, for which period, when it was generated, and the
   * headline figures as typed cells (money as numbers with their currency in the format), so a
   * figure can be compared with, or referenced from, the marts' values.
   */
  public record Cover(String title, String period, Instant generatedAt, List<CoverFigure> figures) {
    public Cover {
      figures = List.copyOf(figures);
    }
  }

  /**
   * One headline figure: a BigDecimal for MONEY (with {@code currency}), a Long for INTEGER, a
   * Number for NUMBER/PERCENT, a LocalDate for DATE, text otherwise.
   */
  public record CoverFigure(String label, Object value, Kind kind, String currency) {}

  public static final String COVER_SHEET = "Cover";

  public static final String TOTAL_LABEL = "Total";

  private XlsxReportWriter() {}

  public static void write(List<SheetSpec> sheets, Path file) throws IOException {
    write(null, sheets.stream()
        .map(s -> new Sheet(s.sheetName(), s.table(), s.totalsByColumn(),
            s.chart() == null ? List.<NativeChart>of() : List.<NativeChart>of(s.chart())))
        .toList(), file);
  }

  /**
   * Writes an optional cover sheet (null for none) followed by the data sheets. A table with more
   * rows than a sheet holds continues on sheets named "Name (2)", "Name (3)"…, each with its own
   * header, freeze pane and filter; its totals rows go on the last of them and sum all of them; its
   * charts go on the first and plot that sheet's rows.
   */
  public static void write(Cover cover, List<Sheet> sheets, Path file) throws IOException {
    write(cover, sheets, file, MAX_ROWS_PER_SHEET);
  }

  /** Excel's own limit: 1,048,576 rows per sheet, header and totals rows included. */
  static final int MAX_ROWS_PER_SHEET = SpreadsheetVersion.EXCEL2007.getMaxRows();

  /**
   * Rows kept in memory per sheet while streaming; older rows go to a compressed temp file, so a
   * sheet of a million rows costs about as much heap as one of five hundred.
   */
  static final int ROW_WINDOW = 500;

  /** Column widths are fitted to the header and this many rows: enough to see the shape of the data. */
  static final int WIDTH_SAMPLE_ROWS = 1000;

  /**
   * Charts carry a cache of their points for readers that do not compute (previews, POI); Excel and
   * LibreOffice redraw from the cells. Beyond this many points the cache is left out: it would cost
   * hundreds of bytes of heap per point while writing, and nobody reads 100,000 bars from a cache.
   */
  static final int CHART_CACHE_POINTS = 10_000;

  /** {@code maxRowsPerSheet} is a parameter so that the continuation sheets can be tested without a million rows. */
  static void write(Cover cover, List<Sheet> sheets, Path file, int maxRowsPerSheet) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    // Rows stream to temp files through SXSSF; drawings, charts, styles and sheet settings live on
    // the XSSF side, which SXSSF writes out around the streamed rows.
    SXSSFWorkbook wb = new SXSSFWorkbook(new XSSFWorkbook(), ROW_WINDOW, true);
    try {
      Styles styles = new Styles(wb);
      if (cover != null) {
        writeCover(wb, styles, cover);
      }
      for (Sheet spec : sheets) {
        writeSheet(wb, styles, spec, maxRowsPerSheet);
      }
      try (OutputStream out = Files.newOutputStream(tmp)) {
        wb.write(out);
      }
    } finally {
      wb.dispose();
      wb.close();
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeCover(SXSSFWorkbook wb, Styles styles, Cover cover) {
    SXSSFSheet sheet = wb.createSheet(COVER_SHEET);
    Row titleRow = sheet.createRow(0);
    Cell title = titleRow.createCell(0);
    title.setCellValue(cover.title());
    title.setCellStyle(styles.coverTitle);
    titleRow.setHeightInPoints(26);
    Row period = sheet.createRow(1);
    period.createCell(0).setCellValue("Period");
    period.createCell(1).setCellValue(cover.period());
    Row generated = sheet.createRow(2);
    generated.createCell(0).setCellValue("Generated (UTC)");
    Cell when = generated.createCell(1);
    // Excel has no zone in a date-time: store UTC wall time and say so in the label.
    when.setCellValue(LocalDateTime.ofInstant(cover.generatedAt(), ZoneOffset.UTC).withNano(0));
    when.setCellStyle(styles.dateTime);
    int r = 4;
    Row header = sheet.createRow(r++);
    for (int c = 0; c < 2; c++) {
      Cell cell = header.createCell(c);
      cell.setCellValue(c == 0 ? "Figure" : "Value");
      cell.setCellStyle(styles.header);
    }
    for (CoverFigure f : cover.figures()) {
      Row row = sheet.createRow(r++);
      row.createCell(0).setCellValue(f.label());
      Cell value = row.createCell(1);
      if (f.kind() == Kind.MONEY && f.value() != null && f.currency() != null) {
        value.setCellValue(((BigDecimal) f.value()).doubleValue());
        value.setCellStyle(styles.moneyIn(f.currency()));
      } else {
        setCell(value, f.value(), f.kind(), styles);
      }
    }
    sheet.setColumnWidth(0, 34 * 256);
    sheet.setColumnWidth(1, 24 * 256);
  }

  /**
   * One table, on one sheet while it fits. A table with more rows than a sheet holds continues on
   * "Name (2)", "Name (3)"…, each with its header, freeze pane and filter; the totals rows go on the
   * last of them and sum every part; the charts stay on the first and plot that sheet's rows.
   */
  private static void writeSheet(SXSSFWorkbook wb, Styles styles, Sheet spec, int maxRowsPerSheet) {
    ReportTable table = spec.table();
    List<Column> columns = table.columns();
    List<Object[]> rows = table.rows();
    int keyCol = spec.totalsByColumn() == null ? -1 : table.indexOf(spec.totalsByColumn());
    Map<String, BigDecimal[]> totals = keyCol < 0 || rows.isEmpty() ? Map.of() : totals(table, keyCol);
    int perSheet = maxRowsPerSheet - 1 - totals.size();
    if (perSheet < 1) {
      throw new IllegalArgumentException("sheet '" + spec.sheetName() + "' needs " + totals.size()
          + " totals rows, more than a sheet of " + maxRowsPerSheet + " rows holds");
    }
    int parts = Math.max(1, (rows.size() + perSheet - 1) / perSheet);
    int[] widths = columnWidths(table);
    List<String> partNames = new ArrayList<>();
    List<Integer> partLastRows = new ArrayList<>();
    SXSSFSheet first = null;
    for (int p = 0; p < parts; p++) {
      String name = partName(spec.sheetName(), p + 1);
      SXSSFSheet sheet = wb.createSheet(name);
      first = first == null ? sheet : first;
      Row header = sheet.createRow(0);
      for (int c = 0; c < columns.size(); c++) {
        Cell cell = header.createCell(c);
        cell.setCellValue(columns.get(c).name());
        cell.setCellStyle(styles.header);
      }
      int r = 1;
      for (Object[] values : rows.subList(p * perSheet, Math.min(rows.size(), (p + 1) * perSheet))) {
        Row row = sheet.createRow(r++);
        for (int c = 0; c < values.length; c++) {
          setCell(row.createCell(c), values[c], columns.get(c).kind(), styles);
        }
      }
      int lastDataRow = r - 1;
      sheet.createFreezePane(0, 1);
      if (lastDataRow >= 1) {
        sheet.setAutoFilter(new CellRangeAddress(0, lastDataRow, 0, columns.size() - 1));
      }
      for (int c = 0; c < columns.size(); c++) {
        sheet.setColumnWidth(c, widths[c]);
      }
      partNames.add(name);
      partLastRows.add(lastDataRow);
      if (p == parts - 1) {
        writeTotals(sheet, styles, table, keyCol, totals, r, parts == 1 ? Arrays.asList((String) null) : partNames, partLastRows);
      }
    }

    int lastDataRow = partLastRows.get(0);
    XSSFSheet sheet = wb.getXSSFWorkbook().getSheet(first.getSheetName());
    int top = 1;
    for (NativeChart chart : lastDataRow >= 1 ? spec.charts() : List.<NativeChart>of()) {
      XSSFChart drawn = placeChart(sheet, table, top);
      if (chart instanceof BarChart bar) {
        addBarChart(drawn, sheet, bar, table, lastDataRow);
      } else if (chart instanceof LineChart line) {
        addLineChart(drawn, sheet, line, table, lastDataRow);
      } else if (chart instanceof PieChart pie) {
        addPieChart(drawn, sheet, pie, table, lastDataRow);
      }
      top += CHART_ROWS + 1;
    }
  }

  /** The sheet name Excel accepts (at most 31 characters), with " (n)" for continuation sheets. */
  static String partName(String sheetName, int part) {
    String suffix = part == 1 ? "" : " (" + part + ")";
    int room = 31 - suffix.length();
    return (sheetName.length() > room ? sheetName.substring(0, room) : sheetName) + suffix;
  }

  /** Exact per-key sums of the MONEY and INTEGER columns, keys in order of first appearance. */
  private static Map<String, BigDecimal[]> totals(ReportTable table, int keyCol) {
    List<Column> columns = table.columns();
    Map<String, BigDecimal[]> totals = new LinkedHashMap<>();
    for (Object[] values : table.rows()) {
      BigDecimal[] sums = totals.computeIfAbsent(String.valueOf(values[keyCol]), k -> {
        BigDecimal[] zeros = new BigDecimal[columns.size()];
        Arrays.fill(zeros, BigDecimal.ZERO);
        return zeros;
      });
      for (int c = 0; c < columns.size(); c++) {
        Kind kind = columns.get(c).kind();
        if ((kind == Kind.MONEY || kind == Kind.INTEGER) && values[c] instanceof Number n) {
          sums[c] = sums[c].add(n instanceof BigDecimal d ? d
              : n instanceof Long || n instanceof Integer || n instanceof Short ? BigDecimal.valueOf(n.longValue())
              : new BigDecimal(n.toString()));
        }
      }
    }
    return totals;
  }

  /**
   * One row per key: live {@code SUMIFS} formulas, so the totals follow the analyst's edits, with the
   * exact sums from Java as their cached values, since streamed rows are no longer there to evaluate.
   * {@code parts} names the sheets to sum over, a single null for "this sheet".
   */
  private static void writeTotals(SXSSFSheet sheet, Styles styles, ReportTable table, int keyCol,
      Map<String, BigDecimal[]> totals, int firstRow, List<String> parts, List<Integer> lastRows) {
    List<Column> columns = table.columns();
    int r = firstRow;
    for (Map.Entry<String, BigDecimal[]> total : totals.entrySet()) {
      String key = total.getKey();
      Row row = sheet.createRow(r++);
      Cell label = row.createCell(0);
      label.setCellValue(TOTAL_LABEL + " " + key);
      label.setCellStyle(styles.totalLabel);
      Cell keyCell = row.createCell(keyCol);
      keyCell.setCellValue(key);
      keyCell.setCellStyle(styles.totalLabel);
      for (int c = 0; c < columns.size(); c++) {
        Kind kind = columns.get(c).kind();
        if (c == keyCol || (kind != Kind.MONEY && kind != Kind.INTEGER)) {
          continue;
        }
        StringBuilder formula = new StringBuilder();
        for (int p = 0; p < parts.size(); p++) {
          String prefix = parts.get(p) == null ? "" : SheetNameFormatter.format(parts.get(p)) + "!";
          formula.append(p == 0 ? "" : "+").append("SUMIFS(")
              .append(prefix).append(range(c, 1, lastRows.get(p))).append(',')
              .append(prefix).append(range(keyCol, 1, lastRows.get(p))).append(",\"").append(key).append("\")");
        }
        Cell cell = row.createCell(c);
        cell.setCellFormula(formula.toString());
        // On a formula cell SXSSF keeps this as the formula's cached result.
        cell.setCellValue(total.getValue()[c].doubleValue());
        cell.setCellStyle(kind == Kind.MONEY ? styles.moneyTotal : styles.integerTotal);
      }
    }
  }

  /** Widths in 1/256 of a character from the header and the first rows, as Excel's auto-fit would roughly give. */
  private static int[] columnWidths(ReportTable table) {
    List<Column> columns = table.columns();
    List<Object[]> sample = table.rows().subList(0, Math.min(WIDTH_SAMPLE_ROWS, table.rows().size()));
    int[] widths = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      int width = columns.get(c).name().length();
      for (Object[] values : sample) {
        Object v = values[c];
        int len = v == null ? 0 : v instanceof BigDecimal d ? d.toPlainString().length() + 3 : v.toString().length();
        width = Math.max(width, len);
      }
      widths[c] = Math.min(60, width + 3) * 256;
    }
    return widths;
  }

  private static final int CHART_ROWS = 21;

  private static XSSFChart placeChart(XSSFSheet sheet, ReportTable table, int top) {
    int left = table.columns().size() + 1;
    XSSFDrawing drawing = sheet.createDrawingPatriarch();
    return drawing.createChart(drawing.createAnchor(0, 0, 0, 0, left, top, left + 10, top + CHART_ROWS));
  }

  private static void addLineChart(XSSFChart chart, XSSFSheet sheet, LineChart spec, ReportTable table, int lastDataRow) {
    int catCol = table.indexOf(spec.categoryColumn());
    chart.setTitleText(spec.title());
    chart.setTitleOverlay(false);
    chart.getOrAddLegend().setPosition(LegendPosition.BOTTOM);
    XDDFCategoryAxis x = chart.createCategoryAxis(AxisPosition.BOTTOM);
    x.setTitle(spec.categoryColumn());
    XDDFValueAxis y = chart.createValueAxis(AxisPosition.LEFT);
    y.setTitle(spec.valueAxisTitle());
    y.setCrosses(AxisCrosses.AUTO_ZERO);
    XDDFLineChartData data = (XDDFLineChartData) chart.createData(ChartTypes.LINE, x, y);
    data.setVaryColors(false);
    XDDFDataSource<?> categories = categories(sheet, table, catCol, lastDataRow);
    for (String column : spec.valueColumns()) {
      int valCol = table.indexOf(column);
      XDDFLineChartData.Series series = (XDDFLineChartData.Series) data.addSeries(categories,
          numbers(sheet, table, valCol, lastDataRow));
      series.setTitle(column, new CellReference(sheet.getSheetName(), 0, valCol, true, true));
      series.setSmooth(false);
      series.setMarkerStyle(MarkerStyle.CIRCLE);
      XDDFLineProperties line = new XDDFLineProperties(
          new XDDFSolidFillProperties(XDDFColor.from(FacilityPalette.colourOf(column).rgb())));
      line.setWidth(2.25);
      series.setLineProperties(line);
    }
    chart.plot(data);
  }

  private static void addPieChart(XSSFChart chart, XSSFSheet sheet, PieChart spec, ReportTable table, int lastDataRow) {
    int catCol = table.indexOf(spec.categoryColumn());
    int valCol = table.indexOf(spec.valueColumn());
    chart.setTitleText(spec.title());
    chart.setTitleOverlay(false);
    chart.getOrAddLegend().setPosition(LegendPosition.RIGHT);
    XDDFPieChartData data = (XDDFPieChartData) chart.createData(ChartTypes.PIE, null, null);
    data.setVaryColors(true);
    XDDFChartData.Series series = data.addSeries(categories(sheet, table, catCol, lastDataRow),
        numbers(sheet, table, valCol, lastDataRow));
    series.setTitle(spec.valueColumn(), new CellReference(sheet.getSheetName(), 0, valCol, true, true));
    // A colour per slice is an XML element per row: only for pies a person can read.
    List<String> keys = lastDataRow > CHART_CACHE_POINTS ? List.of()
        : table.rows().subList(0, lastDataRow).stream().map(r -> String.valueOf(r[catCol])).toList();
    Map<String, FacilityPalette.Swatch> colours = FacilityPalette.assign(keys);
    for (int i = 0; i < keys.size(); i++) {
      series.getDataPoint(i).setFillProperties(
          new XDDFSolidFillProperties(XDDFColor.from(colours.get(keys.get(i)).rgb())));
    }
    chart.plot(data);
  }

  /** Text categories as strings; date and number categories reference the cells as numbers, shown with their cell format. */
  private static XDDFDataSource<?> categories(XSSFSheet sheet, ReportTable table, int catCol, int lastDataRow) {
    if (table.columns().get(catCol).kind() == Kind.TEXT) {
      return texts(sheet, table, catCol, lastDataRow);
    }
    return numbers(sheet, table, catCol, lastDataRow);
  }

  private static ColumnRange.Numbers numbers(XSSFSheet sheet, ReportTable table, int col, int lastDataRow) {
    return new ColumnRange.Numbers(sheet.getSheetName(), table, col, lastDataRow);
  }

  private static ColumnRange.Texts texts(XSSFSheet sheet, ReportTable table, int col, int lastDataRow) {
    return new ColumnRange.Texts(sheet.getSheetName(), table, col, lastDataRow);
  }

  private static void addBarChart(XSSFChart chart, XSSFSheet sheet, BarChart spec, ReportTable table, int lastDataRow) {
    int catCol = table.indexOf(spec.categoryColumn());
    int valCol = table.indexOf(spec.valueColumn());
    chart.setTitleText(spec.title());
    chart.setTitleOverlay(false);
    chart.getOrAddLegend().setPosition(LegendPosition.BOTTOM);
    XDDFCategoryAxis x = chart.createCategoryAxis(AxisPosition.BOTTOM);
    x.setTitle(spec.categoryColumn());
    XDDFValueAxis y = chart.createValueAxis(AxisPosition.LEFT);
    y.setTitle(spec.valueAxisTitle());
    y.setCrosses(AxisCrosses.AUTO_ZERO);
    XDDFDataSource<String> categories = texts(sheet, table, catCol, lastDataRow);
    XDDFNumericalDataSource<Double> values = numbers(sheet, table, valCol, lastDataRow);
    XDDFBarChartData data = (XDDFBarChartData) chart.createData(ChartTypes.BAR, x, y);
    data.setBarDirection(BarDirection.COL);
    data.setVaryColors(false);
    XDDFChartData.Series series = data.addSeries(categories, values);
    series.setTitle(spec.valueColumn(), null);
    chart.plot(data);
  }

  private static String range(int col, int firstRow, int lastRow) {
    String letter = CellReference.convertNumToColString(col);
    return "$" + letter + "$" + (firstRow + 1) + ":$" + letter + "$" + (lastRow + 1);
  }

  private static void setCell(Cell cell, Object v, Kind kind, Styles styles) {
    if (v == null) {
      cell.setBlank();
      return;
    }
    switch (kind) {
      case MONEY -> {
        // POI stores numbers as IEEE doubles, as Excel does; the exact decimal is kept in CSV and the lake.
        cell.setCellValue(((BigDecimal) v).doubleValue());
        cell.setCellStyle(styles.money);
      }
      case DATE -> {
        cell.setCellValue((LocalDate) v);
        cell.setCellStyle(styles.date);
      }
      case INTEGER -> {
        cell.setCellValue(((Number) v).doubleValue());
        cell.setCellStyle(styles.integer);
      }
      case NUMBER -> cell.setCellValue(((Number) v).doubleValue());
      case PERCENT -> {
        cell.setCellValue(((Number) v).doubleValue());
        cell.setCellStyle(styles.percent);
      }
      default -> cell.setCellValue(v.toString());
    }
  }

  private static final class Styles {
    final CellStyle header, money, date, integer, percent, totalLabel, moneyTotal, integerTotal, coverTitle, dateTime;
    private final Workbook wb;
    private final Map<String, CellStyle> moneyByCurrency = new HashMap<>();

    /** {@code 1,234.50 "EUR"}: the cell stays a number, the code is part of its format. */
    CellStyle moneyIn(String currency) {
      return moneyByCurrency.computeIfAbsent(currency, c -> {
        CellStyle style = wb.createCellStyle();
        style.setDataFormat(wb.createDataFormat().getFormat("#,##0.00 \"" + c.replace("\"", "") + "\""));
        return style;
      });
    }

    Styles(Workbook wb) {
      this.wb = wb;
      DataFormat fmt = wb.createDataFormat();
      Font bold = wb.createFont();
      bold.setBold(true);
      header = wb.createCellStyle();
      header.setFont(bold);
      header.setFillForegroundColor(IndexedColors.GREY_25_PERCENT.getIndex());
      header.setFillPattern(FillPatternType.SOLID_FOREGROUND);
      money = wb.createCellStyle();
      money.setDataFormat(fmt.getFormat("#,##0.00"));
      date = wb.createCellStyle();
      date.setDataFormat(fmt.getFormat("yyyy-mm-dd"));
      integer = wb.createCellStyle();
      integer.setDataFormat(fmt.getFormat("#,##0"));
      percent = wb.createCellStyle();
      percent.setDataFormat(fmt.getFormat("0.0%"));
      totalLabel = wb.createCellStyle();
      totalLabel.setFont(bold);
      moneyTotal = wb.createCellStyle();
      moneyTotal.cloneStyleFrom(money);
      moneyTotal.setFont(bold);
      integerTotal = wb.createCellStyle();
      integerTotal.cloneStyleFrom(integer);
      integerTotal.setFont(bold);
      Font big = wb.createFont();
      big.setBold(true);
      big.setFontHeightInPoints((short) 18);
      coverTitle = wb.createCellStyle();
      coverTitle.setFont(big);
      dateTime = wb.createCellStyle();
      dateTime.setDataFormat(fmt.getFormat("yyyy-mm-dd hh:mm:ss"));
    }
  }
}
