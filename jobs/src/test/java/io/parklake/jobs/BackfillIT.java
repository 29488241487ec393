package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.jobs.batch.BatchContext;
import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.extract.FaultInjector;
import io.parklake.reports.delivery.ReportPeriodWriter;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SyntheticSource;
import io.parklake.warehouse.testing.TestPostgres;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A backfill is one run over the range, and leaves what one nightly per date leaves. On one seeded
 * source, copied into a database per home (which is also that home's metadata database), and a range
 * D1..D3 that holds a month's end (2026-10-31: the monthly report, which reads the customer and
 * forecast marts as of that date) and an ISO week's end (2026-11-01):
 * <ul>
 *   <li>three single nightlies D1..D3 in one home, and one nightly over D1..D3 in another whose
 *       forecast_accuracy report fails on 2026-10-31: that report fails alone, every other report of
 *       every date renders, the run is exactly one job execution and ends FAILED naming the report
 *       and its date, and its gold marts equal the singles' row for row;
 *   <li>{@code ./parklake restart} of that execution renders only the failed report (from the marts as
 *       of its date), and then both homes hold the same reports: the same files for every period,
 *       equal CSV files and workbook cells, all but the generated-at time.
 * </ul>
 * One home carries both the range and its containment case: each first run loads the whole source,
 * and a third home would double what this test adds to the suite. Publishing is off in both homes
 * (it is not what is compared).
 */
class BackfillIT {
  private static final LocalDate START = LocalDate.of(2026, 9, 27);
  private static final LocalDate D1 = LocalDate.of(2026, 10, 31);
  private static final LocalDate D3 = LocalDate.of(2026, 11, 2);
  /** A month's last day inside the range (its first date), before its last date. */
  private static final LocalDate MONTH_END = LocalDate.of(2026, 10, 31);

  @TempDir Path singles;
  @TempDir Path range;

  @Test
  void a_range_is_one_run_leaving_the_marts_and_reports_of_one_nightly_per_date_and_a_report_failing_on_one_date_fails_alone()
      throws Exception {
    DatabaseAddress template = TestPostgres.freshDatabase("backfill_source");
    SourceSchema.migrate(template);
    // Over 29 days of history before D1, so that every date's demand backtest has its four origins.
    new SyntheticSource(new SeedOptions(900, 5, 37, START)).writeTo(template, n -> {});

    DatabaseAddress one = TestPostgres.copyOf(template, "backfill_singles");
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(settings(singles, one));
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      JobRunner runner = new JobRunner(ctx);
      for (LocalDate d = D1; !d.isAfter(D3); d = d.plusDays(1)) {
        JobExecution e = runner.run("nightly", d);
        assertThat(e.getStatus()).as(d + ": " + JobRunner.failure(e)).isEqualTo(BatchStatus.COMPLETED);
      }
    }
    Map<String, String> expected = reports(singles);
    assertThat(expected.keySet()).containsExactly("daily_operations/2026-10-31", "daily_operations/2026-11-01",
        "daily_operations/2026-11-02", "forecast_accuracy/2026-10-31", "forecast_accuracy/2026-11-01",
        "forecast_accuracy/2026-11-02", "monthly_executive/2026-10", "weekly_revenue/2026-W44");
    assertThat(column(singles.resolve("reports/forecast_accuracy/2026-10-31/backtest.csv"), "as_of"))
        .as("a nightly's backtest is as of its own date: the comparison below sees the as-of date").containsExactly("2026-10-31");

    DatabaseAddress all = TestPostgres.copyOf(template, "backfill_range");
    CliRun plan = CliRun.run(env(range, all), "run", "nightly", "--from", D1.toString(), "--to", D3.toString(), "--dry-run");
    assertThat(plan.exitCode()).isZero();
    assertThat(plan.out()).contains("would run nightly once (one job execution) for 2026-10-31..2026-11-02 (3 dates), as of 2026-11-02",
        "hard-delete scan of business dates 2026-09-26..2026-11-02",
        "8 report(s): daily_operations x3 (2026-10-31..2026-11-02), forecast_accuracy x3 (2026-10-31..2026-11-02), "
            + "monthly_executive 2026-10, weekly_revenue 2026-W44",
        "customer_value (1 date), customer_segments (1 date), forecast_accuracy (2 dates), demand_forecast (1 date)");

    String point = "report:forecast_accuracy:" + MONTH_END;
    FaultInjector faults = p -> {
      if (p.equals(point)) {
        throw new IllegalStateException("injected fault at " + p);
      }
    };
    JobExecution failed;
    Map<String, String> rendered;
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(settings(range, all), faults);
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      failed = new JobRunner(ctx).run("nightly", D1, D3);
    }
    assertThat(executions(all)).as("job executions of the range").containsExactly("nightly " + failed.getId());
    assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(JobRunner.failure(failed)).isEqualTo("1 report(s) not rendered: forecast_accuracy " + MONTH_END
        + " (IllegalStateException: injected fault at " + point + ")");
    for (StepExecution s : failed.getStepExecutions()) {
      assertThat(s.getStatus()).as(s.getStepName()).isEqualTo(s.getStepName().equals("nightly.verdict") ? BatchStatus.FAILED
          : BatchStatus.COMPLETED);
    }
    assertThat(GoldTables.rows(range)).isEqualTo(GoldTables.rows(singles));
    Map<String, String> beforeRestart = reports(range);
    assertThat(beforeRestart.keySet()).hasSize(7).doesNotContain("forecast_accuracy/" + MONTH_END);
    beforeRestart.forEach((period, content) -> assertThat(content).as(period).isEqualTo(expected.get(period)));
    rendered = generatedAt(range);

    CliRun restart = CliRun.run(env(range, all), "restart", String.valueOf(failed.getId()), "--json");
    assertThat(restart.exitCode()).as(restart.err()).isZero();
    assertThat(restart.out().lines().toList()).as("one JSON object").hasSize(1);
    JsonNode outcome = new ObjectMapper().readTree(restart.out());
    assertThat(outcome.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(outcome.get("from").asText() + ".." + outcome.get("to").asText()).isEqualTo(D1 + ".." + D3);
    JsonNode reportStep = null;
    for (JsonNode step : outcome.get("steps")) {
      if (step.get("step").asText().equals("nightly.report")) {
        reportStep = step;
      }
    }
    assertThat(reportStep).isNotNull();
    assertThat(reportStep.get("summary").asText()).as("the restart renders only the failed report").isEqualTo("forecast_accuracy " + MONTH_END);
    assertThat(executions(all)).hasSize(2);
    Map<String, String> after = generatedAt(range);
    rendered.forEach((period, at) -> assertThat(after.get(period)).as(period + " is not rendered again").isEqualTo(at));

    Map<String, String> actual = reports(range);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((period, content) -> assertThat(actual.get(period)).as(period).isEqualTo(content));
    assertThat(range.resolve("lake").resolve("_as_of")).as("no as-of marts left behind").doesNotExist();
  }

  private static ParkLakeSettings settings(Path home, DatabaseAddress db) {
    return ParkLakeSettings.fromEnvironment(env(home, db));
  }

  private static Map<String, String> env(Path home, DatabaseAddress db) {
    return Map.of("PARKLAKE_HOME", home.toString(), "PARKLAKE_SOURCE_URL", db.url(), "PARKLAKE_SOURCE_USER", db.user(),
        "PARKLAKE_SOURCE_PASSWORD", db.password(), "PARKLAKE_MART_SCHEMA", "none");
  }

  /** {@code <job> <execution id>} of every job execution in the home's job repository. */
  private static List<String> executions(DatabaseAddress meta) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = meta.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT i.job_name, e.job_execution_id FROM parklake.batch_job_execution e "
            + "JOIN parklake.batch_job_instance i ON i.job_instance_id = e.job_instance_id ORDER BY 2")) {
      while (r.next()) {
        out.add(r.getString(1) + " " + r.getLong(2));
      }
    }
    return out;
  }

  /** The distinct values of one column of a report's CSV file. */
  private static List<String> column(Path csv, String name) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    int i = List.of(lines.get(0).split(",")).indexOf(name);
    assertThat(i).as(name + " in " + csv).isNotNegative();
    assertThat(lines).as(csv.toString()).hasSizeGreaterThan(1);
    return lines.subList(1, lines.size()).stream().map(l -> l.split(",")[i]).distinct().toList();
  }

  /** {@code <report>/<period>} → the generated-at time of its manifest, for every rendered period. */
  private static Map<String, String> generatedAt(Path home) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (Path period : periods(home.resolve("reports"))) {
      out.put(home.resolve("reports").relativize(period).toString(), ReportPeriodWriter.readManifest(period).generatedAt().toString());
    }
    return out;
  }

  /**
   * {@code <report>/<period>} → what a reader sees in it, the generated-at time left out: the files
   * the manifest lists, each CSV file's text, and every workbook cell (type, value; formulas with
   * their cached value).
   */
  private static Map<String, String> reports(Path home) throws Exception {
    Path root = home.resolve("reports");
    Map<String, String> out = new TreeMap<>();
    for (Path period : periods(root)) {
      StringBuilder text = new StringBuilder();
      List<String> files = ReportPeriodWriter.readManifest(period).files().stream().map(ReportPeriodWriter.FileEntry::path).sorted().toList();
      text.append("files ").append(files).append('\n');
      for (String f : files) {
        if (f.endsWith(".csv")) {
          text.append("== ").append(f).append('\n').append(Files.readString(period.resolve(f)));
        } else if (f.endsWith(".xlsx")) {
          text.append("== ").append(f).append('\n').append(cells(period.resolve(f)));
        }
      }
      out.put(root.relativize(period).toString(), text.toString());
    }
    return out;
  }

  private static List<Path> periods(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.getFileName().toString().equals(ReportPeriodWriter.MANIFEST)).map(Path::getParent).sorted().toList();
    }
  }

  private static String cells(Path xlsx) throws Exception {
    StringBuilder out = new StringBuilder();
    try (InputStream in = Files.newInputStream(xlsx); XSSFWorkbook wb = new XSSFWorkbook(in)) {
      for (Sheet sheet : wb) {
        out.append("sheet ").append(sheet.getSheetName()).append('\n');
        for (Row row : sheet) {
          Cell first = row.getCell(0);
          if (sheet.getSheetName().equals("Cover") && first != null && first.getCellType() == CellType.STRING
              && first.getStringCellValue().startsWith("Generated")) {
            continue;
          }
          for (Cell cell : row) {
            out.append(cell.getAddress()).append('=').append(value(cell)).append(' ');
          }
          out.append('\n');
        }
      }
    }
    return out.toString();
  }

  private static String value(Cell cell) {
    return switch (cell.getCellType()) {
      case NUMERIC -> "n:" + cell.getNumericCellValue();
      case STRING -> "s:" + cell.getStringCellValue();
      case BOOLEAN -> "b:" + cell.getBooleanCellValue();
      case FORMULA -> "f:" + cell.getCellFormula() + "->" + switch (cell.getCachedFormulaResultType()) {
        case NUMERIC -> String.valueOf(cell.getNumericCellValue());
        case STRING -> cell.getStringCellValue();
        case BOOLEAN -> String.valueOf(cell.getBooleanCellValue());
        default -> "";
      };
      default -> "";
    };
  }
}
