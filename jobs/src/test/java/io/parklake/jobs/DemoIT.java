package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.reports.daily.RevenueDailyReport;
import io.parklake.reports.delivery.S3ReportStore;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parklake demo} on embedded services, end to end, then the workbook it leaves checked against the mart. */
class DemoIT {
  @TempDir static Path home;
  private static CliRun demo;
  private static LocalDate lastDay;

  @BeforeAll
  static void runDemo() {
    demo = CliRun.run(Map.of("PARKLAKE_HOME", home.toString()), "demo", "--days", "2", "--bookings", "2500");
    lastDay = LocalDate.now(ZoneOffset.UTC).minusDays(1);
  }

  @Test
  void demo_exits_zero_and_says_where_lake_reports_and_bucket_are() {
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("lake:     " + home.resolve("lake"), "reports:  " + home.resolve("reports"),
        "s3://parklake-reports/");
    assertThat(demo.err()).contains("seed: 2,500 / 2,500 bookings (100%)");
  }

  @Test
  void the_workbook_opens_and_its_totals_equal_the_mart() throws Exception {
    Path xlsx = home.resolve("reports").resolve(lastDay.toString()).resolve("revenue_daily.xlsx");
    Map<String, BigDecimal[]> martTotals = new HashMap<>();
    int martRows = 0;
    for (Row r : SparkSession.active().read().format("delta").load(home.resolve("lake/gold/revenue_daily").toString())
        .where("local_date = DATE'" + lastDay + "'").collectAsList()) {
      martRows++;
      BigDecimal[] t = martTotals.computeIfAbsent(r.getAs("currency"),
          k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
      t[0] = t[0].add(r.getAs("gross"));
      t[1] = t[1].add(r.getAs("refunds"));
      t[2] = t[2].add(r.getAs("net"));
      t[3] = t[3].add(BigDecimal.valueOf(r.<Long>getAs("payments")));
    }
    assertThat(martTotals).hasSizeGreaterThanOrEqualTo(2);

    try (InputStream in = Files.newInputStream(xlsx);
        XSSFWorkbook wb = new XSSFWorkbook(in)) {
      XSSFSheet sheet = wb.getSheet(RevenueDailyReport.SHEET);
      assertThat(sheet).isNotNull();
      List<String> header = List.of("facility_name", "city", "currency", "local_date", "gross", "refunds", "net", "payments");
      for (int c = 0; c < header.size(); c++) {
        assertThat(sheet.getRow(0).getCell(c).getStringCellValue()).isEqualTo(header.get(c));
      }
      // Data rows: typed cells (a real date, numbers), one per facility of the mart.
      XSSFRow first = sheet.getRow(1);
      assertThat(first.getCell(3).getCellType()).isEqualTo(CellType.NUMERIC);
      assertThat(DateUtil.isCellDateFormatted(first.getCell(3))).isTrue();
      assertThat(first.getCell(3).getLocalDateTimeCellValue().toLocalDate()).isEqualTo(lastDay);
      assertThat(first.getCell(4).getCellStyle().getDataFormatString()).isEqualTo("#,##0.00");

      int totals = 0;
      for (int r = 1; r <= sheet.getLastRowNum(); r++) {
        XSSFRow row = sheet.getRow(r);
        String label = row.getCell(0).getStringCellValue();
        if (!label.startsWith("Total ")) {
          continue;
        }
        totals++;
        BigDecimal[] expected = martTotals.get(row.getCell(2).getStringCellValue());
        assertThat(row.getCell(4).getCellType()).isEqualTo(CellType.FORMULA);
        for (int k = 0; k < 4; k++) {
          BigDecimal cell = BigDecimal.valueOf(row.getCell(4 + k).getNumericCellValue()).setScale(2, java.math.RoundingMode.HALF_EVEN);
          assertThat(cell).as(label + " column " + header.get(4 + k)).isEqualByComparingTo(expected[k]);
        }
      }
      assertThat(totals).isEqualTo(martTotals.size());
      assertThat(sheet.getLastRowNum()).isEqualTo(martRows + totals);

      XSSFDrawing drawing = sheet.getDrawingPatriarch();
      List<XSSFChart> charts = drawing.getCharts();
      assertThat(charts).hasSize(1);
      var series = charts.get(0).getChartSeries().get(0);
      assertThat(charts.get(0).getChartSeries().get(0).getSeriesCount()).isEqualTo(1);
      assertThat(series.getSeries(0).getValuesData().getDataRangeReference())
          .isEqualTo("'" + RevenueDailyReport.SHEET + "'!$G$2:$G$" + (martRows + 1));
      assertThat(series.getSeries(0).getCategoryData().getDataRangeReference())
          .isEqualTo("'" + RevenueDailyReport.SHEET + "'!$A$2:$A$" + (martRows + 1));
    }
  }

  @Test
  void the_reports_were_delivered_to_the_bucket_byte_for_byte() throws Exception {
    Path local = home.resolve("reports").resolve(lastDay.toString());
    Path bucket = home.resolve("s3/parklake-reports").resolve(lastDay.toString());
    for (String f : List.of("revenue_daily.xlsx", "revenue_daily.csv")) {
      assertThat(S3ReportStore.sha256(bucket.resolve(f))).isEqualTo(S3ReportStore.sha256(local.resolve(f)));
    }
  }
}
