package io.parklake.pipelines.extract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.parklake.pipelines.extract.ExtractionLedger.Batch;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.quality.QualityRule;
import io.parklake.warehouse.quality.QualityRules;
import io.parklake.warehouse.source.SourceTable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts one source table's change window into the lake, exactly once:
 *
 * <ol>
 *   <li>open (or resume) a batch {@code (low, high]} in the ledger;
 *   <li>read the changed row versions, evaluate the quarantine rules, collapse duplicate camera
 *       detections;
 *   <li>append versions new to bronze, one Delta commit tagged with the batch id (a retried batch is
 *       recognised and skipped by Delta);
 *   <li>append rejected versions to quarantine, likewise;
 *   <li>MERGE the latest clean version of each key into silver (latest change time wins, ties
 *       broken by a hash of the row), deleting a key whose latest version was rejected; dimensions
 *       also close and open versions in their history;
 *   <li>commit the batch and move the watermark in one metadata transaction.
 * </ol>
 *
 * A run that dies anywhere leaves a PENDING batch that the next run resumes with the same window:
 * every step above is idempotent, so the lake converges to the same content.
 */
public final class TableExtractor {
  private static final Logger log = LoggerFactory.getLogger(TableExtractor.class);

  public static final String ROW_HASH = "_row_hash";
  public static final String RUN_ID = "_run_id";
  public static final String BATCH_ID = "_batch_id";
  public static final String INGESTED_AT = "_ingested_at";
  public static final String OPERATION = "_op";
  /** Two detections of one track by one camera, same direction, closer than this are one detection. */
  public static final Duration DUPLICATE_WINDOW = Duration.ofSeconds(10);

  private final SparkSession spark;
  private final DatabaseAddress source;
  private final LakeLayout lake;
  private final ExtractionLedger ledger;
  private final FaultInjector faults;

  public TableExtractor(SparkSession spark, DatabaseAddress source, LakeLayout lake, ExtractionLedger ledger,
      FaultInjector faults) {
    this.spark = spark;
    this.source = source;
    this.lake = lake;
    this.ledger = ledger;
    this.faults = faults;
  }

  public ExtractStats extract(SourceTable table, Instant sourceNow, Duration lookBack, String runId) throws Exception {
    long t0 = System.nanoTime();
    Batch batch = ledger.openOrResume(table, sourceNow, lookBack, runId);
    String name = table.tableName();
    log.info("extract {}: batch {} {}({} .. {}]", name, batch.id(), batch.resumed() ? "resumed " : "",
        batch.low() == null ? "-inf" : batch.low(), batch.high());
    faults.reached("open:" + name);
    if (!batch.resumed() && !anyChanges(table, batch) && DeltaTables.exists(spark, lake.silver(name))) {
      return nothingChanged(table, batch, t0);
    }

    Instant now = batch.high().plus(Duration.ofMinutes(5));
    SourceRead source = read(table, batch);
    Dataset<Row> rows = source.rows();
    if (table.isFact()) {
      rows = rows.withColumn(SourceTable.BUSINESS_DATE, functions.to_date(col(SourceTable.BUSINESS_DATE)));
    }
    rows = rows.withColumn(ROW_HASH, rowHash(table));
    rows = QualityRules.evaluate(rows, table, now);
    rows = QualityRules.dropFlags(rows);
    if (table == SourceTable.PARKING_EVENTS) {
      rows = flagDuplicateDetections(rows);
    }
    // A large read is gathered by business date once, while reading: a first load then writes bronze
    // and silver from these partitions as they are, without shuffling every row again for each layer.
    rows = byDate(rows.withColumn(RUN_ID, lit(batch.runId())).withColumn(BATCH_ID, lit(batch.id())),
        table.isFact() && source.ranges())
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long read = rows.count();
      log.info("extract {}: {} row versions read and checked in {} s", name, read,
          String.format("%.1f", (System.nanoTime() - t0) / 1e9));
      faults.reached("read:" + name);
      Dataset<Row> rejected = rows.where(functions.size(col(QualityRules.RULES)).gt(0));
      Map<String, Long> byRule = countByRule(rejected);
      long quarantined = rejected.count();
      long collapsed = byRule.getOrDefault(QualityRule.DUPLICATE_DETECTION.reason(), 0L);

      long written = appendBronze(table, batch, rows, read, source.ranges());
      log.info("extract {}: {} new versions in bronze at {} s", name, written, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
      faults.reached("bronze:" + name);
      TreeSet<LocalDate> affected = new TreeSet<>();
      // Versions all seen by earlier committed batches (a look-back re-read) are in the lake already;
      // a resumed batch may have died before silver, so it always goes on.
      boolean anythingNew = written > 0 || batch.resumed() || !DeltaTables.exists(spark, lake.silver(name));
      if (anythingNew) {
        appendQuarantine(table, batch, rejected, quarantined);
        faults.reached("quarantine:" + name);
        affected = mergeSilver(table, rows, read, source.ranges(), batch.resumed());
        faults.reached("silver:" + name);
        if (!table.isFact()) {
          DimensionHistory.update(spark, lake, table, rows.where(functions.size(col(QualityRules.RULES)).equalTo(0)));
          faults.reached("history:" + name);
        }
      }
      ExtractStats stats = new ExtractStats(name, read, written, quarantined, collapsed, byRule, affected, batch.high(),
          (System.nanoTime() - t0) / 1e9);
      faults.reached("watermark:" + name);
      ledger.commit(batch, stats);
      faults.reached("committed:" + name);
      log.info("extract {}", stats.summary());
      return stats;
    } finally {
      rows.unpersist();
    }
  }

  /** Whether the source holds any row version in the batch's window (one query, no Spark). */
  private boolean anyChanges(SourceTable table, Batch batch) throws java.sql.SQLException {
    try (java.sql.Connection c = source.open();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet r = s.executeQuery(SourceQueries.anyChanges(table, batch.low(), batch.high()))) {
      r.next();
      return r.getBoolean(1);
    }
  }

  /**
   * A batch whose window holds no row version: no Spark job, no lake commit, only the watermark moves.
   * It passes the same points as a batch that read rows and found none new.
   */
  private ExtractStats nothingChanged(SourceTable table, Batch batch, long t0) throws Exception {
    String name = table.tableName();
    faults.reached("read:" + name);
    faults.reached("bronze:" + name);
    ExtractStats stats = new ExtractStats(name, 0, 0, 0, 0, Map.of(), new TreeSet<>(), batch.high(), (System.nanoTime() - t0) / 1e9);
    faults.reached("watermark:" + name);
    ledger.commit(batch, stats);
    faults.reached("committed:" + name);
    log.info("extract {}: nothing changed in the window ({})", name, stats.summary());
    return stats;
  }

  /**
   * Rows per JDBC range read; smaller batches are read in one go. {@code -Dparklake.extract.rowsPerRange}
   * overrides it (tests use it to take the ranged path on small sources).
   */
  static final String ROWS_PER_RANGE_PROPERTY = "parklake.extract.rowsPerRange";

  static long rowsPerRange() {
    return Long.getLong(ROWS_PER_RANGE_PROPERTY, 250_000L);
  }

  /** A batch's rows as read from the source, and whether they came from several concurrent range scans. */
  private record SourceRead(Dataset<Row> rows, boolean ranges) {}

  /**
   * The batch's rows from the source: one query, or for a large window (the initial load, a long
   * outage) several concurrent range scans over the change column, sized from the server's estimate.
   */
  private SourceRead read(SourceTable table, Batch batch) throws java.sql.SQLException {
    String query = SourceQueries.changes(table, batch.low(), batch.high());
    String change = table.changeColumn();
    try (java.sql.Connection c = source.open();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet r = s.executeQuery("SELECT reltuples::bigint, (SELECT min(" + change + ") FROM " + table.tableName()
            + ") FROM pg_class WHERE oid = '" + table.tableName() + "'::regclass")) {
      r.next();
      long estimate = r.getLong(1);
      java.sql.Timestamp min = r.getTimestamp(2);
      int partitions = (int) Math.min(2L * Runtime.getRuntime().availableProcessors() * 2, estimate / rowsPerRange());
      if (batch.low() != null || min == null || partitions < 2) {
        return new SourceRead(SourceReader.read(spark, source, query), false);
      }
      log.info("extract {}: reading ~{} rows in {} concurrent ranges of {}", table.tableName(), estimate, partitions, change);
      return new SourceRead(SourceReader.readInRanges(spark, source, query, change, min.toInstant(), batch.high(), partitions),
          true);
    }
  }

  /** A deterministic hash of the row's source columns, the tie-break between equal change times. */
  private static Column rowHash(SourceTable table) {
    List<Column> cols = new ArrayList<>();
    for (String name : table.columnNames()) {
      cols.add(col(name));
    }
    return functions.sha2(functions.to_json(functions.struct(cols.toArray(Column[]::new))), 256);
  }

  /**
   * Marks a camera detection as a duplicate when the same camera saw the same track in the same
   * direction less than {@link #DUPLICATE_WINDOW} before, looking at this batch and at the accepted
   * detections around its dates already in silver.
   */
  private Dataset<Row> flagDuplicateDetections(Dataset<Row> rows) {
    String[] group = {"camera_id", "track_id", "direction"};
    Dataset<Row> mine = rows.select(col("id"), col("camera_id"), col("track_id"), col("direction"), col("event_time"),
        lit(true).as("_mine"));
    Dataset<Row> candidates = mine;
    String silverPath = lake.silver(SourceTable.PARKING_EVENTS.tableName());
    if (DeltaTables.exists(spark, silverPath)) {
      List<LocalDate> dates = distinctDates(rows);
      if (!dates.isEmpty()) {
        Dataset<Row> near = DeltaTables.read(spark, silverPath)
            .where(col(SourceTable.BUSINESS_DATE).between(lit(dates.get(0).minusDays(1)), lit(dates.get(dates.size() - 1).plusDays(1))))
            .join(mine.select(group[0], group[1], group[2]).distinct(), scala(group), "left_semi")
            .join(mine.select("id"), scala("id"), "left_anti")
            .select(col("id"), col("camera_id"), col("track_id"), col("direction"), col("event_time"), lit(false).as("_mine"));
        candidates = mine.unionByName(near);
      }
    }
    Column previous = functions.lag(col("event_time"), 1).over(
        Window.partitionBy(group[0], group[1], group[2]).orderBy(col("event_time"), col("id")));
    Dataset<Row> duplicates = candidates
        .withColumn("_previous", previous)
        .where(col("_mine").and(col("_previous").isNotNull())
            .and(col("event_time").cast("double").minus(col("_previous").cast("double")).leq(DUPLICATE_WINDOW.toSeconds())))
        .select(col("id"), lit(true).as("_duplicate"));
    return rows.join(duplicates, scala("id"), "left_outer")
        .withColumn(QualityRules.RULES, functions.when(col("_duplicate"),
            functions.array_union(col(QualityRules.RULES), functions.array(lit(QualityRule.DUPLICATE_DETECTION.reason()))))
            .otherwise(col(QualityRules.RULES)))
        .drop("_duplicate");
  }

  private long appendBronze(SourceTable table, Batch batch, Dataset<Row> rows, long read, boolean ranged) {
    String path = lake.bronze(table.tableName());
    Dataset<Row> versions = rows.withColumn(OPERATION, lit("UPSERT")).withColumn(INGESTED_AT, functions.current_timestamp());
    String change = table.changeColumn();
    if (!DeltaTables.exists(spark, path)) {
      // The first load: every version is new (and a ranged read is gathered by date already).
      write(versions, path, table.isFact(), table.isFact() && !ranged, "parklake-bronze-" + table.tableName(), batch.id());
      return read;
    }
    // Versions re-read inside the look-back are already in bronze: keep each (key, change time) once.
    Dataset<Row> known = DeltaTables.read(spark, path);
    if (table.isFact()) {
      List<LocalDate> dates = distinctDates(rows);
      known = known.where(col(SourceTable.BUSINESS_DATE).isin(dates.toArray()).or(col(SourceTable.BUSINESS_DATE).isNull()));
    }
    known = known.where(col(OPERATION).equalTo("UPSERT")).select(col("id"), col(change)).distinct();
    versions = versions.join(known, scala("id", change), "left_anti");
    versions = versions.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long n = versions.count();
      if (n > 0) {
        write(versions, path, table.isFact(), table.isFact(), "parklake-bronze-" + table.tableName(), batch.id());
      }
      return n;
    } finally {
      versions.unpersist();
    }
  }

  private void appendQuarantine(SourceTable table, Batch batch, Dataset<Row> rejected, long quarantined) {
    String path = lake.path(LakeLayout.Layer.QUARANTINE, table.tableName());
    if (quarantined == 0 && DeltaTables.exists(spark, path)) {
      return; // nothing rejected: no read of the quarantine, no commit
    }
    Dataset<Row> rows = rejected.withColumn("_quarantined_at", functions.current_timestamp());
    if (DeltaTables.exists(spark, path)) {
      rows = rows.join(DeltaTables.read(spark, path).select(col("id"), col(table.changeColumn())).distinct(),
          scala("id", table.changeColumn()), "left_anti");
    }
    if (!rows.isEmpty() || !DeltaTables.exists(spark, path)) {
      write(rows, path, false, false, "parklake-quarantine-" + table.tableName(), batch.id());
    }
  }

  /** One Delta append, recognised by (appId, version) so that a resumed batch never appends twice. */
  private static void write(Dataset<Row> rows, String path, boolean partitioned, boolean gather, String appId, long version) {
    log.info("extract: appending batch {} to {} (Delta txnAppId {}, txnVersion {})", version, path, appId, version);
    var writer = byDate(rows, gather).write().format("delta").mode("append").option("txnAppId", appId)
        .option("txnVersion", version);
    if (partitioned) {
      writer = writer.partitionBy(SourceTable.BUSINESS_DATE);
    }
    writer.save(path);
  }

  /**
   * Gathers each business date into one task before a partitioned write: otherwise every task
   * writes a small file into every date it holds (a year of dates times the tasks).
   */
  static Dataset<Row> byDate(Dataset<Row> rows, boolean partitioned) {
    return partitioned ? rows.repartition(col(SourceTable.BUSINESS_DATE)) : rows;
  }

  /** Merges the batch into silver; returns the business dates whose silver rows may have changed. */
  private TreeSet<LocalDate> mergeSilver(SourceTable table, Dataset<Row> rows, long read, boolean ranged, boolean resumed) {
    String path = lake.silver(table.tableName());
    String change = table.changeColumn();
    // One query sees each key once. Concurrent range reads are separate transactions: a key that
    // changed between them can come twice, and only then are whole rows ranked (counting the keys
    // shuffles the keys alone).
    boolean repeatedKeys = ranged && rows.select("id").distinct().count() < read;
    Dataset<Row> latest = repeatedKeys
        ? rows.withColumn("_rank", functions.row_number().over(
                Window.partitionBy("id").orderBy(col(change).desc(), col(ROW_HASH).desc())))
            .where(col("_rank").equalTo(1))
            .drop("_rank", BATCH_ID)
        : rows.drop(BATCH_ID);
    List<String> silverColumns = new ArrayList<>(List.of(latest.drop(QualityRules.RULES).columns()));
    TreeSet<LocalDate> affected = new TreeSet<>(table.isFact() ? distinctDates(latest) : List.of());

    if (!DeltaTables.exists(spark, path)) {
      Dataset<Row> clean = latest.where(functions.size(col(QualityRules.RULES)).equalTo(0)).drop(QualityRules.RULES);
      var writer = byDate(clean, table.isFact() && (repeatedKeys || !ranged)).write().format("delta").mode("append");
      if (table.isFact()) {
        writer = writer.partitionBy(SourceTable.BUSINESS_DATE);
      }
      writer.save(path);
      return affected;
    }

    DeltaTable silver = DeltaTable.forPath(spark, path);
    // Only versions silver does not hold already are changes: rows the look-back re-read unchanged
    // touch no date, so marts downstream recompute what really changed, not the whole look-back. A
    // resumed batch may have merged before it died, with its dates never handed on: it reports all.
    Dataset<Row> held = silver.toDF();
    if (table.isFact() && !resumed) {
      // A version silver holds already sits on the same business date: look only at the batch's dates.
      held = held.where(col(SourceTable.BUSINESS_DATE).isin(affected.toArray()));
    }
    Dataset<Row> current = held.select(col("id").as("_cur_id"), col(change).as("_cur_change"),
        col(ROW_HASH).as("_cur_hash"));
    Dataset<Row> changed = (resumed ? latest : latest.join(current, latest.col("id").equalTo(current.col("_cur_id"))
            .and(latest.col(change).equalTo(current.col("_cur_change")))
            .and(latest.col(ROW_HASH).equalTo(current.col("_cur_hash"))), "left_anti"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return mergeChanged(table, silver, changed, silverColumns);
    } finally {
      changed.unpersist();
    }
  }

  private TreeSet<LocalDate> mergeChanged(SourceTable table, DeltaTable silver, Dataset<Row> latest, List<String> silverColumns) {
    String change = table.changeColumn();
    TreeSet<LocalDate> affected = new TreeSet<>(table.isFact() ? distinctDates(latest) : List.of());
    if (latest.isEmpty()) {
      return affected;
    }
    String condition = "t.id = s.id";
    if (table.isFact()) {
      // Where the batch's keys live now: a changed row may leave its old business date.
      Dataset<Row> existing = silver.toDF().select(col("id"), col(SourceTable.BUSINESS_DATE))
          .join(latest.select("id"), scala("id"), "left_semi");
      affected.addAll(distinctDates(existing));
      if (affected.isEmpty()) {
        return affected;
      }
      List<String> literals = new ArrayList<>();
      for (LocalDate d : affected) {
        literals.add("DATE'" + d + "'");
      }
      condition += " AND t." + SourceTable.BUSINESS_DATE + " IN (" + String.join(", ", literals) + ")";
    }
    Map<String, String> assignments = new LinkedHashMap<>();
    for (String c : silverColumns) {
      assignments.put(c, "s." + c);
    }
    String newer = "(s." + change + " > t." + change + " OR (s." + change + " = t." + change + " AND s." + ROW_HASH + " > t."
        + ROW_HASH + "))";
    String clean = "size(s." + QualityRules.RULES + ") = 0";
    var merge = silver.as("t").merge(latest.as("s"), condition);
    if (!table.appendOnly()) {
      merge = merge.whenMatched(newer + " AND NOT " + clean).delete()
          .whenMatched(newer + " AND " + clean).updateExpr(assignments);
    }
    merge.whenNotMatched(clean).insertExpr(assignments).execute();
    return affected;
  }

  private static Map<String, Long> countByRule(Dataset<Row> rejected) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row r : rejected.select(functions.explode(col(QualityRules.RULES)).as("rule")).groupBy("rule").count().collectAsList()) {
      counts.put(r.getString(0), r.getLong(1));
    }
    return counts;
  }

  static List<LocalDate> distinctDates(Dataset<Row> rows) {
    List<LocalDate> dates = new ArrayList<>();
    for (Row r : rows.select(SourceTable.BUSINESS_DATE).where(col(SourceTable.BUSINESS_DATE).isNotNull()).distinct()
        .collectAsList()) {
      dates.add(r.getAs(0));
    }
    dates.sort(null);
    return dates;
  }

  static scala.collection.immutable.Seq<String> scala(String... columns) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(columns)).toList();
  }
}
