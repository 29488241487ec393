package io.parklake.reports.excel;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.reports.excel.XlsxReportWriter.BarChart;
import io.parklake.reports.excel.XlsxReportWriter.Cover;
import io.parklake.reports.excel.XlsxReportWriter.CoverFigure;
import io.parklake.reports.excel.XlsxReportWriter.LineChart;
import io.parklake.reports.excel.XlsxReportWriter.PieChart;
import io.parklake.reports.excel.XlsxReportWriter.Sheet;
import io.parklake.reports.excel.XlsxReportWriter.SheetSpec;
import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.xddf.usermodel.chart.XDDFBarChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFLineChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFPieChartData;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XlsxReportWriterTest {
  @TempDir Path dir;

  static ReportTable daily() {
    List<Object[]> rows = new ArrayList<>();
    for (int d = 1; d <= 10; d++) {
      rows.add(new Object[] {"Harbour", "EUR", LocalDate.of(2026, 10, d), new BigDecimal(1000 + d + ".10"),
          new BigDecimal(d + ".05"), new BigDecimal(1000 + d + ".10").subtract(new BigDecimal(d + ".05")), (long) d});
    }
    return new ReportTable(List.of(new Column("facility_name", Kind.TEXT), new Column("currency", Kind.TEXT),
        new Column("local_date", Kind.DATE), new Column("gross", Kind.MONEY), new Column("refunds", Kind.MONEY),
        new Column("net", Kind.MONEY), new Column("payments", Kind.INTEGER)), rows);
  }

  @Test
  void given_a_cover_then_it_is_the_first_sheet_with_typed_figures_equal_to_the_given_values() throws Exception {
    Path file = dir.resolve("monthly.xlsx");
    Cover cover = new Cover("Monthly revenue", "2026-10", Instant.parse("2026-11-01T04:30:15Z"), List.of(
        new CoverFigure("Net revenue", new BigDecimal("1234567.85"), Kind.MONEY, "EUR"),
        new CoverFigure("Payments", 30375L, Kind.INTEGER, null),
        new CoverFigure("Best facility", "Harbour", Kind.TEXT, null)));

    XlsxReportWriter.write(cover, List.of(new Sheet("Revenue", daily(), "currency", List.of())), file);

    try (XSSFWorkbook wb = open(file)) {
      assertThat(List.of(wb.getSheetName(0), wb.getSheetName(1))).containsExactly("Cover", "Revenue");
      XSSFSheet sheet = wb.getSheet("Cover");
      assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("Monthly revenue");
      assertThat(sheet.getRow(1).getCell(1).getStringCellValue()).isEqualTo("2026-10");
      XSSFCell generated = sheet.getRow(2).getCell(1);
      assertThat(generated.getLocalDateTimeCellValue()).isEqualTo(LocalDateTime.of(2026, 11, 1, 4, 30, 15));
      assertThat(generated.getCellStyle().getDataFormatString()).isEqualTo("yyyy-mm-dd hh:mm:ss");
      XSSFCell net = sheet.getRow(5).getCell(1);
      assertThat(sheet.getRow(5).getCell(0).getStringCellValue()).isEqualTo("Net revenue");
      assertThat(net.getCellType()).isEqualTo(CellType.NUMERIC);
      assertThat(BigDecimal.valueOf(net.getNumericCellValue()).setScale(2)).isEqualTo(new BigDecimal("1234567.85"));
      assertThat(net.getCellStyle().getDataFormatString()).isEqualTo("#,##0.00 \"EUR\"");
      XSSFCell payments = sheet.getRow(6).getCell(1);
      assertThat(payments.getNumericCellValue()).isEqualTo(30375.0);
      assertThat(payments.getCellStyle().getDataFormatString()).isEqualTo("#,##0");
      assertThat(sheet.getRow(7).getCell(1).getStringCellValue()).isEqualTo("Harbour");
    }
  }

  @Test
  void given_bar_line_and_pie_charts_then_each_references_its_columns_with_the_right_number_of_series()
      throws Exception {
    Path file = dir.resolve("charts.xlsx");
    XlsxReportWriter.write(null, List.of(new Sheet("Revenue", daily(), null, List.of(
        new BarChart("Net by day", "local_date", "net", "Net (EUR)"),
        new LineChart("Gross and refunds", "local_date", List.of("gross", "refunds"), "EUR"),
        new PieChart("Payments by day", "local_date", "payments")))), file);

    try (XSSFWorkbook wb = open(file)) {
      List<XSSFChart> charts = wb.getSheet("Revenue").getDrawingPatriarch().getCharts();
      assertThat(charts).hasSize(3);
      XDDFChartData bar = charts.get(0).getChartSeries().get(0);
      XDDFChartData line = charts.get(1).getChartSeries().get(0);
      XDDFChartData pie = charts.get(2).getChartSeries().get(0);
      assertThat(bar).isInstanceOf(XDDFBarChartData.class);
      assertThat(line).isInstanceOf(XDDFLineChartData.class);
      assertThat(pie).isInstanceOf(XDDFPieChartData.class);
      assertThat(bar.getSeriesCount()).isEqualTo(1);
      assertThat(line.getSeriesCount()).isEqualTo(2);
      assertThat(pie.getSeriesCount()).isEqualTo(1);
      assertThat(bar.getSeries(0).getValuesData().getDataRangeReference()).isEqualTo("Revenue!$F$2:$F$11");
      assertThat(line.getSeries(0).getCategoryData().getDataRangeReference()).isEqualTo("Revenue!$C$2:$C$11");
      assertThat(line.getSeries(0).getValuesData().getDataRangeReference()).isEqualTo("Revenue!$D$2:$D$11");
      assertThat(line.getSeries(1).getValuesData().getDataRangeReference()).isEqualTo("Revenue!$E$2:$E$11");
      assertThat(pie.getSeries(0).getValuesData().getDataRangeReference()).isEqualTo("Revenue!$G$2:$G$11");
      assertThat(charts.get(1).getTitleText().getString()).isEqualTo("Gross and refunds");
    }
  }

  @Test
  void given_the_original_sheet_spec_api_then_the_layout_is_unchanged_without_a_cover() throws Exception {
    Path file = dir.resolve("daily.xlsx");
    XlsxReportWriter.write(List.of(new SheetSpec("Revenue by facility", daily(), "currency",
        new BarChart("Net by day", "local_date", "net", "Net (EUR)"))), file);

    try (XSSFWorkbook wb = open(file)) {
      assertThat(wb.getNumberOfSheets()).isEqualTo(1);
      XSSFSheet sheet = wb.getSheet("Revenue by facility");
      assertThat(sheet.getRow(11).getCell(0).getStringCellValue()).isEqualTo("Total EUR");
      assertThat(sheet.getRow(11).getCell(5).getCellFormula()).isEqualTo("SUMIFS($F$2:$F$11,$B$2:$B$11,\"EUR\")");
      assertThat(BigDecimal.valueOf(sheet.getRow(11).getCell(5).getNumericCellValue()).setScale(2))
          .isEqualTo(daily().rows().stream().map(r -> (BigDecimal) r[5]).reduce(BigDecimal.ZERO, BigDecimal::add));
      assertThat(sheet.getDrawingPatriarch().getCharts()).hasSize(1);
    }
  }

  private static XSSFWorkbook open(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return new XSSFWorkbook(in);
    }
  }
}
