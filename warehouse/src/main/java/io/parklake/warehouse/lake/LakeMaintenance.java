package io.parklake.warehouse.lake;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nightly upkeep of every Delta table in the lake: compaction of small files ({@code OPTIMIZE}) and
 * {@code VACUUM} of files no longer referenced, keeping at least 7 days so time travel to any
 * version of the last week keeps working.
 */
public final class LakeMaintenance {
  private static final Logger log = LoggerFactory.getLogger(LakeMaintenance.class);
  public static final int MIN_RETENTION_HOURS = 168;

  private LakeMaintenance() {}

  /** What maintenance did to one table. */
  public record Result(String table, long filesBefore, long filesAfter) {}

  /** As {@link #run(SparkSession, LakeLayout, int, BiConsumer)}, failing at the first table that fails. */
  public static List<Result> run(SparkSession spark, LakeLayout lake, int retentionHours) throws IOException {
    return run(spark, lake, retentionHours, (table, e) -> {
      throw new IllegalStateException("maintenance of " + table + " failed: " + e.getMessage(), e);
    });
  }

  /**
   * Compacts and vacuums every table of the lake; a table that fails is handed to {@code failed}
   * (relative name, cause) and the others go on.
   */
  public static List<Result> run(SparkSession spark, LakeLayout lake, int retentionHours,
      BiConsumer<String, Exception> failed) throws IOException {
    if (retentionHours < MIN_RETENTION_HOURS) {
      throw new IllegalArgumentException("vacuum retention must keep at least " + MIN_RETENTION_HOURS
          + " hours of time travel, was " + retentionHours);
    }
    // Delta resolves SparkSession.active inside OPTIMIZE and VACUUM, also on the threads they start:
    // make this session the one they find whatever thread a scheduler calls from.
    SparkSession.setActiveSession(spark);
    if (SparkSession.getDefaultSession().isEmpty()) {
      SparkSession.setDefaultSession(spark);
    }
    List<Result> results = new ArrayList<>();
    for (String path : tables(lake)) {
      try {
        results.add(maintain(spark, lake, path, retentionHours));
      } catch (Exception e) {
        log.error("maintenance {}: FAILED ({})", path, e.getMessage(), e);
        failed.accept(relative(lake, path), e);
      }
    }
    return results;
  }

  private static String relative(LakeLayout lake, String path) {
    return Path.of(lake.root()).relativize(Path.of(path)).toString();
  }

  private static Result maintain(SparkSession spark, LakeLayout lake, String path, int retentionHours) {
    DeltaTable table = DeltaTable.forPath(spark, path);
    Row d = table.detail().select("numFiles", "sizeInBytes").first();
    long before = d.getLong(0);
    long bytes = d.getLong(1);
    // Active files' folders: one per partition (the table folder itself when unpartitioned).
    long partitions = Math.max(1, java.util.Arrays.stream(spark.read().format("delta").load(path).inputFiles())
        .map(f -> f.substring(0, f.lastIndexOf('/'))).distinct().count());
    // Compact only where files are many and small: more than four per partition, averaging under 32 MB.
    boolean compact = before > 4 * partitions && before > 0 && bytes / before < SMALL_FILE_BYTES;
    if (compact) {
      table.optimize().executeCompaction();
    }
    boolean vacuumed = vacuumDue(table, retentionHours);
    if (vacuumed) {
      // Delta prints vacuum's summary on the console; keep stdout for results a scheduler parses.
      scala.Console$.MODULE$.withOut(System.err, new scala.runtime.AbstractFunction0<Object>() {
        @Override
        public Object apply() {
          return table.vacuum(retentionHours);
        }
      });
    }
    long after = compact ? table.detail().select("numFiles").first().getLong(0) : before;
    if (compact || vacuumed) {
      log.info("maintenance {}: {} -> {} data files{}", path, before, after, vacuumed ? ", vacuumed" : "");
    }
    return new Result(relative(lake, path), before, after);
  }

  private static final long SMALL_FILE_BYTES = 32L << 20;

  /**
   * Vacuum at most once a day (it lists every file of the table), and only on tables older than the
   * retention: before that no removed file can be old enough to go.
   */
  private static boolean vacuumDue(DeltaTable table, int retentionHours) {
    java.time.Instant now = java.time.Instant.now();
    List<Row> commits = table.history().select("timestamp", "operation").collectAsList();
    java.time.Instant created = instant(commits.get(commits.size() - 1).get(0));
    if (created.isAfter(now.minus(java.time.Duration.ofHours(retentionHours)))) {
      return false;
    }
    for (Row r : commits) {
      if ("VACUUM END".equals(r.getString(1))) {
        return instant(r.get(0)).isBefore(now.minus(java.time.Duration.ofHours(24)));
      }
    }
    return true;
  }

  private static java.time.Instant instant(Object ts) {
    return ts instanceof java.time.Instant i ? i : ((java.sql.Timestamp) ts).toInstant();
  }

  /** Every Delta table under the lake root (a folder holding {@code _delta_log}). */
  public static List<String> tables(LakeLayout lake) throws IOException {
    List<String> tables = new ArrayList<>();
    Path root = Path.of(lake.root());
    if (!Files.isDirectory(root)) {
      return tables;
    }
    for (LakeLayout.Layer layer : LakeLayout.Layer.values()) {
      Path dir = root.resolve(layer.folder());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> children = Files.list(dir)) {
        children.filter(p -> Files.isDirectory(p.resolve("_delta_log"))).sorted().forEach(p -> tables.add(p.toString()));
      }
    }
    return tables;
  }
}
