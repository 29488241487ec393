package io.parklake.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.jobs.batch.BatchContext;
import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.extract.FaultInjector;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.Marts;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SyntheticSource;
import io.parklake.warehouse.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import io.parklake.reports.catalog.Period;
import io.parklake.reports.catalog.Report;
import io.parklake.reports.catalog.ReportRenderer;
import io.parklake.reports.catalog.ReportSource;
import io.parklake.reports.catalog.Reports;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A nightly that survives real data, on one small lake whose facilities include the zones at both
 * ends of the clock (UTC−12 and UTC+14) and whose data spans the European DST change:
 * <ul>
 *   <li>any as-of date works: a nightly for a date two months before the first booking (a month's
 *       end, so the monthly reports render too) completes with zero revenue and no forecast, and
 *       every report renders for periods before the data, on the first day and across DST;
 *   <li>one failing mart fails alone: a fault injected into {@code forecast_accuracy} on the first
 *       day's nightly fails that mart and skips the one that reads it ({@code demand_forecast}) and
 *       the report that shows it, while every other mart, the publish step and the other reports
 *       complete; the run ends FAILED naming each, a restart redoes exactly those, and the lake then
 *       equals a clean rebuild;
 *   <li>a failure in an hourly is repaired by the next run (not a restart) through the owed-work table.
 * </ul>
 */
class NightlyResilienceIT {
  private static final LocalDate START = LocalDate.of(2026, 10, 22);
  /** The first seeded day; the European DST change is 2026-10-25. */
  private static final LocalDate DAY = START;
  private static final LocalDate BEFORE_DATA = LocalDate.of(2026, 8, 31);
  private static final String WEST = "Etc/GMT+12";
  private static final String EAST = "Pacific/Kiritimati";

  @TempDir Path home;

  @Test
  void any_date_works_and_a_failing_mart_fails_alone_is_named_and_is_redone_by_restart_and_by_the_next_run() throws Exception {
    DatabaseAddress source = TestPostgres.freshDatabase("resilience");
    SourceSchema.migrate(source);
    new SyntheticSource(new SeedOptions(700, 3, 6, START)).writeTo(source, n -> {});
    try (Connection c = source.open(); Statement s = c.createStatement()) {
      // Before the first extraction, so that business dates are computed in these zones throughout.
      s.execute("UPDATE facilities SET timezone = CASE WHEN id = (SELECT id FROM facilities ORDER BY id LIMIT 1) THEN '" + WEST
          + "' ELSE '" + EAST + "' END WHERE id IN (SELECT id FROM facilities ORDER BY id LIMIT 2)");
    }
    ParkLakeSettings settings = ParkLakeSettings.fromEnvironment(Map.of("PARKLAKE_HOME", home.toString(),
        "PARKLAKE_SOURCE_URL", source.url(), "PARKLAKE_SOURCE_USER", source.user(), "PARKLAKE_SOURCE_PASSWORD", source.password()));
    AtomicReference<String> failing = new AtomicReference<>("mart:forecast_accuracy");
    FaultInjector faults = point -> {
      if (point.equals(failing.get())) {
        throw new IllegalStateException("injected fault at " + point);
      }
    };
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(settings, faults);
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      JobRunner runner = new JobRunner(ctx);

      // 0. Two months before the first booking, on a month's last day: the first load, zero revenue, no forecast.
      failing.set(null);
      JobExecution before = runner.run("nightly", BEFORE_DATA);
      assertThat(before.getStatus()).as(JobRunner.failure(before)).isEqualTo(BatchStatus.COMPLETED);
      assertThat(spark().read().format("delta").load(home.resolve("lake/gold/revenue_daily").toString())
          .where("local_date = DATE'" + BEFORE_DATA + "'").selectExpr("count(*)", "count_if(gross <> 0)").first().toString())
          .isEqualTo("[" + facilities(source) + ",0]");
      assertThat(spark().read().format("delta").load(home.resolve("lake/gold/demand_forecast").toString()).count()).isZero();
      assertThat(home.resolve("reports/monthly_executive/2026-08/monthly_executive.xlsx")).isRegularFile();
      assertThat(revenueByLocalDay(source, WEST)).isNotEmpty().isEqualTo(martRevenueByLocalDay(source, WEST));
      assertThat(revenueByLocalDay(source, EAST)).isNotEmpty().isEqualTo(martRevenueByLocalDay(source, EAST));

      // 1. The first day's nightly with a failing mart.
      failing.set("mart:forecast_accuracy");
      JobExecution failed = runner.run("nightly", DAY);
      assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
      // Every step ran and completed; the verdict names what failed and what was skipped, in one line.
      assertThat(statuses(failed)).containsEntry("nightly.marts", BatchStatus.COMPLETED)
          .containsEntry("nightly.publish", BatchStatus.COMPLETED).containsEntry("nightly.report", BatchStatus.COMPLETED)
          .containsEntry("nightly.maintenance", BatchStatus.COMPLETED).containsEntry("nightly.verdict", BatchStatus.FAILED);
      assertThat(JobRunner.failure(failed)).isEqualTo(
          "1 mart(s) failed: forecast_accuracy (IllegalStateException: injected fault at mart:forecast_accuracy)"
              + "; 1 skipped: demand_forecast (needs forecast_accuracy: failed)"
              + "; 1 report(s) not rendered: forecast_accuracy " + DAY
              + " (skipped: reads forecast_accuracy, not refreshed by this run)");
      Set<String> others = Marts.all().stream().map(Mart::name)
          .filter(m -> !Set.of("forecast_accuracy", "demand_forecast").contains(m)).collect(Collectors.toSet());
      for (String m : others) {
        assertThat(home.resolve("lake/gold").resolve(m).resolve("_delta_log")).as(m).isDirectory();
      }
      assertThat(home.resolve("reports/daily_operations").resolve(DAY.toString()).resolve("daily_operations.xlsx")).isRegularFile();
      assertThat(home.resolve("reports/forecast_accuracy").resolve(DAY.toString())).doesNotExist();
      assertThat(owed(source)).containsOnlyKeys("forecast_accuracy", "demand_forecast");
      assertThat(owed(source).get("demand_forecast")).startsWith("skipped: needs forecast_accuracy");
      assertThat(published(source)).contains("revenue_daily", "customer_value", "forecast_accuracy");
      Map<String, Long> versions = versions(others);

      // 2. Restart: only the failed and skipped marts, and the report they blocked.
      failing.set(null);
      JobExecution restarted = runner.restart(failed.getId());
      assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(notes(restarted, "nightly.extract").keySet()).as("no table is extracted again").noneMatch(k -> k.startsWith("table."));
      assertThat(notes(restarted, "nightly.marts").keySet().stream().filter(k -> k.startsWith("mart.")))
          .containsExactlyInAnyOrder("mart.forecast_accuracy", "mart.demand_forecast");
      assertThat(notes(restarted, "nightly.report")).containsEntry("summary", "forecast_accuracy " + DAY);
      assertThat(versions(others)).as("marts the first attempt refreshed are not written again").isEqualTo(versions);
      assertThat(home.resolve("reports/forecast_accuracy").resolve(DAY.toString()).resolve("forecast_accuracy.xlsx")).isRegularFile();
      assertThat(owed(source)).isEmpty();
      assertThat(published(source)).contains("forecast_accuracy", "demand_forecast");

      // 3. Every mart equals a clean recomputation of everything.
      Map<String, String> afterRestart = gold();
      JobExecution rebuilt = runner.run("rebuild-marts", DAY);
      assertThat(rebuilt.getStatus()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(gold()).isEqualTo(afterRestart);

      // Every report renders for periods before the data, on the first day and across the DST change.
      ReportSource reports = new ReportSource(rt.spark(), rt.lake());
      for (LocalDate d : List.of(BEFORE_DATA.minusDays(1), DAY, LocalDate.of(2026, 10, 25))) {
        for (Report report : Reports.all()) {
          Period period = Period.of(report.periodKind(), d);
          ReportRenderer.Rendered r = ReportRenderer.render(report, period, reports, rt.reportsDir(), Instant.now(), rt.reportStore());
          assertThat(r.workbook()).as(report.name() + " " + period.label()).isRegularFile();
        }
      }

      // 4. An hourly whose revenue_daily fails owes it; the next hourly (a fresh run, which itself
      // extracts nothing new) pays from the owed-work table alone.
      String facility = addPayment(source, DAY.plusDays(3));
      failing.set("mart:revenue_daily");
      JobExecution hourly = runner.run("hourly", DAY.plusDays(3));
      assertThat(hourly.getStatus()).isEqualTo(BatchStatus.FAILED);
      assertThat(JobRunner.failure(hourly)).contains("revenue_daily (IllegalStateException: injected fault at mart:revenue_daily)");
      assertThat(owed(source)).containsOnlyKeys("revenue_daily");
      failing.set(null);
      JobExecution next = runner.run("hourly", DAY.plusDays(3));
      assertThat(next.getStatus()).as(JobRunner.failure(next)).isEqualTo(BatchStatus.COMPLETED);
      assertThat(notes(next, "hourly.marts")).containsKey("mart.revenue_daily");
      assertThat(owed(source)).isEmpty();
      BigDecimal mart = (BigDecimal) spark().read().format("delta").load(home.resolve("lake/gold/revenue_daily").toString())
          .where("local_date = DATE'" + DAY.plusDays(3) + "' AND facility_id = '" + facility + "'").first().getAs("gross");
      assertThat(mart).isEqualByComparingTo(grossInPostgres(source, facility, DAY.plusDays(3)))
          .isGreaterThanOrEqualTo(new BigDecimal("555.55"));
    }
  }

  private static long facilities(DatabaseAddress source) throws Exception {
    try (Connection c = source.open(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM facilities WHERE is_active")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Gross revenue per local day of the facilities in {@code zone}, by plain SQL on the source. */
  private static Map<String, String> revenueByLocalDay(DatabaseAddress source, String zone) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = source.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT (p.paid_at AT TIME ZONE f.timezone)::date, sum(p.amount) FROM payments p "
            + "JOIN facilities f ON f.id = p.facility_id WHERE f.timezone = '" + zone + "' AND p.kind <> 'REFUND' "
            + "AND p.status IN ('SUCCEEDED', 'REFUNDED') AND p.paid_at IS NOT NULL GROUP BY 1")) {
      while (r.next()) {
        out.put(r.getString(1), r.getBigDecimal(2).stripTrailingZeros().toPlainString());
      }
    }
    return out;
  }

  private Map<String, String> martRevenueByLocalDay(DatabaseAddress source, String zone) {
    Map<String, String> out = new TreeMap<>();
    var facilities = spark().read().format("delta").load(home.resolve("lake/silver/facilities").toString())
        .where("timezone = '" + zone + "'").select("id");
    for (Row r : spark().read().format("delta").load(home.resolve("lake/gold/revenue_daily").toString())
        .join(facilities, col("facility_id").equalTo(col("id"))).groupBy("local_date").agg(sum("gross"))
        .where("sum(gross) <> 0").collectAsList()) {
      out.put(r.get(0).toString(), r.getDecimal(1).stripTrailingZeros().toPlainString());
    }
    return out;
  }

  private static Map<String, BatchStatus> statuses(JobExecution e) {
    return e.getStepExecutions().stream().collect(Collectors.toMap(StepExecution::getStepName, StepExecution::getStatus));
  }

  private static Map<String, String> notes(JobExecution e, String step) {
    StepExecution s = e.getStepExecutions().stream().filter(x -> x.getStepName().equals(step)).findFirst().orElseThrow();
    Map<String, String> out = new TreeMap<>();
    s.getExecutionContext().entrySet().forEach(en -> out.put(en.getKey(), String.valueOf(en.getValue())));
    return out;
  }

  private static Map<String, String> owed(DatabaseAddress meta) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = meta.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT mart, reason FROM parklake.mart_refresh_owed")) {
      while (r.next()) {
        out.put(r.getString(1), r.getString(2));
      }
    }
    return out;
  }

  private static Set<String> published(DatabaseAddress db) throws Exception {
    Set<String> out = new java.util.TreeSet<>();
    try (Connection c = db.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'mart'")) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  private Map<String, Long> versions(Set<String> marts) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    for (String m : marts) {
      try (var files = Files.list(home.resolve("lake/gold").resolve(m).resolve("_delta_log"))) {
        out.put(m, files.filter(f -> f.getFileName().toString().endsWith(".json")).count());
      }
    }
    return out;
  }

  /** Every gold mart's rows as sorted text, to compare two states of the lake. */
  private Map<String, String> gold() {
    return GoldTables.rows(home);
  }

  /** Adds a succeeded booking payment of 555.55 at local noon of {@code day} to the first facility; returns its id. */
  private static String addPayment(DatabaseAddress source, LocalDate day) throws Exception {
    try (Connection c = source.open(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO payments (id, user_id, facility_id, kind, amount, currency, provider, status, provider_txn_id, "
          + "paid_at, created_at, updated_at) SELECT gen_random_uuid(), NULL, f.id, 'BOOKING', 555.55, f.currency, 'CARD', "
          + "'SUCCEEDED', 'containment', TIMESTAMP '" + day + " 12:00' AT TIME ZONE f.timezone, "
          + "TIMESTAMP '" + day + " 12:00' AT TIME ZONE f.timezone, now() "
          + "FROM facilities f ORDER BY f.id LIMIT 1");
      try (ResultSet r = s.executeQuery("SELECT id::text FROM facilities ORDER BY id LIMIT 1")) {
        r.next();
        return r.getString(1);
      }
    }
  }

  private static BigDecimal grossInPostgres(DatabaseAddress source, String facility, LocalDate day) throws Exception {
    try (Connection c = source.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT coalesce(sum(p.amount), 0) FROM payments p JOIN facilities f ON f.id = p.facility_id "
            + "WHERE f.id = '" + facility + "' AND p.kind <> 'REFUND' AND p.status IN ('SUCCEEDED', 'REFUNDED') "
            + "AND (p.paid_at AT TIME ZONE f.timezone)::date = DATE '" + day + "'")) {
      r.next();
      return r.getBigDecimal(1);
    }
  }

  private static SparkSession spark() {
    return SparkSession.active();
  }
}
