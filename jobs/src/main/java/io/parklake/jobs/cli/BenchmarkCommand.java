package io.parklake.jobs.cli;

import io.parklake.jobs.benchmark.BackfillBenchmark;
import io.parklake.jobs.benchmark.MartsBenchmark;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.UserError;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.extract.ExtractStats;
import io.parklake.pipelines.extract.LakeExtraction;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceTable;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parklake benchmark extract}: extraction speed against PostgreSQL's own COPY, on seeded data;
 * {@code parklake benchmark marts}: the gold marts in Spark against DuckDB on the same lake;
 * {@code parklake benchmark backfill}: a range run against one nightly.
 */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    subcommands = {BenchmarkCommand.Extract.class, BenchmarkCommand.MartsBench.class, BenchmarkCommand.Backfill.class,
        BenchmarkCommand.Archive.class},
    description = "Measure ParkLake on a large seeded source (benchmarks print figures; they are not tests).")
public class BenchmarkCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Benchmarks seed and reset their source: only ever the embedded one. */
  static void requireEmbeddedSource(ParkLakeSettings settings) {
    if (!settings.embeddedSource()) {
      throw new UserError(ParkLakeSettings.SOURCE_URL, "the benchmark seeds and resets its own embedded database; unset it");
    }
  }

  /** A clean slate on the seeded source: no schema parklake (watermarks, job history), no lake, maybe no reports. */
  static void startOver(ParkLakeRuntime rt, boolean reports) throws Exception {
    try (Connection c = rt.meta().open(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS parklake CASCADE");
    }
    DemoCommand.deleteTree(rt.settings().lakeDir());
    if (reports) {
      DemoCommand.deleteTree(rt.settings().reportsDir());
    }
    io.parklake.warehouse.meta.MetadataSchema.migrate(rt.meta());
  }

  @Command(
      name = "extract",
      mixinStandardHelpOptions = true,
      description = {
        "Seed N bookings into the embedded source, time COPY (FORMAT binary) of every source table, time the full "
            + "extraction of every table into the lake, then add about --hourly-rows new rows and time an hourly extraction.",
        "Recreates the embedded source and the lake under PARKLAKE_HOME."
      })
  public static class Extract implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand BenchmarkCommand parent;

    @Option(names = "--bookings", defaultValue = "10000000", description = "bookings to seed (default ${DEFAULT-VALUE})")
    long bookings;

    @Option(names = "--days", defaultValue = "730", description = "days they span (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--hourly-rows", defaultValue = "12000", description = "new rows before the hourly run (default ${DEFAULT-VALUE})")
    int hourlyRows;

    @Option(names = "--skip-seed", description = "reuse the source already seeded under PARKLAKE_HOME")
    boolean skipSeed;

    @Option(names = "--hourly-only", description = "only the hourly part, on the source and lake already under PARKLAKE_HOME: "
        + "add the new rows and time one hourly extraction")
    boolean hourlyOnly;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      ParkLakeSettings settings = cli.settings();
      requireEmbeddedSource(settings);
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(settings)) {
        DatabaseAddress db = rt.source();
        if (hourlyOnly) {
          if (!DeltaTables.exists(rt.spark(), rt.lake().silver("bookings"))) {
            throw new UserError(ParkLakeSettings.HOME, "--hourly-only needs the lake of an earlier 'benchmark extract' under "
                + settings.home());
          }
          Hourly hourly = hourly(rt.extraction(), db);
          cli.out().printf("hourly: %,d new rows added, %,d row versions read, %.1f s%n", hourly.added(), hourly.read(),
              hourly.seconds());
          hourly.stats().forEach(st -> cli.out().printf("  %-20s %,10d read %8.1f s  %s%n", st.table(), st.read(), st.seconds(),
              st.affectedDates().isEmpty() ? "" : st.affectedDates().size() + " date(s) touched"));
          return 0;
        }
        if (!skipSeed) {
          long t0 = System.nanoTime();
          SeedCommand.seed(rt, SeedCommand.options(bookings, seed, days, null), true, cli.err());
          cli.out().printf("seed: %,d bookings and their rows in %.1f s%n", bookings, (System.nanoTime() - t0) / 1e9);
        }
        startOver(rt, false);

        Map<String, double[]> copy = new LinkedHashMap<>();
        Map<String, double[]> copyQuery = new LinkedHashMap<>();
        Instant high = Instant.now();
        for (SourceTable t : SourceTable.values()) {
          copy.put(t.tableName(), copyBinary(db, t.tableName()));
          // The extraction's own query (business date in the facility's zone, foreign-key checks)
          // through COPY: PostgreSQL's share of the work, with no JDBC, Spark or lake.
          copyQuery.put(t.tableName(), copyBinary(db, "(" + LakeExtraction.firstLoadQuery(t, high) + ")"));
          cli.err().printf("COPY %s: %.1f s; COPY of its extraction query: %.1f s%n", t.tableName(),
              copy.get(t.tableName())[1], copyQuery.get(t.tableName())[1]);
        }
        LakeExtraction extraction = rt.extraction();
        long t0 = System.nanoTime();
        List<ExtractStats> full = extraction.extract(List.of(SourceTable.values()), Duration.ofHours(1), "benchmark-full");
        double fullSeconds = (System.nanoTime() - t0) / 1e9;

        Hourly hourly = hourly(extraction, db);

        cli.out().println();
        String fmt = "%-20s %12s %10s %12s %10s %10s %12s %6s%n";
        cli.out().printf(fmt, "table", "rows", "COPY s", "COPY rows/s", "query s", "extract s", "extract r/s", "ratio");
        double copyTotal = 0;
        double queryTotal = 0;
        long rowsTotal = 0;
        for (ExtractStats s : full) {
          double[] c = copy.get(s.table());
          double q = copyQuery.get(s.table())[1];
          copyTotal += c[1];
          queryTotal += q;
          rowsTotal += s.read();
          cli.out().printf(fmt, s.table(), String.format("%,d", s.read()), String.format("%.1f", c[1]),
              String.format("%,.0f", c[0] / c[1]), String.format("%.1f", q), String.format("%.1f", s.seconds()),
              String.format("%,.0f", s.read() / s.seconds()), String.format("%.1f", s.seconds() / c[1]));
        }
        cli.out().printf(fmt, "all tables", String.format("%,d", rowsTotal), String.format("%.1f", copyTotal),
            String.format("%,.0f", rowsTotal / copyTotal), String.format("%.1f", queryTotal), String.format("%.1f", fullSeconds),
            String.format("%,.0f", rowsTotal / fullSeconds), String.format("%.1f", fullSeconds / copyTotal));
        cli.out().println("(COPY s: COPY <table> TO STDOUT (FORMAT binary); query s: the same COPY of the extraction's own query,"
            + " with business dates and foreign-key checks; ratio: extract over COPY)");
        cli.out().printf("%nhourly: %,d new rows added, %,d row versions read, %.1f s (%.1f%% of the full extraction)%n",
            hourly.added(), hourly.read(), hourly.seconds(), 100 * hourly.seconds() / fullSeconds);
        return 0;
      }
    }

    /** What one timed hourly extraction did: rows added to the source first, per-table figures, seconds. */
    private record Hourly(int added, List<ExtractStats> stats, double seconds) {
      long read() {
        return stats.stream().mapToLong(ExtractStats::read).sum();
      }
    }

    /** Adds about {@code --hourly-rows} rows of the last hour to the source, then times one extraction of every table. */
    private Hourly hourly(LakeExtraction extraction, DatabaseAddress db) throws Exception {
      int added = addHourOfChanges(db, hourlyRows);
      long t0 = System.nanoTime();
      List<ExtractStats> stats = extraction.extract(List.of(SourceTable.values()), Duration.ofHours(1), "benchmark-hourly");
      return new Hourly(added, stats, (System.nanoTime() - t0) / 1e9);
    }

    /** Rows and seconds of COPY (FORMAT binary) of one table to nowhere. */
    private static double[] copyBinary(DatabaseAddress db, String table) throws Exception {
      long[] bytes = {0};
      OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) {
          bytes[0]++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
          bytes[0] += len;
        }
      };
      try (Connection c = db.open()) {
        long t0 = System.nanoTime();
        long rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + table + " TO STDOUT (FORMAT binary)", sink);
        return new double[] {rows, Math.max(1e-3, (System.nanoTime() - t0) / 1e9)};
      }
    }

    /**
     * About {@code rows} new rows of the last hour, as an operator's hour brings them: a third each
     * bookings (cars that arrived in the last hour and are still parked), payments made in the last
     * hour (for older bookings too) and camera events of the last hour.
     */
    private static int addHourOfChanges(DatabaseAddress db, int rows) throws Exception {
      int each = rows / 3;
      String arrived = "now() - random() * interval '55 minutes'";
      try (Connection c = db.open(); Statement s = c.createStatement()) {
        int n = s.executeUpdate("INSERT INTO bookings SELECT gen_random_uuid(), user_id, vehicle_id, spot_id, facility_id, "
            + "left('H' || ticket_number, 32), booking_type, 'ACTIVE', at, "
            + "at + (expected_exit - entry_time), NULL, estimated_price, NULL, NULL, at, now() "
            + "FROM (SELECT b.*, " + arrived + " AS at FROM bookings b WHERE status = 'COMPLETED' LIMIT " + each + ") b");
        n += s.executeUpdate("INSERT INTO payments SELECT gen_random_uuid(), user_id, facility_id, booking_id, violation_id, "
            + "user_subscription_id, kind, amount, currency, provider, status, 'H' || provider_txn_id, at, at, now() "
            + "FROM (SELECT p.*, " + arrived + " AS at FROM payments p WHERE status = 'SUCCEEDED' LIMIT " + each + ") p");
        n += s.executeUpdate("INSERT INTO parking_events SELECT (SELECT max(id) FROM parking_events) + row_number() OVER (), "
            + "camera_id, facility_id, zone_id, track_id || '-h' || extract(epoch FROM now())::bigint, plate_number, vehicle_type, "
            + "direction, confidence, at, now() "
            + "FROM (SELECT e.*, " + arrived + " AS at FROM parking_events e LIMIT " + each + ") e");
        return n;
      }
    }
  }

  @Command(
      name = "marts",
      mixinStandardHelpOptions = true,
      description = {
        "On the lake under PARKLAKE_HOME (made by 'benchmark extract'): rebuild every mart in Spark, recompute the same"
            + " SQL in DuckDB on the same Parquet files (checking both give the same rows and sums), then add one new day to"
            + " the source and time the nightly extraction and incremental mart refresh.",
        "Rewrites the gold marts and adds a day to the embedded source and the lake."
      })
  public static class MartsBench implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand BenchmarkCommand parent;

    @Option(names = "--json", description = "print the figures as one JSON object instead of a table")
    boolean json;

    @Option(names = "--no-nightly", description = "skip the new day and the incremental nightly (leaves source and silver as they are)")
    boolean noNightly;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      ParkLakeSettings settings = cli.settings();
      if (!noNightly) {
        requireEmbeddedSource(settings); // the new day is INSERTed into the source
      }
      MartsBenchmark.requireLake(settings);
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(settings)) {
        MartsBenchmark.Result r = new MartsBenchmark(rt, cli.err()).run(!noNightly);
        if (json) {
          cli.out().println(MartsBenchmark.json(r));
        } else {
          MartsBenchmark.print(r, cli.out());
        }
        return r.allSame() ? 0 : 1;
      }
    }
  }

  @Command(
      name = "backfill",
      mixinStandardHelpOptions = true,
      description = {
        "Seed N bookings over D days ending yesterday into the embedded source, load the lake with the nightly for the"
            + " day before the last R days, then time one nightly for the first of those days against one nightly run"
            + " over all R (a backfill: one execution); --singles also times one nightly per date of the range.",
        "Recreates the embedded source, the lake and the reports under PARKLAKE_HOME."
      })
  public static class Backfill implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand BenchmarkCommand parent;

    @Option(names = "--bookings", defaultValue = "20000", description = "bookings to seed (default ${DEFAULT-VALUE})")
    long bookings;

    @Option(names = "--days", defaultValue = "40", description = "days they span, ending yesterday (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--range", defaultValue = "30", description = "days of the range run, ending yesterday (default ${DEFAULT-VALUE})")
    int range;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--singles", description = "also time one nightly per date of the range (the old way of backfilling)")
    boolean singles;

    @Option(names = "--json", description = "print the figures as one JSON object instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      ParkLakeSettings settings = cli.settings();
      requireEmbeddedSource(settings);
      if (range < 1 || range >= days) {
        throw new UserError("--range", "must be at least 1 and less than --days (" + days + "): the lake is loaded with the"
            + " day before the range");
      }
      SeedOptions options = SeedCommand.options(bookings, seed, days, null);
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(settings)) {
        SeedCommand.seed(rt, options, true, cli.err());
        startOver(rt, true);
        try (org.springframework.context.ConfigurableApplicationContext ctx = io.parklake.jobs.batch.BatchContext.start(rt)) {
          BackfillBenchmark.Result r = new BackfillBenchmark(new io.parklake.jobs.batch.JobRunner(ctx), cli.err())
              .run(bookings, options.start(), options.endExclusive().minusDays(1), range, singles);
          if (json) {
            cli.out().println(BackfillBenchmark.json(r));
          } else {
            BackfillBenchmark.print(r, cli.out());
          }
          return r.allCompleted() ? 0 : 1;
        }
      }
    }
  }

  @Command(
      name = "archive",
      mixinStandardHelpOptions = true,
      description = {
        "Seed the embedded source's users, add N audit logs spread over the twelve months the audit-log policy"
            + " (archive.audit_logs.age, one year by default) finds due, extract them into the lake, then time COPY"
            + " (FORMAT binary) of those rows against the archive job that writes, verifies and purges them.",
        "Recreates the embedded source, the lake and the archive catalogue under PARKLAKE_HOME; the archive bucket is"
            + " the configured one (the embedded S3 server by default)."
      })
  public static class Archive implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand BenchmarkCommand parent;

    @Option(names = "--audit-logs", defaultValue = "10000000", description = "audit logs to add (default ${DEFAULT-VALUE})")
    long auditLogs;

    @Option(names = "--seed", defaultValue = "42", description = "random seed of the users (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      ParkLakeSettings settings = cli.settings();
      requireEmbeddedSource(settings);
      if (auditLogs < 1) {
        throw new UserError("--audit-logs", "must be at least 1, was " + auditLogs);
      }
      if (settings.s3().isEmpty()) {
        // The embedded S3 server's archive objects of an earlier run go with the catalogue startOver drops.
        DemoCommand.deleteTree(settings.home().resolve("s3").resolve(settings.archive().bucket()));
      }
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(settings)) {
        rt.archiveBucket();
        // The users the audit logs name: a small seeded operator, its bookings recent and never due.
        SeedCommand.seed(rt, SeedCommand.options(2000, seed, 30, null), true, cli.err());
        startOver(rt, true);
        try (org.springframework.context.ConfigurableApplicationContext ctx = io.parklake.jobs.batch.BatchContext.start(rt)) {
          var r = new io.parklake.jobs.benchmark.ArchiveBenchmark(rt, new io.parklake.jobs.batch.JobRunner(ctx), cli.err())
              .run(auditLogs, java.time.LocalDate.now(java.time.ZoneOffset.UTC));
          io.parklake.jobs.benchmark.ArchiveBenchmark.print(r, cli.out());
          return r.status().equals("COMPLETED") ? 0 : 1;
        }
      }
    }
  }

  final CliEnvironment cli;

  public BenchmarkCommand(CliEnvironment cli) {
    this.cli = cli;
  }
}
