package io.parklake.pipelines.archive;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.types.StructType;

/**
 * One table's due rows, staged once on local disk by a few Spark jobs over the whole table (not a
 * scan of silver and bronze per month): per month a folder of current rows (Parquet), their versions
 * from bronze (Parquet), the current rows as CSV, and their index rows, with each month's counts,
 * money sums and key range. {@link Archiver#write} turns one month of it into a unit.
 */
public record ArchiveStage(Path dir, StructType currentSchema, Map<YearMonth, MonthStats> months) {
  /** The column the staged folders are partitioned by ({@code archive_month=yyyy-MM}). */
  static final String MONTH = "archive_month";
  static final List<String> KINDS = List.of("current", "versions", "csv", "index");

  /** One staged month: its current rows, versions, money sums of the current rows and key range. */
  public record MonthStats(long rows, long versions, Map<String, BigDecimal> money, String keyMin, String keyMax) {}

  /** The one file Spark wrote for {@code kind} ({@link #KINDS}) of {@code month}. */
  Path file(String kind, YearMonth month) throws IOException {
    Path folder = dir.resolve(kind).resolve(MONTH + "=" + month);
    List<Path> parts;
    try (Stream<Path> files = Files.list(folder)) {
      parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
    }
    if (parts.size() != 1) {
      throw new IOException("staging wrote " + parts.size() + " file(s) for " + kind + " of " + month + " under " + folder
          + ", expected one");
    }
    return parts.get(0);
  }

  /** Rows per due month, oldest first. */
  public Map<YearMonth, Long> rowsByMonth() {
    Map<YearMonth, Long> out = new java.util.TreeMap<>();
    months.forEach((m, s) -> out.put(m, s.rows()));
    return out;
  }
}
