package io.parklake.jobs.benchmark;

import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.archive.ArchivePolicy;
import io.parklake.pipelines.archive.ArchiveUnit;
import io.parklake.pipelines.extract.ExtractStats;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.source.SourceTable;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.postgresql.PGConnection;
import org.springframework.batch.core.JobExecution;

/**
 * {@code parklake benchmark archive}: one year of audit logs (the table seed 001 expects 50M+ rows of a
 * year at 500 facilities; ~10M here) in the embedded source, aged past the audit-log policy's one year,
 * extracted into the lake, then the real {@code archive} job run over them: each month written to the
 * archive bucket (Parquet of the current rows and every version, CSV, manifest, catalogue index),
 * verified by reading every object back and against the source, and purged from the lake. Timed
 * against {@code COPY (FORMAT binary)} of the same rows, the floor of reading them at all.
 */
public final class ArchiveBenchmark {

  /** What the command prints. */
  public record Result(long rows, YearMonth firstMonth, YearMonth lastMonth, double insertSeconds, double extractSeconds,
      double copySeconds, double archiveSeconds, double writeSeconds, double advanceSeconds, int units, long archivedRows,
      String status, String failure) {

    public double ratio() {
      return archiveSeconds / copySeconds;
    }
  }

  private final ParkLakeRuntime rt;
  private final JobRunner runner;
  private final PrintStream progress;

  public ArchiveBenchmark(ParkLakeRuntime rt, JobRunner runner, PrintStream progress) {
    this.rt = rt;
    this.runner = runner;
    this.progress = progress;
  }

  /**
   * On a source whose users are seeded and an empty lake: adds {@code rows} audit logs spread evenly
   * over the twelve months before the audit-log policy's first kept month on {@code asOf} (so that the
   * policy finds all twelve due), extracts them, times COPY of them and the archive job.
   */
  public Result run(long rows, LocalDate asOf) throws Exception {
    ArchivePolicy policy = rt.settings().archive().policies().get(SourceTable.AUDIT_LOGS);
    YearMonth kept = policy.firstKeptMonth(asOf);
    YearMonth first = kept.minusMonths(12);
    YearMonth last = kept.minusMonths(1);
    DatabaseAddress db = rt.source();

    long t0 = System.nanoTime();
    insertAuditLogs(db, rows, first, last.plusMonths(1));
    double insertSeconds = seconds(t0);
    progress.printf("source: %,d audit logs %s..%s added in %.1f s%n", rows, first, last, insertSeconds);

    t0 = System.nanoTime();
    List<ExtractStats> extracted = rt.extraction().extract(List.of(SourceTable.AUDIT_LOGS), Duration.ofHours(1), "benchmark-archive");
    double extractSeconds = seconds(t0);
    progress.printf("lake: %,d audit log rows extracted in %.1f s%n", extracted.stream().mapToLong(ExtractStats::read).sum(),
        extractSeconds);

    Instant cutoff = kept.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    double copySeconds = copyBinary(db, "(SELECT * FROM audit_logs WHERE created_at < '" + cutoff + "')");
    progress.printf("COPY (FORMAT binary) of the due rows: %.1f s%n", copySeconds);

    progress.printf("archive %s: every month before %s (policy age %s, %s)...%n", asOf, kept, policy.age(), policy.storageClass());
    Instant started = Instant.now();
    t0 = System.nanoTime();
    JobExecution run = runner.run("archive", asOf);
    double archiveSeconds = seconds(t0);
    String failure = JobRunner.failure(run);

    Instant lastWritten = started;
    int units = 0;
    long archived = 0;
    for (ArchiveUnit u : rt.archiveCatalog().units(SourceTable.AUDIT_LOGS.tableName(), null, null)) {
      units++;
      archived += u.rows();
    }
    try (Connection c = rt.meta().open();
        PreparedStatement s = c.prepareStatement("SELECT max(written_at) FROM parklake.archive_unit WHERE table_name = 'audit_logs'")) {
      try (ResultSet r = s.executeQuery()) {
        if (r.next() && r.getTimestamp(1) != null) {
          lastWritten = r.getTimestamp(1).toInstant();
        }
      }
    }
    double writeSeconds = Math.min(archiveSeconds, Duration.between(started, lastWritten).toMillis() / 1e3);
    return new Result(rows, first, last, insertSeconds, extractSeconds, copySeconds, archiveSeconds, writeSeconds,
        archiveSeconds - writeSeconds, units, archived, run.getStatus().toString(), failure);
  }

  /**
   * {@code rows} audit logs of the seeded users, their times spread evenly over {@code from..to}
   * (exclusive), in chunks of a million so that progress shows.
   */
  private void insertAuditLogs(DatabaseAddress db, long rows, YearMonth from, YearMonth toExclusive) throws Exception {
    Instant start = from.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    long spanSeconds = Duration.between(start, toExclusive.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()).getSeconds();
    long chunk = 1_000_000;
    try (Connection c = db.open(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS pg_temp.benchmark_users");
      s.execute("CREATE TEMP TABLE benchmark_users AS SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM users");
      for (long done = 0; done < rows; done += chunk) {
        long upTo = Math.min(rows, done + chunk);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO audit_logs (id, user_id, action, resource_type, resource_id,"
            + " details, created_at) SELECT gen_random_uuid(), u.ids[1 + (g * 7919) % u.n],"
            + " (ARRAY['BOOKING_CREATED','PAYMENT_SUCCEEDED','LOGIN','PROFILE_UPDATED','PAYMENT_REFUNDED'])[1 + g % 5],"
            + " CASE WHEN g % 5 IN (0, 1, 4) THEN 'payment' ELSE 'user' END, gen_random_uuid(), '{\"source\": \"benchmark\"}',"
            + " ?::timestamptz + make_interval(secs => (g - 1)::float8 * ? / ?) FROM benchmark_users u, generate_series(?, ?) g")) {
          p.setTimestamp(1, Timestamp.from(start));
          p.setLong(2, spanSeconds);
          p.setLong(3, rows);
          p.setLong(4, done + 1);
          p.setLong(5, upTo);
          p.executeUpdate();
        }
        progress.printf("  %,d of %,d audit logs inserted%n", upTo, rows);
      }
      s.execute("ANALYZE audit_logs");
    }
  }

  /** Seconds of COPY (FORMAT binary) of {@code relation} to nowhere. */
  static double copyBinary(DatabaseAddress db, String relation) throws Exception {
    OutputStream sink = OutputStream.nullOutputStream();
    try (Connection c = db.open()) {
      long t0 = System.nanoTime();
      c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + relation + " TO STDOUT (FORMAT binary)", sink);
      return Math.max(1e-3, seconds(t0));
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  public static void print(Result r, PrintStream out) {
    out.println();
    out.printf("audit logs %s..%s: %,d rows in the source and the lake; %d unit(s), %,d row(s) archived; run %s%n",
        r.firstMonth(), r.lastMonth(), r.rows(), r.units(), r.archivedRows(), r.status());
    if (!r.failure().isEmpty()) {
      out.println("failure: " + r.failure());
    }
    String fmt = "%-52s %10s %14s%n";
    out.printf(fmt, "", "seconds", "rows/s");
    out.printf(fmt, "COPY (FORMAT binary) of the due rows", String.format("%.1f", r.copySeconds()),
        String.format("%,.0f", r.archivedRows() / r.copySeconds()));
    out.printf(fmt, "archive job: write, verify, purge the lake", String.format("%.1f", r.archiveSeconds()),
        String.format("%,.0f", r.archivedRows() / r.archiveSeconds()));
    out.printf(fmt, "  of which writing (objects, manifests, catalogue)", String.format("%.1f", r.writeSeconds()), "");
    out.printf(fmt, "  of which verifying and purging", String.format("%.1f", r.advanceSeconds()), "");
    out.printf("archive / COPY: %.1f× (aim: within 3×)%n", r.ratio());
    out.printf("(not timed against COPY: inserting the rows %.1f s, extracting them into the lake %.1f s)%n", r.insertSeconds(),
        r.extractSeconds());
  }
}
