package io.parklake.pipelines.archive;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.parklake.pipelines.archive.ArchiveCatalog.IndexedRow;
import io.parklake.pipelines.archive.ArchiveManifest.ObjectEntry;
import io.parklake.pipelines.archive.ArchiveUnit.Status;
import io.parklake.pipelines.extract.FaultInjector;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SourceTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Moves a table's aged rows to the archive bucket, one unit (table x month) at a time, through the
 * states of {@link ArchiveUnit.Status}: written (the current rows from silver and every version of
 * those keys from bronze as Parquet, the current rows as CSV, a manifest chained to the previous
 * one, catalogued with a row index), verified (every object read back, its SHA-256, row count and
 * money sums equal to what was archived, and the source's unchanged rows equal to the archived
 * ones), purged from the lake (silver and bronze, Delta deletes of exactly the archived versions),
 * and, only where the policy says so, purged from the source in chunks of keys still unchanged.
 * Rows under a legal hold are archived but never purged. Every state is reached again safely by a
 * rerun: a unit resumes where it stopped.
 */
public final class Archiver {
  private static final Logger log = LoggerFactory.getLogger(Archiver.class);
  /** Source rows deleted per transaction when a policy purges the source. */
  public static final int SOURCE_CHUNK = 1000;
  static final String AGING = "_aging_date";
  /** Timestamps in the CSV objects keep their offset, to the microsecond. */
  private static final String CSV_TIMESTAMPS = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";

  private final SparkSession spark;
  private final DatabaseAddress source;
  private final LakeLayout lake;
  private final ArchiveCatalog catalog;
  private final ArchiveBucket bucket;
  private final Path work;
  private final FaultInjector faults;
  private final Tier restoreTier;

  public Archiver(SparkSession spark, DatabaseAddress source, LakeLayout lake, ArchiveCatalog catalog, ArchiveBucket bucket,
      Path work, FaultInjector faults, Tier restoreTier) {
    this.spark = spark;
    this.source = source;
    this.lake = lake;
    this.catalog = catalog;
    this.bucket = bucket;
    this.work = work;
    this.faults = faults;
    this.restoreTier = restoreTier;
  }

  /** Thrown when an archived object or the source disagrees with the catalogue: the unit is not verified. */
  public static final class IntegrityException extends IOException {
    public IntegrityException(String message) {
      super(message);
    }
  }

  /** Silver's rows of the policy's table that are due on {@code asOf} and not archived already, with their aging date. */
  private Dataset<Row> candidates(ArchivePolicy policy, LocalDate asOf) throws Exception {
    String table = policy.table().tableName();
    DeltaTables.read(spark, lake.silver(table)).createOrReplaceTempView("archive_t");
    StringBuilder sql = new StringBuilder("SELECT t.*, ").append(policy.agingDate()).append(" AS ").append(AGING)
        .append(" FROM archive_t t");
    if (policy.needsFacility()) {
      DeltaTables.read(spark, lake.silver(SourceTable.FACILITIES.tableName())).createOrReplaceTempView("archive_f");
      sql.append(" LEFT JOIN archive_f f ON t.facility_id = f.id");
    }
    sql.append(" WHERE ").append(policy.agingDate()).append(" < DATE'").append(policy.firstKeptMonth(asOf).atDay(1)).append("'");
    if (policy.rowFilter() != null) {
      sql.append(" AND (").append(policy.rowFilter()).append(")");
    }
    Dataset<Row> rows = spark.sql(sql.toString());
    List<String> kept = catalog.archivedButKept(table);
    if (!kept.isEmpty()) {
      Dataset<Row> keys = spark.createDataset(kept, Encoders.STRING()).toDF("_kept_id");
      rows = rows.join(keys, col("id").cast("string").equalTo(col("_kept_id")), "left_anti");
    }
    return rows;
  }

  /**
   * Stages every due month of {@code policy}'s table at once (see {@link ArchiveStage}): the due rows
   * of silver, their versions from one scan of bronze, their CSV and index rows, each written once
   * partitioned by month, and each month's counts, sums and key range from one aggregation.
   */
  public ArchiveStage stage(ArchivePolicy policy, LocalDate asOf) throws Exception {
    SourceTable t = policy.table();
    String table = t.tableName();
    Path dir = work.resolve("stage").resolve(table);
    deleteTree(dir);
    Files.createDirectories(dir);
    if (!DeltaTables.exists(spark, lake.silver(table))) {
      return new ArchiveStage(dir, new StructType(), Map.of());
    }
    String month = ArchiveStage.MONTH;
    Dataset<Row> due = candidates(policy, asOf).withColumn(month, functions.date_format(col(AGING), "yyyy-MM")).drop(AGING);
    StructType schema = due.schema();
    byMonth(due, dir, "current", "parquet");
    // Read back with the schema written, so that the month stays a string (not a guessed type).
    Dataset<Row> staged = spark.read().schema(schema).parquet(dir.resolve("current").toString());
    Dataset<Row> keys = staged.select(col("id").cast("string").as("_key"), col(month));
    Dataset<Row> versions = DeltaTables.read(spark, lake.bronze(table))
        .join(keys, col("id").cast("string").equalTo(col("_key")), "inner").drop("_key");
    StructType versionSchema = versions.schema();
    byMonth(versions, dir, "versions", "parquet");
    byMonth(staged, dir, "csv", "csv");
    byMonth(indexFrame(staged, t), dir, "index", "parquet");

    List<org.apache.spark.sql.Column> aggs = new ArrayList<>(List.of(functions.count(functions.lit(1)).as("_rows"),
        functions.min(col("id").cast("string")).as("_key_min"), functions.max(col("id").cast("string")).as("_key_max")));
    for (String m : t.moneyColumns()) {
      aggs.add(functions.coalesce(functions.sum(m), functions.lit(BigDecimal.ZERO)).as(m));
    }
    Map<String, Long> versionCounts = new HashMap<>();
    for (Row r : spark.read().schema(versionSchema).parquet(dir.resolve("versions").toString()).groupBy(month).count()
        .collectAsList()) {
      versionCounts.put(r.getString(0), r.getLong(1));
    }
    Map<YearMonth, ArchiveStage.MonthStats> months = new TreeMap<>();
    for (Row r : staged.groupBy(month).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(org.apache.spark.sql.Column[]::new))
        .collectAsList()) {
      Map<String, BigDecimal> money = new LinkedHashMap<>();
      for (String m : t.moneyColumns()) {
        money.put(m, ((BigDecimal) r.getAs(m)).setScale(2));
      }
      String m = r.getString(0);
      months.put(YearMonth.parse(m), new ArchiveStage.MonthStats(r.getLong(1), versionCounts.getOrDefault(m, 0L), money,
          r.getString(2), r.getString(3)));
    }
    return new ArchiveStage(dir, schema, months);
  }

  /** Deletes what {@link #stage} left on disk (the months written were moved out of it). */
  public void discard(ArchiveStage stage) throws IOException {
    deleteTree(stage.dir());
  }

  /** Writes {@code rows} under {@code dir/kind}, one file per month (each month's rows go to one task). */
  private static void byMonth(Dataset<Row> rows, Path dir, String kind, String format) {
    var writer = rows.repartition(col(ArchiveStage.MONTH)).write().mode("overwrite").partitionBy(ArchiveStage.MONTH).format(format);
    if (format.equals("csv")) {
      writer = writer.option("header", "true").option("timestampFormat", CSV_TIMESTAMPS);
    }
    writer.save(dir.resolve(kind).toString());
  }

  /**
   * Writes the unit of {@code month} from {@code stage}: objects, manifest, catalogue. Empty when
   * nothing of that month is due. The unit is WRITTEN; {@link #advance} takes it on.
   */
  public Optional<ArchiveUnit> write(ArchivePolicy policy, ArchiveStage stage, YearMonth month, String runId) throws Exception {
    SourceTable t = policy.table();
    String table = t.tableName();
    ArchiveStage.MonthStats stats = stage.months().get(month);
    if (stats == null || stats.rows() == 0) {
      return Optional.empty();
    }
    int part = catalog.nextPart(table, month);
    String unitId = ArchiveUnit.id(table, month, part);
    Path dir = work.resolve(unitId.replace('/', '_'));
    deleteTree(dir);
    Files.createDirectories(dir);
    Path currentParquet = Files.move(stage.file("current", month), dir.resolve("current.parquet"));
    Path versionsParquet = Files.move(stage.file("versions", month), dir.resolve("versions.parquet"));
    Path csv = Files.move(stage.file("csv", month), dir.resolve("current.csv"));
    Instant now = Instant.now();
    Instant retainUntil = policy.lockRetention().map(p -> now.atZone(ZoneOffset.UTC).plus(p).toInstant()).orElse(null);

    List<ObjectEntry> objects = new ArrayList<>();
    objects.add(upload(policy, unitId, currentParquet, stats.rows(), retainUntil));
    objects.add(upload(policy, unitId, versionsParquet, stats.versions(), retainUntil));
    objects.add(upload(policy, unitId, csv, stats.rows(), retainUntil));
    faults.reached("archive:uploaded:" + unitId);

    Optional<ArchiveCatalog.ChainHead> head = catalog.chainHead();
    long seq = head.map(h -> h.seq() + 1).orElse(1L);
    String previous = head.map(ArchiveCatalog.ChainHead::sha256).orElse(null);
    String manifestKey = unitId + "/manifest.json";
    ArchiveUnit draft = new ArchiveUnit(unitId, seq, table, month, part, Status.WRITTEN, stats.rows(), stats.versions(),
        stats.money(), stats.keyMin(), stats.keyMax(), policy.storageClass(), retainUntil, manifestKey, null, previous, runId);
    List<Map<String, String>> schema = new ArrayList<>();
    for (StructField f : stage.currentSchema().fields()) {
      if (!f.name().equals(ArchiveStage.MONTH)) {
        schema.add(Map.of("name", f.name(), "type", f.dataType().simpleString()));
      }
    }
    Path manifest = dir.resolve("manifest.json");
    Files.write(manifest, ArchiveManifest.write(draft, policy, schema, objects, now));
    String manifestSha = bucket.put(manifest, manifestKey, manifestClass(policy), Optional.ofNullable(retainUntil));
    ArchiveUnit unit = draft.withManifestSha256(manifestSha);

    catalog.insert(unit, objects, indexRows(spark.read().parquet(stage.file("index", month).toString())));
    deleteTree(dir);
    log.info("archive {}: {} row(s), {} version(s) written to s3://{}/{}/ ({})", unitId, stats.rows(), stats.versions(),
        bucket.name(), unitId, policy.storageClass());
    return Optional.of(unit);
  }

  /** Manifests stay online (STANDARD_IA) whatever the data's class: the chain is checked without a restore. */
  private static String manifestClass(ArchivePolicy policy) {
    String c = policy.storageClass();
    return c.startsWith("GLACIER") || c.equals("DEEP_ARCHIVE") ? "STANDARD_IA" : c;
  }

  private ObjectEntry upload(ArchivePolicy policy, String unitId, Path file, long rows, Instant retainUntil) throws IOException {
    String key = unitId + "/" + file.getFileName();
    String sha = bucket.put(file, key, policy.storageClass(), Optional.ofNullable(retainUntil));
    return new ObjectEntry(file.getFileName().toString(), key, sha, Files.size(file), rows);
  }

  /**
   * Writes {@code rows} as one file {@code dir/name}, Parquet or CSV with a header and timestamps with
   * their offset (Spark writes a folder of parts; its one part is kept).
   */
  static Path single(Dataset<Row> rows, Path dir, String name, String format) throws IOException {
    Path folder = dir.resolve(name + ".parts");
    var writer = rows.coalesce(1).write().mode("overwrite").format(format);
    if (format.equals("csv")) {
      writer = writer.option("header", "true").option("timestampFormat", CSV_TIMESTAMPS);
    }
    writer.save(folder.toString());
    Path part;
    try (Stream<Path> files = Files.list(folder)) {
      part = files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst()
          .orElseThrow(() -> new IOException("Spark wrote no part file under " + folder));
    }
    Path target = dir.resolve(name);
    Files.move(part, target);
    deleteTree(folder);
    return target;
  }

  private static Map<String, BigDecimal> sums(Dataset<Row> rows, SourceTable t) {
    Map<String, BigDecimal> money = new LinkedHashMap<>();
    if (t.moneyColumns().isEmpty()) {
      return money;
    }
    List<org.apache.spark.sql.Column> aggs = new ArrayList<>();
    for (String m : t.moneyColumns()) {
      aggs.add(functions.coalesce(functions.sum(m), functions.lit(BigDecimal.ZERO)).as(m));
    }
    Row r = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(org.apache.spark.sql.Column[]::new)).first();
    for (String m : t.moneyColumns()) {
      money.put(m, ((BigDecimal) r.getAs(m)).setScale(2));
    }
    return money;
  }

  /**
   * The index rows of the archived rows (key, date, change time, user, booking, plate through vehicles,
   * money), keeping the staging month.
   */
  private Dataset<Row> indexFrame(Dataset<Row> written, SourceTable t) {
    List<String> cols = List.of(written.columns());
    String change = t.changeColumn();
    String money = t.moneyColumns().isEmpty() ? null : t.moneyColumns().get(0);
    Dataset<Row> rows = written;
    boolean plates = cols.contains("vehicle_id") && DeltaTables.exists(spark, lake.silver(SourceTable.VEHICLES.tableName()));
    if (plates) {
      Dataset<Row> vehicles = DeltaTables.read(spark, lake.silver(SourceTable.VEHICLES.tableName()))
          .select(col("id").cast("string").as("_vehicle_id"), col("plate_number").as("_plate"));
      rows = rows.join(vehicles, col("vehicle_id").cast("string").equalTo(col("_vehicle_id")), "left");
    }
    org.apache.spark.sql.Column none = functions.lit(null).cast("string");
    return rows.select(
        col("id").cast("string").as("_key"),
        (cols.contains(SourceTable.BUSINESS_DATE) ? col(SourceTable.BUSINESS_DATE) : functions.lit(null).cast("date")).as("_date"),
        col(change).as("_change"),
        (cols.contains("user_id") ? col("user_id").cast("string") : none).as("_user"),
        (t == SourceTable.BOOKINGS ? col("id").cast("string") : cols.contains("booking_id") ? col("booking_id").cast("string") : none)
            .as("_booking"),
        (plates ? col("_plate") : cols.contains("plate_number") ? col("plate_number") : none).as("_plate_number"),
        (money == null ? functions.lit(null).cast("decimal(14,2)") : col(money)).as("_money"),
        col(ArchiveStage.MONTH));
  }

  /** Streams index rows written by {@link #indexFrame} (one month's file) to the driver. */
  private static Iterator<IndexedRow> indexRows(Dataset<Row> index) {
    Iterator<Row> it = index.toLocalIterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public IndexedRow next() {
        Row r = it.next();
        Object ch = r.get(2);
        return new IndexedRow(r.getString(0), r.isNullAt(1) ? null : r.getLocalDate(1),
            ch == null ? null : (Instant) ch, r.getString(3), r.getString(4), r.getString(5),
            r.isNullAt(6) ? null : r.getDecimal(6));
      }
    };
  }

  /**
   * Takes units of one table as far as their policy goes: verify (every object read back, the Parquet
   * objects of all units checked by one Spark job), purge the lake (one Delta delete per layer for all
   * verified units), and where the policy says so purge the source. Each unit's
   * state is recorded before the next begins; a unit that fails stays where it stopped, for a rerun
   * to resume, and the others go on. Returns the units that reached the end, and puts each failure
   * in {@code failed} by unit id.
   */
  public List<ArchiveUnit> advance(ArchivePolicy policy, List<ArchiveUnit> units, Map<String, Exception> failed) throws Exception {
    SourceTable t = policy.table();
    List<ArchiveUnit> verified = new ArrayList<>();
    List<ArchiveUnit> toVerify = new ArrayList<>();
    for (ArchiveUnit u : units) {
      (u.status() == Status.WRITTEN ? toVerify : verified).add(u);
    }
    Path dir = work.resolve("verify").resolve(t.tableName());
    try {
      Map<String, Exception> problems = new LinkedHashMap<>();
      fetchVerified(t, toVerify, dir, problems);
      for (ArchiveUnit u : toVerify) {
        try {
          Exception p = problems.get(u.unitId());
          if (p != null) {
            throw p;
          }
          long[] source = compareWithSource(t, u);
          catalog.setStatus(u.unitId(), Status.VERIFIED);
          log.info("archive {}: verified (objects read back; source rows {} equal, {} changed since, {} gone)", u.unitId(),
              source[0], source[1], source[2]);
          faults.reached("archive:verified:" + u.unitId());
          verified.add(catalog.unit(u.unitId()).orElseThrow());
        } catch (IntegrityException e) {
          if (e.getMessage().contains("the source holds")) {
            failed.put(u.unitId(), e);
          } else {
            // What was written is not what reads back: reject it (it stays in the chain as history), purge
            // nothing, and let the next run archive its rows again as a further part.
            catalog.reject(u.unitId(), e.getMessage());
            failed.put(u.unitId(), new IntegrityException("rejected, its rows stay and are archived again by the next run: "
                + e.getMessage()));
          }
        } catch (Exception e) {
          failed.put(u.unitId(), e);
        }
      }
    } finally {
      deleteTree(dir);
    }
    List<ArchiveUnit> purged = new ArrayList<>();
    List<ArchiveUnit> toPurge = new ArrayList<>();
    for (ArchiveUnit u : verified) {
      (u.status() == Status.VERIFIED ? toPurge : purged).add(u);
    }
    if (!toPurge.isEmpty()) {
      try {
        purgeLake(t, toPurge);
        for (ArchiveUnit u : toPurge) {
          catalog.setStatus(u.unitId(), Status.PURGED);
          purged.add(catalog.unit(u.unitId()).orElseThrow());
        }
      } catch (Exception e) {
        toPurge.forEach(u -> failed.put(u.unitId(), e));
      }
    }
    List<ArchiveUnit> done = new ArrayList<>();
    for (ArchiveUnit u : purged) {
      if (u.status() == Status.PURGED && policy.purgeSource()) {
        try {
          purgeSource(t, u);
          catalog.setStatus(u.unitId(), Status.SOURCE_PURGED);
          done.add(catalog.unit(u.unitId()).orElseThrow());
        } catch (Exception e) {
          failed.put(u.unitId(), e);
        }
      } else {
        done.add(u);
      }
    }
    return done;
  }

  /** What {@link #verify} found: each object checked and the source rows compared. */
  public record Verification(List<String> checked, long sourceRowsEqual, long sourceRowsChanged, long sourceRowsGone) {}

  /**
   * Reads every object of {@code u} back from the bucket and compares it with the catalogue: SHA-256,
   * row counts and money sums of the Parquet objects, the manifest's hash, objects and chain link; with
   * {@code againstSource}, also every source row of the unit's keys that is unchanged since (same
   * change time) must equal the archived one. Throws {@link IntegrityException} naming what differs.
   */
  public Verification verify(SourceTable t, ArchiveUnit u, boolean againstSource) throws Exception {
    Path dir = work.resolve("verify").resolve(u.unitId().replace('/', '_'));
    List<String> checked;
    try {
      checked = fetchVerified(t, u, dir);
    } finally {
      deleteTree(dir);
    }
    if (!againstSource) {
      return new Verification(checked, 0, 0, 0);
    }
    long[] outcome = compareWithSource(t, u);
    return new Verification(checked, outcome[0], outcome[1], outcome[2]);
  }

  /**
   * Downloads every object of {@code u} and its manifest into {@code dir} (which must be named
   * after the unit, {@code <table>_<month>_<part>}, as retrieval and verification name it) and checks them against the
   * catalogue (SHA-256; rows and money sums of the Parquet objects; the manifest's hash, position and
   * link to the previous manifest). Returns the object keys checked; throws naming the first that differs.
   */
  public List<String> fetchVerified(SourceTable t, ArchiveUnit u, Path dir) throws Exception {
    Map<String, Exception> problems = new LinkedHashMap<>();
    Map<String, List<String>> checked = fetchVerified(t, List.of(u), dir.getParent(), problems);
    if (problems.containsKey(u.unitId())) {
      throw problems.get(u.unitId());
    }
    return checked.get(u.unitId());
  }

  static String folder(ArchiveUnit u) {
    return u.unitId().replace('/', '_');
  }

  /**
   * {@link #fetchVerified(SourceTable, ArchiveUnit, Path)} for many units of one table: each unit's
   * objects under {@code dir/<table>_<month>_<part>} (emptied first), hashes and manifests checked one by one, the Parquet objects of
   * all of them counted and summed by one Spark job each for current rows and versions. A unit that
   * does not verify is put in {@code problems}; the others' checked keys are returned.
   */
  Map<String, List<String>> fetchVerified(SourceTable t, List<ArchiveUnit> units, Path dir, Map<String, Exception> problems)
      throws Exception {
    Map<String, List<String>> checked = new LinkedHashMap<>();
    Map<Path, ObjectEntry> current = new HashMap<>();
    Map<Path, ObjectEntry> versions = new HashMap<>();
    Map<Path, ArchiveUnit> owner = new HashMap<>();
    for (ArchiveUnit u : units) {
      Path unitDir = dir.resolve(folder(u));
      try {
        deleteTree(unitDir);
        List<String> keys = new ArrayList<>();
        List<ObjectEntry> objects = catalog.objects(u.unitId());
        for (ObjectEntry o : objects) {
          Path local = unitDir.resolve(o.name());
          String sha = bucket.get(o.key(), local, restoreTier);
          if (!sha.equals(o.sha256())) {
            throw new IntegrityException(url(o.key()) + ": SHA-256 " + sha + ", catalogue " + o.sha256() + " (the object was altered)");
          }
          if (o.name().endsWith(".parquet")) {
            (o.name().equals("current.parquet") ? current : versions).put(local.toAbsolutePath().normalize(), o);
            owner.put(local.toAbsolutePath().normalize(), u);
          }
          keys.add(o.key());
        }
        Path manifest = unitDir.resolve("manifest.json");
        String sha = bucket.get(u.manifestKey(), manifest, restoreTier);
        if (!sha.equals(u.manifestSha256())) {
          throw new IntegrityException(url(u.manifestKey()) + ": SHA-256 " + sha + ", catalogue " + u.manifestSha256()
              + " (the manifest was altered: the chain breaks at unit " + u.unitId() + ")");
        }
        ArchiveManifest.Parsed m = ArchiveManifest.parse(Files.readAllBytes(manifest));
        if (m.chainSeq() != u.chainSeq() || !java.util.Objects.equals(m.previousManifestSha256(), u.previousManifestSha256())
            || m.rows() != u.rows() || !new HashSet<>(m.objects()).equals(new HashSet<>(objects))) {
          throw new IntegrityException(url(u.manifestKey()) + " disagrees with the catalogue (position, link, rows or objects)");
        }
        keys.add(u.manifestKey());
        checked.put(u.unitId(), keys);
      } catch (Exception e) {
        problems.put(u.unitId(), e);
      }
    }
    checkParquet(t, current, owner, true, problems);
    checkParquet(t, versions, owner, false, problems);
    problems.keySet().forEach(checked::remove);
    return checked;
  }

  /** Counts (and for current rows sums) every file of {@code files} in one Spark job and compares with the catalogue. */
  private void checkParquet(SourceTable t, Map<Path, ObjectEntry> files, Map<Path, ArchiveUnit> owner, boolean withMoney,
      Map<String, Exception> problems) {
    Map<Path, ObjectEntry> todo = new HashMap<>(files);
    todo.keySet().removeIf(p -> problems.containsKey(owner.get(p).unitId()));
    if (todo.isEmpty()) {
      return;
    }
    List<org.apache.spark.sql.Column> aggs = new ArrayList<>();
    aggs.add(functions.count(functions.lit(1)).as("_rows"));
    if (withMoney) {
      for (String m : t.moneyColumns()) {
        aggs.add(functions.coalesce(functions.sum(m), functions.lit(BigDecimal.ZERO)).as(m));
      }
    }
    Map<Path, Row> stats = new HashMap<>();
    try {
      String[] paths = todo.keySet().stream().map(Path::toString).toArray(String[]::new);
      for (Row r : spark.read().option("mergeSchema", "true").parquet(paths).groupBy(functions.input_file_name().as("_file"))
          .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(org.apache.spark.sql.Column[]::new)).collectAsList()) {
        stats.put(Path.of(java.net.URI.create(r.getString(0))).toAbsolutePath().normalize(), r);
      }
    } catch (Exception e) {
      todo.keySet().forEach(p -> problems.put(owner.get(p).unitId(),
          new IntegrityException("cannot read back " + url(todo.get(p).key()) + ": " + e.getMessage())));
      return;
    }
    for (var e : todo.entrySet()) {
      ObjectEntry o = e.getValue();
      ArchiveUnit u = owner.get(e.getKey());
      Row r = stats.get(e.getKey());
      long n = r == null ? 0 : r.<Long>getAs("_rows");
      if (n != o.rows()) {
        problems.put(u.unitId(), new IntegrityException(url(o.key()) + ": " + n + " rows, catalogue " + o.rows()));
        continue;
      }
      if (withMoney) {
        Map<String, BigDecimal> sums = new LinkedHashMap<>();
        for (String m : t.moneyColumns()) {
          sums.put(m, r == null ? BigDecimal.ZERO.setScale(2) : ((BigDecimal) r.getAs(m)).setScale(2));
        }
        if (n != u.rows() || !sums.equals(u.money())) {
          problems.put(u.unitId(), new IntegrityException(url(o.key()) + ": " + n + " rows " + sums + ", unit " + u.rows()
              + " rows " + u.money()));
        }
      }
    }
  }

  private String url(String key) {
    return "s3://" + bucket.name() + "/" + key;
  }

  /** Source rows of the unit's keys: {equal, changed since, gone}; an unchanged row that differs fails. */
  private long[] compareWithSource(SourceTable t, ArchiveUnit u) throws Exception {
    Map<String, IndexedRow> archived = catalog.rows(u.unitId());
    if (archived.size() != u.rows()) {
      throw new IntegrityException("unit " + u.unitId() + ": the index holds " + archived.size() + " rows, the unit " + u.rows());
    }
    String money = t.moneyColumns().isEmpty() ? "NULL::numeric" : t.moneyColumns().get(0);
    long equal = 0;
    long changed = 0;
    List<String> keys = new ArrayList<>(archived.keySet());
    Set<String> seen = new HashSet<>();
    try (Connection c = source.open()) {
      c.setReadOnly(true);
      for (int i = 0; i < keys.size(); i += 10_000) {
        List<String> chunk = keys.subList(i, Math.min(keys.size(), i + 10_000));
        try (PreparedStatement s = c.prepareStatement("SELECT id::text, " + t.changeColumn() + ", " + money + " FROM "
            + t.tableName() + " WHERE id = ANY (?::uuid[])")) {
          s.setArray(1, c.createArrayOf("text", chunk.toArray()));
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              IndexedRow a = archived.get(r.getString(1));
              seen.add(r.getString(1));
              Instant ch = r.getTimestamp(2).toInstant();
              if (!ch.equals(a.changeTime())) {
                changed++;
                continue;
              }
              BigDecimal m = r.getBigDecimal(3);
              if (m == null ? a.money() != null : a.money() == null || m.compareTo(a.money()) != 0) {
                throw new IntegrityException(t.tableName() + " " + a.key() + ": the source holds " + m + " at the archived "
                    + t.changeColumn() + " " + ch + ", the archive " + a.money());
              }
              equal++;
            }
          }
        }
      }
    }
    return new long[] {equal, changed, keys.size() - seen.size()};
  }

  /**
   * Deletes the units' archived versions from silver and bronze (Delta deletes matching key and change
   * time, so a newer version extracted since stays), except rows an active hold covers: one delete per
   * layer for all of them. The keys are read by Spark from the catalogue, not held by the driver.
   */
  void purgeLake(SourceTable t, List<ArchiveUnit> units) throws Exception {
    Map<String, Integer> heldByUnit = new LinkedHashMap<>();
    for (ArchiveUnit u : units) {
      List<String> held = catalog.heldKeys(t.tableName(), u.unitId());
      catalog.flag(u.unitId(), "kept_by_hold", held);
      heldByUnit.put(u.unitId(), held.size());
    }
    List<String> ids = units.stream().map(ArchiveUnit::unitId).toList();
    Set<LocalDate> dates = catalog.purgeDates(ids);
    Dataset<Row> keys = io.parklake.pipelines.extract.SourceReader.read(spark, catalog.address(), ArchiveCatalog.purgeKeysQuery(ids))
        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      String change = t.changeColumn();
      String inDates = t.isFact() && !dates.isEmpty() ? " AND t." + SourceTable.BUSINESS_DATE + " IN (" + String.join(", ",
          dates.stream().map(d -> "DATE'" + d + "'").toList()) + ")" : "";
      DeltaTable.forPath(spark, lake.silver(t.tableName())).as("t")
          .merge(keys.as("k"), "CAST(t.id AS STRING) = k._key AND t." + change + " = k._change" + inDates)
          .whenMatched().delete()
          .execute();
      // Bronze: every version up to the archived one (the versions object holds them), tombstones too.
      DeltaTable.forPath(spark, lake.bronze(t.tableName())).as("t")
          .merge(keys.as("k"), "CAST(t.id AS STRING) = k._key AND (t." + change + " <= k._change OR t." + change + " IS NULL)"
              + inDates)
          .whenMatched().delete()
          .execute();
    } finally {
      keys.unpersist();
    }
    for (ArchiveUnit u : units) {
      int held = heldByUnit.get(u.unitId());
      log.info("archive {}: {} row(s) purged from the lake{}", u.unitId(), u.rows() - held,
          held == 0 ? "" : ", " + held + " kept by a legal hold");
    }
  }

  /**
   * Deletes the unit's rows from the source in chunks of {@link #SOURCE_CHUNK} keys, each in its own
   * transaction, and only rows whose change time is still the archived one; rows under a hold stay.
   */
  void purgeSource(SourceTable t, ArchiveUnit u) throws Exception {
    Map<String, IndexedRow> rows = catalog.rows(u.unitId());
    catalog.heldKeys(t.tableName(), u.unitId()).forEach(rows::remove);
    List<IndexedRow> todo = new ArrayList<>(rows.values());
    todo.sort(java.util.Comparator.comparing(IndexedRow::key));
    long deleted = 0;
    try (Connection c = source.open()) {
      c.setAutoCommit(false);
      for (int i = 0; i < todo.size(); i += SOURCE_CHUNK) {
        List<IndexedRow> chunk = todo.subList(i, Math.min(todo.size(), i + SOURCE_CHUNK));
        List<String> gone = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + t.tableName() + " t USING unnest(?::uuid[], "
            + "?::timestamptz[]) AS k(id, ch) WHERE t.id = k.id AND t." + t.changeColumn() + " = k.ch RETURNING t.id::text")) {
          s.setArray(1, c.createArrayOf("text", chunk.stream().map(IndexedRow::key).toArray()));
          s.setArray(2, c.createArrayOf("timestamptz", chunk.stream().map(r -> Timestamp.from(r.changeTime())).toArray()));
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              gone.add(r.getString(1));
            }
          }
        }
        c.commit();
        catalog.flag(u.unitId(), "source_purged", gone);
        deleted += gone.size();
        log.info("archive {}: source chunk {}: {} row(s) deleted", u.unitId(), i / SOURCE_CHUNK + 1, gone.size());
        faults.reached("archive:source-chunk:" + u.unitId() + ":" + (i / SOURCE_CHUNK + 1));
      }
    }
    log.info("archive {}: {} row(s) deleted from the source (purge_source)", u.unitId(), deleted);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
