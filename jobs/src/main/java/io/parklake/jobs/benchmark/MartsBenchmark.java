package io.parklake.jobs.benchmark;

import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.UserError;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.extract.ExtractStats;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Marts;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SourceTable;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;

/**
 * {@code parklake benchmark marts}: every gold mart rebuilt in Spark, the same answers recomputed by
 * DuckDB from the same Parquet files (the single-machine reference, checked equal once per run), then
 * one new day added to the source and the nightly's extraction and incremental mart refresh timed.
 */
public final class MartsBenchmark {
  /** Relative tolerance for DOUBLE columns (ratios, percentiles): summation order differs between engines. */
  private static final double DOUBLE_TOLERANCE = 1e-9;

  /** One mart's figures; null seconds where that engine or phase did not run it. */
  public record MartFigures(String mart, long rows, double sparkFull, Double duckDbFull, Double sparkIncremental,
      Check check) {}

  /** The outcome of comparing Spark's gold table with DuckDB's: row count and column sums. */
  public record Check(Status status, String detail) {
    public enum Status { SAME, DIFFERENT, NO_REFERENCE }

    public String symbol() {
      return switch (status) {
        case SAME -> "✓";
        case DIFFERENT -> "✗ " + detail;
        case NO_REFERENCE -> "no DuckDB reference";
      };
    }
  }

  /** The new day of the nightly phase: rows added to the source, extraction and mart seconds. */
  public record Nightly(LocalDate day, long sourceRows, long extracted, double extractSeconds, double martsSeconds) {}

  /** Everything the command prints. Totals are wall-clock of each phase (they include date discovery and view setup). */
  public record Result(LocalDate asOf, Map<String, Long> silverRows, List<MartFigures> marts, double sparkFullSeconds,
      double duckDbFullSeconds, int duckDbThreads, Nightly nightly) {

    public boolean allSame() {
      return marts.stream().noneMatch(m -> m.check().status() == Check.Status.DIFFERENT);
    }
  }

  private final ParkLakeRuntime rt;
  private final PrintStream progress;

  public MartsBenchmark(ParkLakeRuntime rt, PrintStream progress) {
    this.rt = rt;
    this.progress = progress;
  }

  /** Fails naming PARKLAKE_HOME when the home holds no extracted lake. */
  public static void requireLake(ParkLakeSettings settings) {
    Path silver = settings.lakeDir().resolve("silver");
    for (String table : List.of("bookings", "payments", "facilities")) {
      if (!Files.isDirectory(silver.resolve(table).resolve("_delta_log"))) {
        throw new UserError(ParkLakeSettings.HOME, "no silver lake under " + settings.home() + " (missing " + silver.resolve(table)
            + "); build one first with: PARKLAKE_HOME=" + settings.home() + " ./parklake benchmark extract");
      }
    }
  }

  public Result run(boolean nightly) throws Exception {
    SparkSession spark = rt.spark();
    LakeLayout lake = rt.lake();
    // As text: Delta answers max() of a partition column from its log, as a java.sql.Date, not the session's LocalDate.
    LocalDate asOf = LocalDate.parse(DeltaTables.read(spark, lake.silver("bookings"))
        .agg(functions.max("business_date").cast("string")).first().getString(0));
    Map<String, Long> silverRows = new LinkedHashMap<>();
    for (String t : DuckDbMarts.silverInputs()) {
      silverRows.put(t, DeltaTables.read(spark, lake.silver(t)).count());
    }
    progress.printf("as of %s; silver rows %s%n", asOf, silverRows);

    progress.println("Spark: full rebuild of every mart...");
    long t0 = System.nanoTime();
    List<Marts.Refreshed> full = Marts.rebuild(new MartContext(spark, lake, asOf), m -> true);
    double sparkFull = seconds(t0);

    progress.println("DuckDB: full recompute on the same Parquet files...");
    Map<String, Double> duck = new LinkedHashMap<>();
    Map<String, Check> checks = new LinkedHashMap<>();
    Path dbFile = rt.settings().home().resolve("work").resolve("benchmark-marts.duckdb");
    Files.createDirectories(dbFile.getParent());
    Files.deleteIfExists(dbFile);
    Files.deleteIfExists(Path.of(dbFile + ".wal"));
    int threads = Runtime.getRuntime().availableProcessors();
    double duckFull;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dbFile); Statement s = c.createStatement()) {
      // The same cores as local[*] and a memory cap like the JVM's heap: a like-for-like single machine.
      s.execute("SET threads = " + threads);
      s.execute("SET memory_limit = '4GB'");
      s.execute("SET TimeZone = 'UTC'");
      s.execute("SET temp_directory = '" + dbFile.getParent().resolve("duckdb-tmp") + "'");
      // Resolving the snapshot's files is Delta's job (Spark's log replay), not part of either engine's compute.
      Map<String, List<String>> files = new LinkedHashMap<>();
      for (String t : DuckDbMarts.silverInputs()) {
        files.put(t, currentFiles(spark, lake.silver(t)));
      }
      t0 = System.nanoTime();
      for (String macro : DuckDbMarts.macros()) {
        s.execute(macro);
      }
      for (var e : files.entrySet()) {
        s.execute(view(e.getKey(), e.getValue()));
      }
      for (Mart mart : Marts.all()) {
        var sql = DuckDbMarts.select(mart.name(), asOf);
        if (sql.isEmpty()) {
          continue;
        }
        long m0 = System.nanoTime();
        s.execute("CREATE TABLE " + mart.name() + " AS " + sql.get());
        duck.put(mart.name(), seconds(m0));
      }
      duckFull = seconds(t0);
      for (Mart mart : Marts.all()) {
        checks.put(mart.name(), duck.containsKey(mart.name()) ? compare(spark, lake.gold(mart.name()), c, mart.name())
            : new Check(Check.Status.NO_REFERENCE, ""));
      }
    }

    Nightly night = null;
    Map<String, Double> incremental = new HashMap<>();
    if (nightly) {
      LocalDate day = asOf.plusDays(1);
      progress.printf("nightly: adding %s (a copy of %s) to the source...%n", day, asOf);
      long added = addDay(rt.source(), asOf);
      t0 = System.nanoTime();
      List<ExtractStats> stats = rt.extraction().extract(List.of(SourceTable.values()),
          rt.settings().extraction().lookBack(), "benchmark-nightly-" + day);
      double extractSeconds = seconds(t0);
      Map<String, Set<LocalDate>> changed = new HashMap<>();
      stats.forEach(st -> changed.put(st.table(), st.affectedDates()));
      progress.println("nightly: refreshing the marts for the changed dates...");
      t0 = System.nanoTime();
      List<Marts.Refreshed> refreshed = Marts.refreshChanged(new MartContext(spark, lake, day), changed, List.of(day), m -> true);
      double martsSeconds = seconds(t0);
      refreshed.forEach(r -> incremental.put(r.mart(), r.seconds()));
      night = new Nightly(day, added, stats.stream().mapToLong(ExtractStats::read).sum(), extractSeconds, martsSeconds);
    }

    List<MartFigures> figures = new ArrayList<>();
    for (Marts.Refreshed r : full) {
      figures.add(new MartFigures(r.mart(), r.rows(), r.seconds(), duck.get(r.mart()), incremental.get(r.mart()),
          checks.get(r.mart())));
    }
    return new Result(asOf, silverRows, figures, sparkFull, duckFull, threads, night);
  }

  /** The Parquet files of the table's current Delta snapshot, as local paths. */
  static List<String> currentFiles(SparkSession spark, String path) {
    List<String> out = new ArrayList<>();
    for (String f : DeltaTables.read(spark, path).inputFiles()) {
      out.add(f.startsWith("file:") ? Path.of(URI.create(f)).toString() : f);
    }
    return out;
  }

  /** A DuckDB view over exactly those files; {@code business_date} comes from the partition folder, typed DATE. */
  static String view(String name, List<String> files) {
    String list = files.stream().map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(", "));
    boolean partitioned = files.stream().anyMatch(f -> f.contains("/business_date="));
    return "CREATE OR REPLACE VIEW " + name + " AS SELECT * "
        + (partitioned ? "REPLACE (CAST(business_date AS DATE) AS business_date) " : "")
        + "FROM read_parquet([" + list + "], hive_partitioning = " + partitioned + ")";
  }

  /** Row count and the sum of every numeric column of Spark's gold table against DuckDB's table of the same name. */
  static Check compare(SparkSession spark, String goldPath, Connection duck, String table) {
    Dataset<Row> gold = DeltaTables.read(spark, goldPath);
    List<StructField> numeric = new ArrayList<>();
    for (StructField f : gold.schema().fields()) {
      if (f.dataType() instanceof DecimalType || f.dataType() instanceof IntegerType || f.dataType() instanceof LongType
          || f.dataType() instanceof ShortType || f.dataType() instanceof ByteType || f.dataType() instanceof DoubleType
          || f.dataType() instanceof FloatType) {
        numeric.add(f);
      }
    }
    List<Column> aggs = new ArrayList<>();
    numeric.forEach(f -> aggs.add(functions.sum(functions.col(f.name()))));
    Row spark0 = gold.agg(functions.count(functions.lit(1)), aggs.toArray(new Column[0])).first();
    String sql = "SELECT count(*)" + numeric.stream().map(f -> ", sum(\"" + f.name() + "\")").collect(Collectors.joining())
        + " FROM " + table;
    List<String> diffs = new ArrayList<>();
    try (Statement s = duck.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      if (spark0.getLong(0) != r.getLong(1)) {
        diffs.add("rows " + spark0.getLong(0) + " vs " + r.getLong(1));
      }
      for (int i = 0; i < numeric.size(); i++) {
        String name = numeric.get(i).name();
        Object sv = spark0.get(i + 1);
        String dv = r.getString(i + 2);
        if (sv == null || dv == null) {
          if (sv != dv && !(sv == null && dv == null)) {
            diffs.add(name + " " + sv + " vs " + dv);
          }
        } else if (numeric.get(i).dataType() instanceof DoubleType || numeric.get(i).dataType() instanceof FloatType) {
          double a = ((Number) sv).doubleValue();
          double b = Double.parseDouble(dv);
          if (Math.abs(a - b) > DOUBLE_TOLERANCE * Math.max(1, Math.max(Math.abs(a), Math.abs(b)))) {
            diffs.add(name + " " + a + " vs " + b);
          }
        } else if (new BigDecimal(sv.toString()).compareTo(new BigDecimal(dv)) != 0) {
          diffs.add(name + " " + sv + " vs " + dv);
        }
      }
    } catch (SQLException e) {
      diffs.add("DuckDB: " + e.getMessage().lines().findFirst().orElse(""));
    }
    return diffs.isEmpty() ? new Check(Check.Status.SAME, "rows and sums of " + numeric.size() + " numeric columns")
        : new Check(Check.Status.DIFFERENT, String.join("; ", diffs));
  }

  /**
   * Copies the bookings, violations, payments and camera events of local day {@code last} one day
   * later, with new ids (references between the copies follow them) and {@code updated_at = now()}.
   * A shifted time that would lie in the future is clamped to a second ago: on a lake seeded today the
   * new day is today, and the extraction quarantines future timestamps ({@code timestamp_in_future}).
   * Returns the rows added.
   */
  static long addDay(DatabaseAddress source, LocalDate last) throws SQLException {
    String day = "DATE '" + last + "'";
    String tag = last.plusDays(1).toString().replace("-", "");
    try (Connection c = source.open(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("CREATE TEMP TABLE bm_bookings ON COMMIT DROP AS SELECT b.id AS old_id, gen_random_uuid() AS new_id "
          + "FROM bookings b JOIN facilities f ON f.id = b.facility_id WHERE (b.entry_time AT TIME ZONE f.timezone)::date = " + day);
      s.execute("CREATE TEMP TABLE bm_violations ON COMMIT DROP AS SELECT v.id AS old_id, gen_random_uuid() AS new_id "
          + "FROM violations v JOIN facilities f ON f.id = v.facility_id WHERE (v.violation_time AT TIME ZONE f.timezone)::date = " + day);
      s.execute("CREATE TEMP TABLE bm_payments ON COMMIT DROP AS SELECT p.id AS old_id, gen_random_uuid() AS new_id "
          + "FROM payments p JOIN facilities f ON f.id = p.facility_id "
          + "WHERE (coalesce(p.paid_at, p.created_at) AT TIME ZONE f.timezone)::date = " + day);
      long n = s.executeUpdate("INSERT INTO bookings SELECT m.new_id, b.user_id, b.vehicle_id, b.spot_id, b.facility_id, "
          + "left('N' || b.ticket_number, 32), b.booking_type, b.status, " + shift("b.entry_time") + ", "
          + "b.expected_exit + interval '1 day', " + shift("b.actual_exit") + ", b.estimated_price, b.final_price, "
          + "coalesce(pm.new_id, b.payment_id), " + shift("b.created_at") + ", now() "
          + "FROM bookings b JOIN bm_bookings m ON m.old_id = b.id LEFT JOIN bm_payments pm ON pm.old_id = b.payment_id");
      n += s.executeUpdate("INSERT INTO violations SELECT m.new_id, v.user_id, v.vehicle_id, v.facility_id, "
          + "coalesce(bm.new_id, v.booking_id), v.violation_type, v.penalty_amount, v.status, " + shift("v.violation_time") + ", "
          + shift("v.resolved_at") + ", " + shift("v.created_at") + ", now() "
          + "FROM violations v JOIN bm_violations m ON m.old_id = v.id LEFT JOIN bm_bookings bm ON bm.old_id = v.booking_id");
      n += s.executeUpdate("INSERT INTO payments SELECT m.new_id, p.user_id, p.facility_id, coalesce(bm.new_id, p.booking_id), "
          + "coalesce(vm.new_id, p.violation_id), p.user_subscription_id, p.kind, p.amount, p.currency, p.provider, p.status, "
          + "left('N' || p.provider_txn_id, 64), " + shift("p.paid_at") + ", " + shift("p.created_at") + ", now() "
          + "FROM payments p JOIN bm_payments m ON m.old_id = p.id LEFT JOIN bm_bookings bm ON bm.old_id = p.booking_id "
          + "LEFT JOIN bm_violations vm ON vm.old_id = p.violation_id");
      n += s.executeUpdate("INSERT INTO parking_events SELECT (SELECT max(id) FROM parking_events) + row_number() OVER (ORDER BY e.id), "
          + "e.camera_id, e.facility_id, e.zone_id, left(e.track_id, 54) || '-n" + tag + "', e.plate_number, e.vehicle_type, "
          + "e.direction, e.confidence, " + shift("e.event_time") + ", now() "
          + "FROM parking_events e JOIN facilities f ON f.id = e.facility_id WHERE (e.event_time AT TIME ZONE f.timezone)::date = " + day
          + " ON CONFLICT DO NOTHING");
      c.commit();
      return n;
    }
  }

  private static String shift(String column) {
    return "(CASE WHEN " + column + " IS NULL THEN NULL ELSE least(" + column + " + interval '1 day', now() - interval '1 second') END)";
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** The figures as the table the command prints. */
  public static void print(Result r, PrintStream out) {
    out.println();
    out.printf("marts as of %s; DuckDB %s, %d threads; silver rows %s%n", r.asOf(), duckDbVersion(), r.duckDbThreads(),
        r.silverRows());
    String fmt = "%-26s %12s %13s %14s %7s %18s  %s%n";
    out.printf(fmt, "mart", "rows", "Spark full s", "DuckDB full s", "ratio", "Spark incremental s", "check");
    double sparkSum = 0;
    double duckSum = 0;
    double sparkCovered = 0;
    for (MartFigures m : r.marts()) {
      sparkSum += m.sparkFull();
      if (m.duckDbFull() != null) {
        duckSum += m.duckDbFull();
        sparkCovered += m.sparkFull();
      }
      out.printf(fmt, m.mart(), String.format("%,d", m.rows()), s(m.sparkFull()), s(m.duckDbFull()),
          m.duckDbFull() == null ? "—" : String.format("%.1f×", m.sparkFull() / Math.max(m.duckDbFull(), 1e-3)),
          s(m.sparkIncremental()), m.check().symbol());
    }
    out.printf(fmt, "sum of marts", "", s(sparkSum), s(duckSum), duckSum == 0 ? "—" : String.format("%.1f×", sparkCovered / duckSum),
        r.nightly() == null ? "—" : s(r.marts().stream().mapToDouble(m -> m.sparkIncremental() == null ? 0 : m.sparkIncremental()).sum()),
        "");
    out.printf(fmt, "total (wall-clock)", "", s(r.sparkFullSeconds()), s(r.duckDbFullSeconds()),
        String.format("%.1f×", r.sparkFullSeconds() / Math.max(r.duckDbFullSeconds(), 1e-3)),
        r.nightly() == null ? "—" : s(r.nightly().martsSeconds()), r.allSame() ? "all ✓" : "DIFFERENT ANSWERS");
    out.println("(ratio on the sum row: Spark over DuckDB for the marts both compute; wall-clock totals include Spark's"
        + " date discovery and DuckDB's view setup)");
    if (r.nightly() != null) {
      Nightly n = r.nightly();
      out.printf("%nnightly for %s: %,d rows added to the source; extraction %.1f s (%,d row versions read), marts %.1f s,"
          + " together %.1f s%n", n.day(), n.sourceRows(), n.extractSeconds(), n.extracted(), n.martsSeconds(),
          n.extractSeconds() + n.martsSeconds());
    }
    out.println();
    // Like for like: Spark's time on the marts DuckDB also computes; the all-marts wall-clock is shown beside it.
    long covered = r.marts().stream().filter(m -> m.duckDbFull() != null).count();
    boolean fullMet = sparkCovered <= 2 * duckSum;
    out.printf("aim: full rebuild within 2× DuckDB's full recompute: %s (the %d marts both compute: %.1f s vs 2 × %.1f s;"
        + " all %d marts in Spark: %.1f s)%n", fullMet ? "met" : "not met", covered, sparkCovered, duckSum, r.marts().size(),
        r.sparkFullSeconds());
    if (r.nightly() != null) {
      Nightly n = r.nightly();
      out.printf("aim: incremental nightly (marts) faster than DuckDB's full recompute: %s (%.1f s vs %.1f s;"
          + " with the extraction %.1f s: %s)%n", n.martsSeconds() < r.duckDbFullSeconds() ? "met" : "not met", n.martsSeconds(),
          r.duckDbFullSeconds(), n.extractSeconds() + n.martsSeconds(),
          n.extractSeconds() + n.martsSeconds() < r.duckDbFullSeconds() ? "met" : "not met");
      double incrementalCovered = r.marts().stream().filter(m -> m.duckDbFull() != null && m.sparkIncremental() != null)
          .mapToDouble(MartFigures::sparkIncremental).sum();
      out.printf("     on the %d marts both compute: %s (%.1f s of incremental marts vs DuckDB's %.1f s)%n", covered,
          incrementalCovered < duckSum ? "met" : "not met", incrementalCovered, duckSum);
    } else {
      out.println("aim: incremental nightly faster than DuckDB's full recompute: not measured (--no-nightly)");
    }
    if (!r.allSame()) {
      out.println("WARNING: Spark and DuckDB disagree on a mart (✗ above); the timings compare different answers.");
    }
  }

  /** The figures as one JSON object. */
  public static String json(Result r) {
    StringBuilder b = new StringBuilder("{");
    b.append("\"as_of\":\"").append(r.asOf()).append("\",\"duckdb_version\":\"").append(duckDbVersion())
        .append("\",\"duckdb_threads\":").append(r.duckDbThreads()).append(",\"silver_rows\":{");
    b.append(r.silverRows().entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue()).collect(Collectors.joining(",")));
    b.append("},\"marts\":[");
    List<String> rows = new ArrayList<>();
    for (MartFigures m : r.marts()) {
      rows.add("{\"mart\":\"" + m.mart() + "\",\"rows\":" + m.rows() + ",\"spark_full_s\":" + num(m.sparkFull())
          + ",\"duckdb_full_s\":" + num(m.duckDbFull()) + ",\"spark_incremental_s\":" + num(m.sparkIncremental())
          + ",\"check\":\"" + m.check().status().name().toLowerCase(Locale.ROOT) + "\",\"check_detail\":\""
          + m.check().detail().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
    b.append(String.join(",", rows)).append("],\"spark_full_s\":").append(num(r.sparkFullSeconds()))
        .append(",\"duckdb_full_s\":").append(num(r.duckDbFullSeconds()));
    if (r.nightly() != null) {
      Nightly n = r.nightly();
      b.append(",\"nightly\":{\"day\":\"").append(n.day()).append("\",\"source_rows_added\":").append(n.sourceRows())
          .append(",\"row_versions_read\":").append(n.extracted()).append(",\"extract_s\":").append(num(n.extractSeconds()))
          .append(",\"marts_s\":").append(num(n.martsSeconds())).append("}");
    }
    b.append(",\"aim_full_within_2x\":").append(r.sparkFullSeconds() <= 2 * r.duckDbFullSeconds());
    if (r.nightly() != null) {
      b.append(",\"aim_incremental_faster\":").append(r.nightly().martsSeconds() < r.duckDbFullSeconds());
    }
    b.append(",\"all_checks_same\":").append(r.allSame()).append("}");
    return b.toString();
  }

  private static String s(Double seconds) {
    return seconds == null ? "—" : String.format("%.2f", seconds);
  }

  private static String num(Double v) {
    return v == null ? "null" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String duckDbVersion() {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT version()")) {
      r.next();
      return r.getString(1);
    } catch (SQLException e) {
      return "?";
    }
  }
}
