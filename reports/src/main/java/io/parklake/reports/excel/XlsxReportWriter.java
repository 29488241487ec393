package io.parklake.reports.excel;

import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
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
import org.apache.poi.xddf.usermodel.chart.AxisCrosses;
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
import org.apache.poi.xssf.usermodel.XSSFClientAnchor;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFFormulaEvaluator;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Writes a table to an xlsx sheet an analyst can work with: typed cells (dates as dates, money with
 * two decimals, counts as integers), a bold frozen header with an auto-filter, fitted column widths,
 * one totals row per currency as live {@code SUMIFS} formulas (with cached values, so any reader
 * sees the numbers), and a native Excel bar chart the analyst can restyle.
 */
public final class XlsxReportWriter {

  /** A native bar chart of one numeric column against a category column. */
  public record BarChart(String title, String categoryColumn, String valueColumn, String valueAxisTitle) {}

  /** What to write: the sheet's name, the table, the column whose values get a totals row each, the chart. */
  public record SheetSpec(String sheetName, ReportTable table, String totalsByColumn, BarChart chart) {}

  public static final String TOTAL_LABEL = "Total";

  private XlsxReportWriter() {}

  public static void write(List<SheetSpec> sheets, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      Styles styles = new Styles(wb);
      for (SheetSpec spec : sheets) {
        writeSheet(wb, styles, spec);
      }
      XSSFFormulaEvaluator.evaluateAllFormulaCells(wb);
      try (OutputStream out = Files.newOutputStream(tmp)) {
        wb.write(out);
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeSheet(XSSFWorkbook wb, Styles styles, SheetSpec spec) {
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

    if (spec.chart() != null && lastDataRow >= 1) {
      addBarChart(sheet, spec.chart(), table, lastDataRow);
    }
  }

  private static void addBarChart(XSSFSheet sheet, BarChart spec, ReportTable table, int lastDataRow) {
    int catCol = table.indexOf(spec.categoryColumn());
    int valCol = table.indexOf(spec.valueColumn());
    int left = table.columns().size() + 1;
    XSSFDrawing drawing = sheet.createDrawingPatriarch();
    XSSFClientAnchor anchor = drawing.createAnchor(0, 0, 0, 0, left, 1, left + 10, 22);
    XSSFChart chart = drawing.createChart(anchor);
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
    final CellStyle header, money, date, integer, percent, totalLabel, moneyTotal, integerTotal;

    Styles(XSSFWorkbook wb) {
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
    }
  }
}
