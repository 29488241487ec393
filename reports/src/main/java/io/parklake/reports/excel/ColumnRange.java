package io.parklake.reports.excel;

import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Kind;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFNumericalDataSource;

/**
 * A chart series' reference to the data rows of one column, as POI's cell-range sources give it,
 * but with its cache read from the table: once SXSSF has flushed the rows to disk there are no
 * cells left to read. Points are what the cells hold — text for TEXT columns, numbers (dates as
 * Excel serials) for the others, none for blanks — and no cache is written past
 * {@link XlsxReportWriter#CHART_CACHE_POINTS}, where Excel and LibreOffice redraw from the cells.
 */
abstract sealed class ColumnRange<T> implements XDDFDataSource<T> {
  private final String sheetName;
  private final ReportTable table;
  private final int col;
  private final int lastDataRow;

  ColumnRange(String sheetName, ReportTable table, int col, int lastDataRow) {
    this.sheetName = sheetName;
    this.table = table;
    this.col = col;
    this.lastDataRow = lastDataRow;
  }

  @Override
  public int getPointCount() {
    return lastDataRow;
  }

  @Override
  public T getPointAt(int index) {
    if (lastDataRow > XlsxReportWriter.CHART_CACHE_POINTS) {
      return null;
    }
    Object v = table.rows().get(index)[col];
    return v == null ? null : point(v, table.columns().get(col).kind());
  }

  abstract T point(Object value, Kind kind);

  @Override
  public boolean isLiteral() {
    return false;
  }

  @Override
  public boolean isCellRange() {
    return true;
  }

  @Override
  public boolean isReference() {
    return true;
  }

  @Override
  public int getColIndex() {
    return col;
  }

  @Override
  public String getDataRangeReference() {
    return new CellRangeAddress(1, lastDataRow, col, col).formatAsString(sheetName, true);
  }

  @Override
  public String getFormatCode() {
    return null;
  }

  static final class Numbers extends ColumnRange<Double> implements XDDFNumericalDataSource<Double> {
    Numbers(String sheetName, ReportTable table, int col, int lastDataRow) {
      super(sheetName, table, col, lastDataRow);
    }

    @Override
    Double point(Object v, Kind kind) {
      return switch (kind) {
        case TEXT -> null;
        case DATE -> DateUtil.getExcelDate(((LocalDate) v).atStartOfDay(), false);
        case MONEY -> ((BigDecimal) v).doubleValue();
        default -> ((Number) v).doubleValue();
      };
    }

    @Override
    public boolean isNumeric() {
      return true;
    }

    @Override
    public boolean isLiteral() {
      return false;
    }

    @Override
    public void setFormatCode(String formatCode) {
      throw new UnsupportedOperationException("the cells' own format applies");
    }
  }

  static final class Texts extends ColumnRange<String> implements XDDFCategoryDataSource {
    Texts(String sheetName, ReportTable table, int col, int lastDataRow) {
      super(sheetName, table, col, lastDataRow);
    }

    @Override
    String point(Object v, Kind kind) {
      return kind == Kind.TEXT ? v.toString() : null;
    }

    @Override
    public boolean isNumeric() {
      return false;
    }

    @Override
    public boolean isLiteral() {
      return false;
    }

    @Override
    public boolean isReference() {
      return true;
    }

    @Override
    public int getColIndex() {
      return super.getColIndex();
    }
  }
}
