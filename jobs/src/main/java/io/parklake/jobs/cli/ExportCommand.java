package io.parklake.jobs.cli;

import io.parklake.jobs.config.UserError;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.reports.csv.CsvWriter;
import io.parklake.warehouse.lake.DeltaTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parklake export}: writes the current snapshot of a lake table to one file. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write the current snapshot of a lake table to one CSV or Parquet file.",
      "Names: a mart (revenue_daily) or layer.table (silver.payments, bronze.bookings, gold.revenue_daily).",
      "In CSV an array column (quarantine's _rules) is a JSON array, a map or struct a JSON object, in one quoted field."
    })
public class ExportCommand implements Callable<Integer> {
  enum Format { csv, parquet }

  private final CliEnvironment cli;

  @Parameters(index = "0", paramLabel = "<table>", description = "mart or layer.table")
  String table;

  @Option(names = "--format", defaultValue = "csv", description = "csv or parquet (default ${DEFAULT-VALUE})")
  Format format;

  @Option(names = "--out", required = true, description = "file to write (replaced atomically)")
  Path out;

  public ExportCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
      String path;
      try {
        path = rt.lake().resolve(table);
      } catch (IllegalArgumentException e) {
        throw new UserError("<table>", e.getMessage());
      }
      if (!DeltaTables.exists(rt.spark(), path)) {
        throw new UserError("<table>", "no lake table '" + table + "' at " + path + " (has the job that writes it run?)");
      }
      Dataset<Row> rows = DeltaTables.read(rt.spark(), path);
      Path target = out.toAbsolutePath();
      Files.createDirectories(target.getParent());
      long n = switch (format) {
        case csv -> writeCsv(rows, target);
        case parquet -> writeParquet(rows, target);
      };
      cli.out().println("exported " + n + " rows of " + table + " to " + target);
      return 0;
    }
  }

  private static long writeCsv(Dataset<Row> rows, Path target) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    long n = CsvWriter.write(rows, tmp);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return n;
  }

  private static long writeParquet(Dataset<Row> rows, Path target) throws IOException {
    Path dir = target.resolveSibling(target.getFileName() + ".parts");
    rows.coalesce(1).write().mode("overwrite").parquet(dir.toString());
    try (Stream<Path> files = Files.list(dir)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst()
          .orElseThrow(() -> new IOException("Spark wrote no parquet file under " + dir));
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    return rows.sparkSession().read().parquet(target.toString()).count();
  }
}
