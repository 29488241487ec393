package io.parklake.reports.daily;

import io.parklake.reports.csv.CsvWriter;
import io.parklake.reports.excel.XlsxReportWriter;
import io.parklake.reports.excel.XlsxReportWriter.BarChart;
import io.parklake.reports.excel.XlsxReportWriter.SheetSpec;
import io.parklake.reports.table.ReportTable;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The daily revenue report: {@code revenue_daily} for one local day as an xlsx (table, totals per
 * currency, native bar chart of net revenue by facility) and a CSV, in {@code <reportsDir>/<date>/}.
 */
public final class RevenueDailyReport {
  public static final String MART = "revenue_daily";
  public static final String SHEET = "Revenue by facility";

  private RevenueDailyReport() {}

  /** Renders the report for {@code day}; returns the files written. */
  public static List<Path> render(SparkSession spark, LakeLayout lake, LocalDate day, Path reportsDir) throws IOException {
    ReportTable table = ReportTable.fromDataset(
        DeltaTables.read(spark, lake.gold(MART))
            .where(functions.col("local_date").equalTo(functions.lit(day)))
            .select("facility_name", "city", "currency", "local_date", "gross", "refunds", "net", "payments")
            .orderBy("currency", "facility_name"));
    Path dir = Files.createDirectories(reportsDir.resolve(day.toString()));
    Path xlsx = dir.resolve(MART + ".xlsx");
    Path csv = dir.resolve(MART + ".csv");
    XlsxReportWriter.write(
        List.of(new SheetSpec(SHEET, table, "currency",
            new BarChart("Net revenue by facility, " + day, "facility_name", "net", "Net revenue (local currency)"))),
        xlsx);
    Path csvTmp = dir.resolve(MART + ".csv.tmp");
    CsvWriter.write(table, csvTmp);
    Files.move(csvTmp, csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return List.of(xlsx, csv);
  }
}
