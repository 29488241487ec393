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
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormat;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
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
import org.apache.poi.xddf.usermodel.chart.XDDFDataSourcesFactory;
import org.apache.poi.xddf.usermodel.chart.XDDFNumericalDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFFormulaEvaluator;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Writes a table to an xlsx sheet an analyst can work with: typed cells (dates as dates, money with
 * two decimals, counts as integers), a bold frozen header with an auto-filter, fitted column widths,
 * one totals row per currency as live {@code SUMIFS} formulas (with cached values, so any reader
 * sees the numbers), and native Excel charts (bar, line, pie) the analyst can restyle. An optional
 * cover sheet states the report, period, generation time and headline figures as typed cells.
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

  /** Writes an optional cover sheet (null for none) followed by the data sheets. */
  public static void write(Cover cover, List<Sheet> sheets, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      Styles styles = new Styles(wb);
      if (cover != null) {
        writeCover(wb, styles, cover);
      }
      for (Sheet spec : sheets) {
        writeSheet(wb, styles, spec);
      }
      XSSFFormulaEvaluator.evaluateAllFormulaCells(wb);
      try (OutputStream out = Files.newOutputStream(tmp)) {
        wb.write(out);
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeCover(XSSFWorkbook wb, Styles styles, Cover cover) {
    XSSFSheet sheet = wb.createSheet(COVER_SHEET);
    Cell title = sheet.createRow(0).createCell(0);
    title.setCellValue(cover.title());
    title.setCellStyle(styles.coverTitle);
    sheet.getRow(0).setHeightInPoints(26);
    XSSFRow period = sheet.createRow(1);
    period.createCell(0).setCellValue("Period");
    period.createCell(1).setCellValue(cover.period());
    XSSFRow generated = sheet.createRow(2);
    generated.createCell(0).setCellValue("Generated (UTC)");
    Cell when = generated.createCell(1);
    // Excel has no zone in a date-time: store UTC wall time and say so in the label.
    when.setCellValue(LocalDateTime.ofInstant(cover.generatedAt(), ZoneOffset.UTC).withNano(0));
    when.setCellStyle(styles.dateTime);
    int r = 4;
    XSSFRow header = sheet.createRow(r++);
    for (int c = 0; c < 2; c++) {
      Cell cell = header.createCell(c);
      cell.setCellValue(c == 0 ? "Figure" : "Value");
      cell.setCellStyle(styles.header);
    }
    for (CoverFigure f : cover.figures()) {
      XSSFRow row = sheet.createRow(r++);
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

  private static void writeSheet(XSSFWorkbook wb, Styles styles, Sheet spec) {
    ReportTable table = spec.table();
    XSSFSheet sheet = wb.createSheet(spec.sheetName().length() > 31 ? spec.sheetName().substring(0, 31) : spec.sheetName());
    List<Column> columns = table.columns();
    XSSFRow header = sheet.createRow(0);
    for (int c = 0; c < columns.size(); c++) {
      Cell cell = header.createCell(c);
      cell.setCellValue(columns.get(c).name());
      cell.setCellStyle(styles.header);
    }
    int r = 1;
    for (Object[] values : table.rows()) {
      XSSFRow row = sheet.createRow(r++);
      for (int c = 0; c < values.length; c++) {
        setCell(row.createCell(c), values[c], columns.get(c).kind(), styles);
      }
    }
    int lastDataRow = r - 1;
    sheet.createFreezePane(0, 1);
    if (lastDataRow >= 1) {
      sheet.setAutoFilter(new CellRangeAddress(0, lastDataRow, 0, columns.size() - 1));
    }

    if (spec.totalsByColumn() != null && lastDataRow >= 1) {
      int keyCol = table.indexOf(spec.totalsByColumn());
      Set<String> keys = new LinkedHashSet<>();
      for (Object[] values : table.rows()) {
        keys.add(String.valueOf(values[keyCol]));
      }
      String keyRange = range(keyCol, 1, lastDataRow);
      for (String key : keys) {
        XSSFRow row = sheet.createRow(r++);
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
          Cell cell = row.createCell(c);
          cell.setCellFormula("SUMIFS(" + range(c, 1, lastDataRow) + "," + keyRange + ",\"" + key + "\")");
          cell.setCellStyle(kind == Kind.MONEY ? styles.moneyTotal : styles.integerTotal);
        }
      }
    }

    for (int c = 0; c < columns.size(); c++) {
      int width = columns.get(c).name().length();
      for (Object[] values : table.rows()) {
        Object v = values[c];
        int len = v == null ? 0 : v instanceof BigDecimal d ? d.toPlainString().length() + 3 : v.toString().length();
        width = Math.max(width, len);
      }
      sheet.setColumnWidth(c, Math.min(60, width + 3) * 256);
    }

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
          XDDFDataSourcesFactory.fromNumericCellRange(sheet, new CellRangeAddress(1, lastDataRow, valCol, valCol)));
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
        XDDFDataSourcesFactory.fromNumericCellRange(sheet, new CellRangeAddress(1, lastDataRow, valCol, valCol)));
    series.setTitle(spec.valueColumn(), new CellReference(sheet.getSheetName(), 0, valCol, true, true));
    List<String> keys = table.rows().stream().map(r -> String.valueOf(r[catCol])).toList();
    Map<String, FacilityPalette.Swatch> colours = FacilityPalette.assign(keys);
    for (int i = 0; i < keys.size(); i++) {
      series.getDataPoint(i).setFillProperties(
          new XDDFSolidFillProperties(XDDFColor.from(colours.get(keys.get(i)).rgb())));
    }
    chart.plot(data);
  }

  /** Text categories as strings; date and number categories reference the cells as numbers, shown with their cell format. */
  private static XDDFDataSource<?> categories(XSSFSheet sheet, ReportTable table, int catCol, int lastDataRow) {
    CellRangeAddress range = new CellRangeAddress(1, lastDataRow, catCol, catCol);
    Kind kind = table.columns().get(catCol).kind();
    if (kind == Kind.TEXT) {
      return XDDFDataSourcesFactory.fromStringCellRange(sheet, range);
    }
    return XDDFDataSourcesFactory.fromNumericCellRange(sheet, range);
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
    XDDFDataSource<String> categories =
        XDDFDataSourcesFactory.fromStringCellRange(sheet, new CellRangeAddress(1, lastDataRow, catCol, catCol));
    XDDFNumericalDataSource<Double> values =
        XDDFDataSourcesFactory.fromNumericCellRange(sheet, new CellRangeAddress(1, lastDataRow, valCol, valCol));
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
    private final XSSFWorkbook wb;
    private final Map<String, CellStyle> moneyByCurrency = new HashMap<>();

    /** {@code 1,234.50 "EUR"}: the cell stays a number, the code is part of its format. */
    CellStyle moneyIn(String currency) {
      return moneyByCurrency.computeIfAbsent(currency, c -> {
        CellStyle style = wb.createCellStyle();
        style.setDataFormat(wb.createDataFormat().getFormat("#,##0.00 \"" + c.replace("\"", "") + "\""));
        return style;
      });
    }

    Styles(XSSFWorkbook wb) {
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
