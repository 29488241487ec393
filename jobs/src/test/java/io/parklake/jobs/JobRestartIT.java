package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.jobs.batch.BatchContext;
import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.extract.FaultInjector;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SyntheticSource;
import io.parklake.warehouse.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;

/** A Spring Batch execution of {@code hourly} that dies mid-extraction is restarted by id and completes the lake. */
class JobRestartIT {
  @TempDir Path home;

  @Test
  void a_failed_hourly_restarted_by_execution_id_resumes_and_leaves_the_lake_complete() throws Exception {
    DatabaseAddress source = TestPostgres.freshDatabase("job_restart");
    SourceSchema.migrate(source);
    new SyntheticSource(new SeedOptions(800, 3, 4, LocalDate.of(2026, 11, 10))).writeTo(source, n -> {});
    ParkLakeSettings settings = ParkLakeSettings.fromEnvironment(Map.of("PARKLAKE_HOME", home.toString(),
        "PARKLAKE_SOURCE_URL", source.url(), "PARKLAKE_SOURCE_USER", source.user(), "PARKLAKE_SOURCE_PASSWORD", source.password()));
    AtomicBoolean fired = new AtomicBoolean();
    FaultInjector dieOnce = point -> {
      if (point.equals("silver:payments") && fired.compareAndSet(false, true)) {
        throw new IllegalStateException("killed after the bronze and quarantine commits of payments");
      }
    };
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(settings, dieOnce);
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      JobRunner runner = new JobRunner(ctx);
      JobExecution failed = runner.run("hourly", LocalDate.of(2026, 11, 13));
      assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
      assertThat(JobRunner.failure(failed)).contains("killed after the bronze and quarantine commits of payments");

      JobExecution restarted = runner.restart(failed.getId());
      assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());

      long lake = SparkSession.active().read().format("delta").load(home.resolve("lake/silver/payments").toString()).count();
      long lakeIds = SparkSession.active().read().format("delta").load(home.resolve("lake/silver/payments").toString())
          .select("id").distinct().count();
      try (Connection c = source.open();
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT count(*) FROM payments")) {
        r.next();
        assertThat(lake).isEqualTo(r.getLong(1)).isEqualTo(lakeIds);
      }
    }
  }

  @Test
  void changes_committed_by_a_run_that_died_before_its_marts_are_refreshed_by_the_next_run() throws Exception {
    DatabaseAddress source = TestPostgres.freshDatabase("marts_after_crash");
    SourceSchema.migrate(source);
    new SyntheticSource(new SeedOptions(600, 5, 3, LocalDate.of(2026, 11, 10))).writeTo(source, n -> {});
    ParkLakeSettings settings = ParkLakeSettings.fromEnvironment(Map.of("PARKLAKE_HOME", home.toString(),
        "PARKLAKE_SOURCE_URL", source.url(), "PARKLAKE_SOURCE_USER", source.user(), "PARKLAKE_SOURCE_PASSWORD", source.password(),
        "PARKLAKE_MART_SCHEMA", "none"));
    AtomicBoolean armed = new AtomicBoolean();
    FaultInjector dieAfterPayments = point -> {
      if (point.equals("committed:payments") && armed.compareAndSet(true, false)) {
        throw new IllegalStateException("killed after the payments batch committed");
      }
    };
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(settings, dieAfterPayments);
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      JobRunner runner = new JobRunner(ctx);
      assertThat(runner.run("hourly", LocalDate.of(2026, 11, 12)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
      // A payment of 777.77 on a day the marts already hold, committed by a run that then dies.
      try (Connection c = source.open(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO payments (id, user_id, facility_id, kind, amount, currency, provider, status, provider_txn_id, "
            + "paid_at, created_at, updated_at) SELECT gen_random_uuid(), NULL, f.id, 'BOOKING', 777.77, f.currency, 'CARD', "
            + "'SUCCEEDED', 'after-crash', TIMESTAMPTZ '2026-11-11 12:00+00', TIMESTAMPTZ '2026-11-11 12:00+00', now() "
            + "FROM facilities f WHERE f.timezone = 'Europe/London' ORDER BY f.id LIMIT 1");
      }
      armed.set(true);
      JobExecution died = runner.run("hourly", LocalDate.of(2026, 11, 12));
      assertThat(died.getStatus()).isEqualTo(BatchStatus.FAILED);

      // Not a restart: a fresh run, whose own extraction finds nothing new for payments.
      assertThat(runner.run("hourly", LocalDate.of(2026, 11, 13)).getStatus()).isEqualTo(BatchStatus.COMPLETED);

      BigDecimal mart = (BigDecimal) SparkSession.active().read().format("delta").load(home.resolve("lake/gold/revenue_daily").toString())
          .where("local_date = DATE'2026-11-11' AND facility_id = (SELECT id FROM delta.`" + home.resolve("lake/silver/facilities")
              + "` WHERE timezone = 'Europe/London' ORDER BY id LIMIT 1)").first().getAs("gross");
      try (Connection c = source.open(); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT sum(p.amount) FROM payments p JOIN facilities f ON f.id = p.facility_id "
              + "WHERE f.id = (SELECT id FROM facilities WHERE timezone = 'Europe/London' ORDER BY id LIMIT 1) "
              + "AND p.kind <> 'REFUND' AND p.status IN ('SUCCEEDED', 'REFUNDED') "
              + "AND (p.paid_at AT TIME ZONE f.timezone)::date = DATE '2026-11-11'")) {
        r.next();
        assertThat(mart).isEqualByComparingTo(r.getBigDecimal(1));
        assertThat(r.getBigDecimal(1)).isGreaterThan(new BigDecimal("777.77"));
      }
    }
  }
}
