package io.parklake.jobs;

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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One failing mart fails alone: a fault injected into {@code forecast_accuracy} fails that mart and
 * skips the one that reads it ({@code demand_forecast}) and the report that shows it, while every
 * other mart, the publish step and the other reports complete; the run ends FAILED naming each, a
 * restart redoes exactly those, and the result equals a clean rebuild. A failure in an hourly is
 * repaired by the next run (not a restart) through the owed-work table.
 */
class ContainmentIT {
  private static final LocalDate START = LocalDate.of(2026, 11, 9);
  private static final LocalDate DAY = LocalDate.of(2026, 11, 13);

  @TempDir Path home;

  @Test
  void a_failing_mart_fails_alone_is_named_and_is_redone_by_restart_and_by_the_next_run() throws Exception {
    DatabaseAddress source = TestPostgres.freshDatabase("containment");
    SourceSchema.migrate(source);
    new SyntheticSource(new SeedOptions(700, 3, 5, START)).writeTo(source, n -> {});
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

      // 1. The nightly with a failing mart.
      JobExecution failed = runner.run("nightly", DAY);
      assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
      assertThat(statuses(failed)).containsEntry("nightly.extract", BatchStatus.COMPLETED)
          .containsEntry("nightly.marts", BatchStatus.FAILED).containsEntry("nightly.publish", BatchStatus.COMPLETED)
          .containsEntry("nightly.report", BatchStatus.FAILED).containsEntry("nightly.maintenance", BatchStatus.COMPLETED);
      assertThat(JobRunner.failure(failed))
          .contains("nightly.marts: 1 mart(s) failed: forecast_accuracy (IllegalStateException: injected fault at mart:forecast_accuracy)"
              + "; 1 skipped: demand_forecast (needs forecast_accuracy: failed)")
          .contains("nightly.report: 1 report(s) not rendered: forecast_accuracy " + DAY
              + " (skipped: reads forecast_accuracy, not refreshed by this run)");
      Set<String> others = Marts.all().stream().map(Mart::name)
          .filter(m -> !Set.of("forecast_accuracy", "demand_forecast").contains(m)).collect(Collectors.toSet());
      for (String m : others) {
        assertThat(home.resolve("lake/gold").resolve(m).resolve("_delta_log")).as(m).isDirectory();
      }
      assertThat(home.resolve("lake/gold/forecast_accuracy")).doesNotExist();
      assertThat(home.resolve("reports/daily_operations").resolve(DAY.toString()).resolve("daily_operations.xlsx")).isRegularFile();
      assertThat(home.resolve("reports/forecast_accuracy").resolve(DAY.toString())).doesNotExist();
      assertThat(owed(source)).containsOnlyKeys("forecast_accuracy", "demand_forecast");
      assertThat(owed(source).get("demand_forecast")).startsWith("skipped: needs forecast_accuracy");
      assertThat(published(source)).contains("revenue_daily", "customer_value").doesNotContain("forecast_accuracy");
      Map<String, Long> versions = versions(others);

      // 2. Restart: only the failed and skipped marts, and the report they blocked.
      failing.set(null);
      JobExecution restarted = runner.restart(failed.getId());
      assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(statuses(restarted)).doesNotContainKeys("nightly.extract", "nightly.deletes", "nightly.reconcile",
          "nightly.maintenance");
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

      // 4. An hourly whose revenue_daily fails owes it; the next hourly (a fresh run, which itself
      // extracts nothing new) pays from the owed-work table alone.
      String facility = addPayment(source, DAY.minusDays(2));
      failing.set("mart:revenue_daily");
      JobExecution hourly = runner.run("hourly", DAY);
      assertThat(hourly.getStatus()).isEqualTo(BatchStatus.FAILED);
      assertThat(JobRunner.failure(hourly)).contains("revenue_daily (IllegalStateException: injected fault at mart:revenue_daily)");
      assertThat(owed(source)).containsOnlyKeys("revenue_daily");
      failing.set(null);
      JobExecution next = runner.run("hourly", DAY);
      assertThat(next.getStatus()).as(JobRunner.failure(next)).isEqualTo(BatchStatus.COMPLETED);
      assertThat(notes(next, "hourly.marts")).containsKey("mart.revenue_daily");
      assertThat(owed(source)).isEmpty();
      BigDecimal mart = (BigDecimal) spark().read().format("delta").load(home.resolve("lake/gold/revenue_daily").toString())
          .where("local_date = DATE'" + DAY.minusDays(2) + "' AND facility_id = '" + facility + "'").first().getAs("gross");
      assertThat(mart).isEqualByComparingTo(grossInPostgres(source, facility, DAY.minusDays(2)))
          .isGreaterThanOrEqualTo(new BigDecimal("555.55"));
    }
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
    Map<String, String> out = new TreeMap<>();
    for (Mart m : Marts.all()) {
      var rows = spark().read().format("delta").load(home.resolve("lake/gold").resolve(m.name()).toString());
      out.put(m.name(), rows.collectAsList().stream().map(Object::toString).sorted().collect(Collectors.joining("\n")));
    }
    return out;
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
