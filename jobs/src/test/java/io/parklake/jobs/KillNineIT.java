package io.parklake.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.jobs.batch.RunLeases;
import io.parklake.pipelines.extract.TableExtractor;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.Marts;
import io.parklake.reports.catalog.Reports;
import io.parklake.reports.delivery.ReportPeriodWriter;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.source.SyntheticSource;
import io.parklake.warehouse.testing.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real application, in a child JVM, killed with SIGKILL at five moments chosen by what it has
 * logged (reading a fact table, a bronze commit, the marts, the publish, the report upload), each
 * next run restarting the execution the last one left (which {@code status} must already show FAILED,
 * abandoned); then the restart that completes it and the next date's nightly. The lake must
 * hold exactly the source, the gold marts and the reports must equal those of a clean run on a copy
 * of the same source, and nothing a kill left behind may block a later run.
 */
@Tag("processes")
class KillNineIT {
  private static final LocalDate FIRST = LocalDate.of(2026, 11, 12);
  private static final LocalDate LAST = FIRST.plusDays(1);
  /** How long a child may take before the test gives up on it: a safety net, not a coordination. */
  private static final long CHILD_TIMEOUT_MINUTES = 15;
  private static final int SIGKILL_EXIT = 128 + 9;

  @TempDir Path dir;

  /** Where a run is killed: the first stderr line matching {@code killOn}. */
  private record Moment(String name, Pattern killOn) {}

  private static final List<Moment> MOMENTS = List.of(
      new Moment("extraction: reading bookings", Pattern.compile("TableExtractor - extract bookings: batch \\d+")),
      new Moment("bronze commit", Pattern.compile("TableExtractor - extract: appending batch \\d+ to \\S+/lake/bronze/")),
      new Moment("marts", Pattern.compile("Marts - mart \\w+: ")),
      new Moment("publish", Pattern.compile("MartPublisher - published mart ")),
      new Moment("report upload", Pattern.compile("ReportRenderer - report \\S+ \\S+: uploading ")));

  @Test
  void nightlies_killed_with_sigkill_at_five_moments_then_a_backfill_leave_what_a_clean_run_leaves() throws Exception {
    DatabaseAddress source = TestPostgres.freshDatabase("kill_nine");
    SourceSchema.migrate(source);
    // 700 bookings over 5 days (ContainmentIT's source): on 500 over 4 days customer_value's BG/NBD fit
    // does not converge (TooManyEvaluationsException), a failure of its own that no kill causes.
    new SyntheticSource(new SeedOptions(700, 3, 5, FIRST.minusDays(3))).writeTo(source, n -> {});
    // The reference gets its copy before any run writes watermarks into the source's schema parklake,
    // and runs in this JVM while the children run (a small nightly keeps about one core busy).
    DatabaseAddress cleanSource = TestPostgres.copyOf(source, "kill_nine_clean");
    ExecutorService background = Executors.newSingleThreadExecutor();
    Future<CliRun> clean = background.submit(() -> CliRun.run(Map.of("PARKLAKE_HOME", dir.resolve("clean").toString(),
        "PARKLAKE_SOURCE_URL", cleanSource.url(), "PARKLAKE_SOURCE_USER", cleanSource.user(),
        "PARKLAKE_SOURCE_PASSWORD", cleanSource.password(), "PARKLAKE_MART_SCHEMA", "none"),
        "run", "nightly", "--from", FIRST.toString(), "--to", LAST.toString()));
    background.shutdown();
    Path home = dir.resolve("killed");
    Map<String, String> env = env(home, source);

    // Run 1 starts the nightly; each later run restarts the execution the kill before left, as an operator
    // would after reading `status`, which must already say FAILED (abandoned), not STARTED.
    List<Child> runs = new ArrayList<>();
    List<Long> killedExecutions = new ArrayList<>();
    String[] next = {"run", "nightly", "--date", FIRST.toString()};
    for (Moment m : MOMENTS) {
      Child run = Child.start(runs.size() + 1, dir, env, m.killOn(), next);
      run.finish();
      assertThat(run.trigger).as("run %d (%s) finished with exit code %d before its kill line /%s/ appeared; its last lines:%n%s",
          run.number, m.name(), run.exitCode, m.killOn(), run.tail()).isNotNull();
      assertThat(run.exitCode).as("run %d was killed by SIGKILL (exit 128 + 9), not stopped otherwise", run.number)
          .isEqualTo(SIGKILL_EXIT);
      runs.add(run);
      long killed = Long.parseLong(strings(source, "SELECT max(job_execution_id)::text FROM parklake.batch_job_execution").get(0));
      CliRun status = CliRun.run(env, "status", "--json");
      assertThat(status.exitCode()).isZero();
      assertThat(strings(source, "SELECT status || ' ' || exit_message FROM parklake.batch_job_execution WHERE job_execution_id = " + killed))
          .as("execution %d after its process was killed, once a command has looked", killed)
          .containsExactly("FAILED " + RunLeases.ABANDONED);
      assertThat(status.out()).contains(RunLeases.ABANDONED);
      killedExecutions.add(killed);
      next = new String[] {"restart", String.valueOf(killed)};
    }
    Child completes = Child.start(runs.size() + 1, dir, env, null, next);
    completes.finish();
    runs.add(completes);
    assertThat(completes.exitCode).as("the restart after the kills; its last lines:%n%s", completes.tail()).isZero();
    Child last = Child.start(runs.size() + 1, dir, env, null, "run", "nightly", "--date", LAST.toString());
    last.finish();
    runs.add(last);
    printKillTable(runs);
    assertThat(last.exitCode).as("the nightly of the next date; its last lines:%n%s", last.tail()).isZero();
    // Every restart resumed the one job instance the first run created.
    assertThat(strings(source, "SELECT count(DISTINCT job_instance_id)::text FROM parklake.batch_job_execution "
        + "WHERE job_execution_id <= (SELECT max(job_execution_id) - 1 FROM parklake.batch_job_execution)")).containsExactly("1");

    CliRun reference = clean.get(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    assertThat(reference.exitCode()).as("the clean run: %s", reference.err()).isZero();

    SparkSession spark = SparkSession.active();
    LakeLayout lake = new LakeLayout(home.resolve("lake"));
    LakeLayout cleanLake = new LakeLayout(dir.resolve("clean/lake"));

    // Silver holds each source key once, every one but the quarantined, and no key the source lacks.
    Map<String, String> keys = new TreeMap<>();
    Map<String, String> expectedKeys = new TreeMap<>();
    for (SourceTable t : SourceTable.values()) {
      List<String> silver = spark.read().format("delta").load(lake.silver(t.tableName())).select(col("id").cast("string"))
          .as(Encoders.STRING()).collectAsList();
      Set<String> silverKeys = new HashSet<>(silver);
      Set<String> quarantinedOnly = new HashSet<>(rejectedLatest(spark, lake, t).select(col("id").cast("string"))
          .as(Encoders.STRING()).collectAsList());
      Set<String> sourceKeys = new HashSet<>(strings(source, "SELECT id::text FROM " + t.tableName()));
      Set<String> missing = new TreeSet<>(sourceKeys);
      missing.removeAll(silverKeys);
      missing.removeAll(quarantinedOnly);
      Set<String> extra = new TreeSet<>(silverKeys);
      extra.removeAll(sourceKeys);
      Dataset<Row> bronze = spark.read().format("delta").load(lake.bronze(t.tableName()))
          .where(col(TableExtractor.OPERATION).equalTo("UPSERT"));
      long bronzeTwice = bronze.count() - bronze.select("id", t.changeColumn()).distinct().count();
      keys.put(t.tableName(), String.format("silver duplicates %d, missing %d %s, extra %d %s, bronze versions twice %d",
          silver.size() - silverKeys.size(), missing.size(), first(missing), extra.size(), first(extra), bronzeTwice));
      expectedKeys.put(t.tableName(), "silver duplicates 0, missing 0 [], extra 0 [], bronze versions twice 0");
      assertThat(silverKeys.size() + quarantinedOnly.size()).as("%s: silver and quarantine-only keys", t.tableName())
          .isEqualTo(sourceKeys.size());
    }
    assertThat(keys).isEqualTo(expectedKeys);

    // Money: silver plus the latest rejected version of keys not in silver, as the Reconciler counts.
    for (SourceTable t : List.of(SourceTable.BOOKINGS, SourceTable.PAYMENTS)) {
      for (String m : t.moneyColumns()) {
        BigDecimal inSource = new BigDecimal(strings(source, "SELECT coalesce(sum(" + m + "), 0)::text FROM " + t.tableName()).get(0));
        BigDecimal inLake = sum(spark.read().format("delta").load(lake.silver(t.tableName())), m)
            .add(sum(rejectedLatest(spark, lake, t), m));
        assertThat(inLake).as("%s.%s: silver + quarantine against the source", t.tableName(), m).isEqualByComparingTo(inSource);
        assertThat(inSource).as("%s.%s in the source", t.tableName(), m).isPositive();
      }
    }

    // Every gold mart equals the clean run's, row for row; and it is what schema mart publishes.
    long goldRows = 0;
    for (Mart mart : Marts.all()) {
      List<String> killed = rows(spark.read().format("delta").load(lake.gold(mart.name())));
      assertThat(killed).as("gold.%s after the kills against a clean run", mart.name())
          .isEqualTo(rows(spark.read().format("delta").load(cleanLake.gold(mart.name()))));
      assertThat(Long.parseLong(strings(source, "SELECT count(*) FROM mart." + mart.name()).get(0)))
          .as("rows of mart.%s as published", mart.name()).isEqualTo(killed.size());
      goldRows += killed.size();
    }
    assertThat(rows(spark.read().format("delta").load(lake.gold("revenue_daily")))).hasSizeGreaterThan(20);
    assertThat(goldRows).isGreaterThan(500);

    // The final dates' reports, on disk and in the bucket, hold the clean run's tables.
    int reports = 0;
    for (LocalDate d : List.of(FIRST, LAST)) {
      for (Reports.Due due : Reports.dueAfter(d)) {
        Path period = Path.of(due.report().name(), due.period().label());
        Path local = home.resolve("reports").resolve(period);
        ReportPeriodWriter.Manifest manifest = ReportPeriodWriter.readManifest(local);
        List<String> csvs = manifest.files().stream().map(ReportPeriodWriter.FileEntry::path).filter(p -> p.endsWith(".csv")).toList();
        assertThat(csvs).as("CSV tables of %s", period).isNotEmpty();
        for (String csv : csvs) {
          assertThat(local.resolve(csv)).as("%s/%s against the clean run", period, csv)
              .hasSameTextualContentAs(dir.resolve("clean/reports").resolve(period).resolve(csv));
        }
        for (ReportPeriodWriter.FileEntry f : manifest.files()) {
          assertThat(home.resolve("s3/parklake-reports").resolve(period).resolve(f.path()))
              .as("s3 object %s/%s", period, f.path()).hasSameBinaryContentAs(local.resolve(f.path()));
        }
        assertThat(home.resolve("s3/parklake-reports").resolve(period).resolve(ReportPeriodWriter.MANIFEST))
            .hasSameBinaryContentAs(local.resolve(ReportPeriodWriter.MANIFEST));
        reports++;
      }
    }
    assertThat(reports).isGreaterThanOrEqualTo(2);

    // What the kills left: FAILED (abandoned) executions that blocked nothing; no batch pending, no lock or lease held.
    assertThat(strings(source, "SELECT status FROM parklake.batch_job_execution ORDER BY job_execution_id"))
        .containsExactly("FAILED", "FAILED", "FAILED", "FAILED", "FAILED", "COMPLETED", "COMPLETED");
    assertThat(strings(source, "SELECT job_execution_id::text FROM parklake.run_lease")).isEmpty();
    assertThat(strings(source, "SELECT source_table FROM parklake.extraction_batch WHERE status = 'PENDING'")).isEmpty();
    assertThat(strings(source, "SELECT objid::text FROM pg_locks WHERE locktype = 'advisory'"
        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).isEmpty();
    assertThat(strings(source, "SELECT tablename FROM pg_tables WHERE schemaname = 'mart_staging'")).isEmpty();
  }

  private static Map<String, String> env(Path home, DatabaseAddress source) {
    return Map.of("PARKLAKE_HOME", home.toString(), "PARKLAKE_SOURCE_URL", source.url(), "PARKLAKE_SOURCE_USER", source.user(),
        "PARKLAKE_SOURCE_PASSWORD", source.password());
  }

  /** The latest rejected version of each quarantined key that silver does not hold (the Reconciler's rule). */
  private static Dataset<Row> rejectedLatest(SparkSession spark, LakeLayout lake, SourceTable t) {
    Dataset<Row> silver = spark.read().format("delta").load(lake.silver(t.tableName()));
    return spark.read().format("delta").load(lake.path(LakeLayout.Layer.QUARANTINE, t.tableName()))
        .withColumn("_rank", functions.row_number().over(Window.partitionBy("id")
            .orderBy(col(t.changeColumn()).desc(), col(TableExtractor.ROW_HASH).desc())))
        .where(col("_rank").equalTo(1))
        .join(silver.select(col("id").as("_silver_id")), col("id").equalTo(col("_silver_id")), "left_anti");
  }

  private static BigDecimal sum(Dataset<Row> rows, String column) {
    BigDecimal s = rows.agg(functions.sum(column)).first().getDecimal(0);
    return s == null ? BigDecimal.ZERO : s;
  }

  private static List<String> rows(Dataset<Row> table) {
    return table.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static String first(Set<String> keys) {
    return keys.stream().limit(3).toList().toString();
  }

  private static List<String> strings(DatabaseAddress db, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  private static void printKillTable(List<Child> runs) {
    StringBuilder t = new StringBuilder("\nkill -9 moments and outcomes\n");
    t.append(String.format("%-3s %-28s %-7s %-5s %s%n", "run", "moment", "at s", "exit",
        "killed on / last line the child wrote / what the next run did"));
    for (int i = 0; i < runs.size(); i++) {
      Child r = runs.get(i);
      if (r.trigger == null) {
        t.append(String.format("%-3d %-28s %-7s %-5d ran to the end in %.1f s: %s%n", r.number,
            i == runs.size() - 1 ? "nightly of the next date" : "restart to the end", "-", r.exitCode,
            r.seconds, r.whatItDid()));
        continue;
      }
      t.append(String.format("%-3d %-28s %-7.1f %-5d killed on: %s%n", r.number, MOMENTS.get(i).name(), r.triggerSeconds,
          r.exitCode, message(r.trigger)));
      t.append(String.format("%-46s last:      %s%n", "", message(r.lastLine())));
      t.append(String.format("%-46s next run:  %s%n", "", i + 1 < runs.size() ? runs.get(i + 1).whatItDid() : "-"));
    }
    System.out.print(t);
  }

  /** A log line without its time stamp and level. */
  private static String message(String line) {
    return line == null ? "" : line.replaceFirst("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ +\\w+ +", "");
  }

  /** One {@code parklake} command in its own JVM, with the test JVM's flags and classpath, SIGKILLed on its first stderr line matching a pattern (also used by ArchiveKillNineIT). */
  static final class Child {
    final int number;
    final Process process;
    final long startNanos = System.nanoTime();
    final Pattern killOn;
    final List<String> err = Collections.synchronizedList(new ArrayList<>());
    final List<String> out = Collections.synchronizedList(new ArrayList<>());
    final Thread errReader;
    final Thread outReader;
    volatile String trigger;
    volatile double triggerSeconds;
    int exitCode;
    double seconds;

    private Child(int number, Process process, Pattern killOn, Path logFile) {
      this.number = number;
      this.process = process;
      this.killOn = killOn;
      this.errReader = reader(process.getErrorStream(), err, logFile);
      this.outReader = reader(process.getInputStream(), out, null);
    }

    static Child start(int number, Path workDir, Map<String, String> env, Pattern killOn, String... args) throws IOException {
      // The test JVM runs with the flags Spark needs (failsafe's argLine: pom.xml's spark.jvm.flags); the child
      // gets the application's own logging, not the log4j2-test.xml of the warehouse test-jar on this classpath.
      List<String> command = ParkLakeJvm.command(List.of("-Dlog4j2.configurationFile=log4j2.xml"), List.of(args));
      ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("PARKLAKE_"));
      pb.environment().putAll(env);
      System.out.printf("[run %d] parklake %s%n", number, String.join(" ", args));
      return new Child(number, pb.start(), killOn, workDir.resolve("run-" + number + ".log"));
    }

    /** Reads one of the child's streams line by line; the stderr one (with a log file) watches for the kill line. */
    private Thread reader(InputStream stream, List<String> lines, Path logFile) {
      boolean watch = logFile != null;
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            java.io.Writer file = watch ? Files.newBufferedWriter(logFile) : java.io.Writer.nullWriter()) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            lines.add(line);
            file.write(line + "\n");
            file.flush();
            System.out.printf("[run %d%s] %s%n", number, watch ? "" : " stdout", line);
            if (watch && killOn != null && trigger == null && killOn.matcher(line).find()) {
              triggerSeconds = (System.nanoTime() - startNanos) / 1e9;
              trigger = line;
              // On Linux, destroyForcibly() is kill(pid, SIGKILL); the exit code 137 proves it. Through the
              // handle, unlike Process.destroyForcibly(), the pipes stay open: what the child wrote before
              // it died is still read.
              process.toHandle().destroyForcibly();
            }
          }
        } catch (IOException e) {
          lines.add("(reading the child's output failed: " + e + ")");
        }
      }, "kill-nine-run-" + number + (watch ? "-stderr" : "-stdout"));
      t.setDaemon(true);
      t.start();
      return t;
    }

    void finish() throws InterruptedException, IOException {
      if (!process.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        // What it was doing, for whoever reads the failure.
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(process.pid()),
            "Thread.print").inheritIO().start().waitFor(1, TimeUnit.MINUTES);
        process.destroyForcibly().waitFor();
        throw new AssertionError("run " + number + " did not end within " + CHILD_TIMEOUT_MINUTES + " minutes; last lines:\n" + tail());
      }
      exitCode = process.exitValue();
      seconds = (System.nanoTime() - startNanos) / 1e9;
      errReader.join();
      outReader.join();
    }

    String lastLine() {
      synchronized (err) {
        return err.isEmpty() ? null : err.get(err.size() - 1);
      }
    }

    String tail() {
      synchronized (err) {
        return String.join("\n", err.subList(Math.max(0, err.size() - 15), err.size()));
      }
    }

    /** What this run did about what the one before left, read from its log. */
    String whatItDid() {
      List<String> did = new ArrayList<>();
      List<String> lines;
      synchronized (err) {
        lines = new ArrayList<>(err);
      }
      Pattern resumed = Pattern.compile("extract (\\w+): batch (\\d+) resumed");
      Map<String, String> resumedBatches = new LinkedHashMap<>();
      for (String l : lines) {
        Matcher m = resumed.matcher(l);
        if (m.find()) {
          resumedBatches.put(m.group(1), m.group(2));
        }
      }
      resumedBatches.forEach((table, batch) -> did.add("resumed pending batch " + batch + " of " + table));
      lines.stream().filter(l -> l.contains("staging table(s) left by an earlier publish")).map(KillNineIT::message)
          .forEach(did::add);
      List<String> steps = lines.stream().filter(l -> l.contains("Executing step: [")).map(l -> l.replaceFirst(".*\\[(.*)\\].*", "$1"))
          .toList();
      if (!steps.isEmpty()) {
        did.add("steps started: " + String.join(" ", steps.stream().map(s -> s.replaceFirst("^nightly\\.", "")).toList()));
      }
      did.add(count(lines, "TableExtractor - extract \\w+: read ") + " table(s) committed");
      did.add(count(lines, "Marts - mart \\w+: ") + " mart(s) refreshed");
      did.add(count(lines, "MartPublisher - published mart ") + " published");
      List<String> rendered = lines.stream().filter(l -> l.matches(".*ReportRenderer - report \\S+ \\S+: \\d+ files in .*"))
          .map(l -> l.replaceFirst(".*ReportRenderer - report (\\S+ \\S+):.*", "$1")).toList();
      did.add("reports rendered " + rendered);
      synchronized (out) {
        out.stream().filter(l -> l.startsWith("nightly ")).map(l -> l.replaceFirst(" in [0-9.]+ s", "")).forEach(did::add);
      }
      return String.join("; ", did);
    }

    private static long count(List<String> lines, String regex) {
      Pattern p = Pattern.compile(regex);
      return lines.stream().filter(l -> p.matcher(l).find()).count();
    }
  }
}
