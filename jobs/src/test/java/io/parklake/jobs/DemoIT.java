package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.reports.delivery.ReportPeriodWriter;
import io.parklake.reports.delivery.S3ReportStore;
import io.parklake.reports.testing.HeadlessChromium;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parklake demo} on embedded services end to end, then every report it leaves opened and
 * checked against the gold marts: workbooks with POI (sheets, cover figures, totals, typed cells,
 * native charts and their ranges), manifests against the files, the bucket against the folder, and
 * the HTML site in headless Chromium.
 */
class DemoIT {
  @TempDir static Path home;
  private static CliRun demo;
  private static LocalDate lastDay;

  @BeforeAll
  static void runDemo() {
    demo = CliRun.run(Map.of("PARKLAKE_HOME", home.toString()), "demo", "--days", "14", "--bookings", "3000");
    lastDay = LocalDate.now(ZoneOffset.UTC).minusDays(1);
  }

  @Test
  void demo_exits_zero_and_ends_with_the_path_of_the_report_index() {
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("lake:     " + home.resolve("lake"), "reports:  " + home.resolve("reports"),
        "s3://parklake-reports/");
    List<String> lines = demo.out().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines.get(lines.size() - 1)).endsWith(home.resolve("reports").resolve("index.html").toString());
    assertThat(home.resolve("reports/index.html")).isRegularFile();
  }

  @Test
  void the_daily_operations_workbook_cover_and_totals_equal_the_marts() throws Exception {
    Dataset<Row> day = gold("revenue_daily").where("local_date = DATE'" + lastDay + "'");
    Map<String, BigDecimal[]> mart = totalsByCurrency(day);
    assertThat(mart).hasSizeGreaterThanOrEqualTo(2);
    try (XSSFWorkbook wb = workbook("daily_operations", lastDay.toString())) {
      assertThat(sheetNames(wb)).containsExactly("Cover", "Revenue", "Occupancy", "Violations", "Anomalies");
      Map<String, Object> cover = cover(wb);
      mart.forEach((currency, t) -> assertThat(money(cover.get("Net revenue (" + currency + ")"))).isEqualByComparingTo(t[2]));
      assertThat(cover.get("Payments")).isEqualTo((double) mart.values().stream().mapToLong(t -> t[3].longValue()).sum());
      assertThat(cover.get("Violations issued")).isEqualTo((double) gold("violations_daily")
          .where("local_date = DATE'" + lastDay + "'").selectExpr("coalesce(sum(issued), 0)").first().getLong(0));

      XSSFSheet revenue = wb.getSheet("Revenue");
      List<String> header = List.of("facility_name", "city", "currency", "gross", "refunds", "net", "payments", "average_ticket");
      for (int c = 0; c < header.size(); c++) {
        assertThat(revenue.getRow(0).getCell(c).getStringCellValue()).isEqualTo(header.get(c));
      }
      assertThat(revenue.getRow(1).getCell(3).getCellType()).isEqualTo(CellType.NUMERIC);
      assertThat(revenue.getRow(1).getCell(3).getCellStyle().getDataFormatString()).contains("#,##0.00");
      assertThat(revenue.getRow(1).getCell(6).getCellStyle().getDataFormatString()).doesNotContain(".00");
      int rows = (int) day.count();
      assertTotals(revenue, 2, Map.of(3, 0, 4, 1, 5, 2, 6, 3), mart);
      XSSFChart chart = onlyChart(revenue);
      var series = chart.getChartSeries().get(0);
      assertThat(series.getSeriesCount()).isEqualTo(1);
      assertThat(series.getSeries(0).getValuesData().getDataRangeReference().replace("'", "")).isEqualTo("Revenue!$F$2:$F$" + (rows + 1));
      assertThat(series.getSeries(0).getCategoryData().getDataRangeReference().replace("'", "")).isEqualTo("Revenue!$A$2:$A$" + (rows + 1));

      XSSFSheet occupancy = wb.getSheet("Occupancy");
      assertThat(occupancy.getRow(1).getCell(3).getCellStyle().getDataFormatString()).contains("%");
    }
  }

  @Test
  void the_weekly_revenue_workbook_sums_the_iso_week_and_charts_one_line_per_facility() throws Exception {
    LocalDate monday = lastDay.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    String label = String.format("%d-W%02d", monday.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
        monday.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    Map<String, BigDecimal[]> mart = totalsByCurrency(gold("revenue_weekly").where("week_start = DATE'" + monday + "'"));
    try (XSSFWorkbook wb = workbook("weekly_revenue", label)) {
      assertThat(sheetNames(wb)).containsExactly("Cover", "Revenue", "Daily", "Daily chart");
      Map<String, Object> cover = cover(wb);
      mart.forEach((currency, t) -> assertThat(money(cover.get("Net revenue (" + currency + ")"))).isEqualByComparingTo(t[2]));
      assertTotals(wb.getSheet("Revenue"), 2, Map.of(3, 0, 4, 1, 5, 2, 6, 3), mart);
      XSSFSheet pivot = wb.getSheet("Daily chart");
      long facilities = gold("revenue_daily").where("local_date BETWEEN DATE'" + monday + "' AND DATE'" + lastDay + "'")
          .select("facility_name").distinct().count();
      XSSFChart line = onlyChart(pivot);
      assertThat(line.getChartSeries().get(0).getSeriesCount()).isEqualTo((int) facilities);
      assertThat(pivot.getRow(0).getLastCellNum()).isEqualTo((short) (facilities + 1));
      assertThat(DateUtil.isCellDateFormatted(pivot.getRow(1).getCell(0))).isTrue();
    }
  }

  @Test
  void the_monthly_executive_workbook_has_every_section_and_native_pie_and_line_charts() throws Exception {
    String month = lastDay.toString().substring(0, 7);
    try (XSSFWorkbook wb = workbook("monthly_executive", month)) {
      assertThat(sheetNames(wb)).contains("Cover", "Revenue", "Trend", "Trend chart", "Ranking", "Occupancy", "Occupancy chart",
          "Segments", "Payment methods", "Violations", "Forecast", "Forecast chart");
      Map<String, Object> cover = cover(wb);
      assertThat(cover.get("Customers")).isEqualTo((double) gold("customer_segments").count());
      Map<String, BigDecimal[]> mart = totalsByCurrency(gold("revenue_monthly").where("month_start = DATE'" + lastDay.withDayOfMonth(1) + "'"));
      mart.forEach((currency, t) -> assertThat(money(cover.get("Net revenue (" + currency + ")"))).isEqualByComparingTo(t[2]));
      XSSFChart pie = onlyChart(wb.getSheet("Segments"));
      assertThat(pie.getCTChart().getPlotArea().getPieChartList()).hasSize(1);
      assertThat(pie.getChartSeries().get(0).getSeries(0).getValuesData().getDataRangeReference().replace("'", "")).startsWith("Segments!$C$2:$C$");
      assertThat(onlyChart(wb.getSheet("Trend chart")).getCTChart().getPlotArea().getLineChartList()).hasSize(1);
    }
  }

  @Test
  void every_report_period_has_a_manifest_matching_its_files_and_the_bucket_holds_the_same_bytes() throws Exception {
    Path reports = home.resolve("reports");
    Path bucket = home.resolve("s3/parklake-reports");
    List<Path> periods = new ArrayList<>();
    try (Stream<Path> manifests = Files.walk(reports)) {
      manifests.filter(p -> p.getFileName().toString().equals(ReportPeriodWriter.MANIFEST)).forEach(p -> periods.add(p.getParent()));
    }
    assertThat(periods.stream().map(p -> reports.relativize(p).getName(0).toString()).distinct())
        .containsExactlyInAnyOrder("daily_operations", "weekly_revenue", "monthly_executive", "forecast_accuracy");
    for (Path period : periods) {
      ReportPeriodWriter.Manifest manifest = ReportPeriodWriter.readManifest(period);
      assertThat(manifest.files()).isNotEmpty();
      for (ReportPeriodWriter.FileEntry f : manifest.files()) {
        Path file = period.resolve(f.path());
        assertThat(Files.size(file)).as(f.path()).isEqualTo(f.bytes());
        assertThat(S3ReportStore.sha256(file)).as(f.path()).isEqualTo(f.sha256());
        Path copy = bucket.resolve(reports.relativize(file).toString());
        assertThat(S3ReportStore.sha256(copy)).as("bucket copy of " + f.path()).isEqualTo(f.sha256());
      }
    }
  }

  @Test
  void the_report_site_renders_in_headless_chromium_without_errors_or_missing_images() throws Exception {
    Path reports = home.resolve("reports");
    Path shots = Files.createDirectories(Path.of("target", "demo-screenshots"));
    try (HeadlessChromium chromium = HeadlessChromium.start()) {
      HeadlessChromium.PageCheck index = chromium.load(reports.resolve("index.html"));
      assertThat(index.errors()).isEmpty();
      List<String> links = new ArrayList<>();
      chromium.evaluate("Array.from(document.links).map(a => a.getAttribute('href'))").forEach(n -> links.add(n.asText()));
      assertThat(links).anyMatch(l -> l.startsWith("monthly_executive/")).anyMatch(l -> l.startsWith("daily_operations/"));
      Files.write(shots.resolve("index.png"), index.screenshot());
      for (String link : links) {
        HeadlessChromium.PageCheck page = chromium.load(reports.resolve(link));
        assertThat(page.errors()).as(link).isEmpty();
        assertThat(page.brokenImages()).as(link).isEmpty();
        assertThat(page.screenshot()).as(link).isNotEmpty();
        if (link.startsWith("monthly_executive/")) {
          assertThat(page.images()).as("charts on " + link).isGreaterThanOrEqualTo(5);
          Files.write(shots.resolve("monthly_executive.png"), page.screenshot());
        }
      }
    }
  }

  private static XSSFWorkbook workbook(String report, String period) throws Exception {
    Path xlsx = home.resolve("reports").resolve(report).resolve(period).resolve(report + ".xlsx");
    assertThat(xlsx).isRegularFile();
    return new XSSFWorkbook(Files.newInputStream(xlsx));
  }

  private static List<String> sheetNames(XSSFWorkbook wb) {
    List<String> names = new ArrayList<>();
    wb.forEach(s -> names.add(s.getSheetName()));
    return names;
  }

  /** The cover's figures: label → numeric value (or text). */
  private static Map<String, Object> cover(XSSFWorkbook wb) {
    XSSFSheet sheet = wb.getSheet("Cover");
    Map<String, Object> out = new LinkedHashMap<>();
    for (int r = 5; r <= sheet.getLastRowNum(); r++) {
      XSSFRow row = sheet.getRow(r);
      var cell = row.getCell(1);
      out.put(row.getCell(0).getStringCellValue(), cell.getCellType() == CellType.NUMERIC ? cell.getNumericCellValue()
          : cell.getStringCellValue());
    }
    return out;
  }

  private static BigDecimal money(Object cell) {
    assertThat(cell).isInstanceOf(Double.class);
    return BigDecimal.valueOf((Double) cell).setScale(2, RoundingMode.HALF_EVEN);
  }

  /** gross, refunds, net, payments per currency. */
  private static Map<String, BigDecimal[]> totalsByCurrency(Dataset<Row> rows) {
    Map<String, BigDecimal[]> out = new TreeMap<>();
    for (Row r : rows.collectAsList()) {
      BigDecimal[] t = out.computeIfAbsent(r.getAs("currency"),
          k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
      t[0] = t[0].add(r.getAs("gross"));
      t[1] = t[1].add(r.getAs("refunds"));
      t[2] = t[2].add(r.getAs("net"));
      t[3] = t[3].add(BigDecimal.valueOf(r.<Long>getAs("payments")));
    }
    return out;
  }

  /** Each "Total <currency>" row: column → index into the mart totals, as live formulas with cached values. */
  private static void assertTotals(XSSFSheet sheet, int currencyColumn, Map<Integer, Integer> columns, Map<String, BigDecimal[]> mart) {
    Map<String, Boolean> seen = new HashMap<>();
    for (int r = 1; r <= sheet.getLastRowNum(); r++) {
      XSSFRow row = sheet.getRow(r);
      if (row == null || row.getCell(0) == null || row.getCell(0).getCellType() != CellType.STRING
          || !row.getCell(0).getStringCellValue().startsWith("Total ")) {
        continue;
      }
      String currency = row.getCell(currencyColumn).getStringCellValue();
      BigDecimal[] expected = mart.get(currency);
      assertThat(expected).as("currency " + currency).isNotNull();
      columns.forEach((col, k) -> {
        assertThat(row.getCell(col).getCellType()).isEqualTo(CellType.FORMULA);
        BigDecimal cell = BigDecimal.valueOf(row.getCell(col).getNumericCellValue()).setScale(2, RoundingMode.HALF_EVEN);
        assertThat(cell).as(sheet.getSheetName() + " total " + currency + " column " + col).isEqualByComparingTo(expected[k]);
      });
      seen.put(currency, true);
    }
    assertThat(seen.keySet()).isEqualTo(mart.keySet());
  }

  private static XSSFChart onlyChart(XSSFSheet sheet) {
    assertThat(sheet.getDrawingPatriarch()).as("drawing of " + sheet.getSheetName()).isNotNull();
    List<XSSFChart> charts = sheet.getDrawingPatriarch().getCharts();
    assertThat(charts).as("charts on " + sheet.getSheetName()).hasSize(1);
    return charts.get(0);
  }

  private static Dataset<Row> gold(String mart) {
    return SparkSession.active().read().format("delta").load(home.resolve("lake/gold").resolve(mart).toString());
  }
}
