package io.parklake.warehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.parklake.warehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lake maintenance for real on a Delta table: many small appends to one partition are compacted to
 * one file with the same rows, an orphan file older than the retention (what a killed writer leaves)
 * is vacuumed while a recent one and every referenced file stay, vacuum runs at most once a day, and
 * all of it works from a thread that has no active Spark session of its own.
 */
class LakeMaintenanceIT {
  private static final LocalDate BUSY = LocalDate.of(2026, 3, 29);
  private static final LocalDate QUIET = LocalDate.of(2026, 3, 30);
  private static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("business_date", DataTypes.DateType, false)
      .add("amount", DataTypes.createDecimalType(12, 2), false);

  @TempDir Path root;

  @Test
  void small_files_are_compacted_old_orphans_vacuumed_and_the_rows_never_change() throws Exception {
    SparkSession spark = TestSpark.session();
    LakeLayout lake = new LakeLayout(root.resolve("lake"));
    String path = lake.bronze("payments");
    List<Row> all = new ArrayList<>();
    // Nine batches into one day and one into another: 10 files in 2 partitions, more than four per partition.
    for (int batch = 0; batch < 10; batch++) {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        long id = batch * 100L + i;
        rows.add(RowFactory.create(id, batch < 9 ? BUSY : QUIET, new BigDecimal(id + ".25")));
      }
      all.addAll(rows);
      spark.createDataFrame(rows, SCHEMA).coalesce(1).write().format("delta").mode("append")
          .partitionBy("business_date").save(path);
    }
    BigDecimal expectedSum = all.stream().map(r -> (BigDecimal) r.get(2)).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(dataFiles(path)).hasSize(10);

    // From a thread with no active session (a scheduler's worker, say).
    List<LakeMaintenance.Result> first = onFreshThread(() -> LakeMaintenance.run(spark, lake, LakeMaintenance.MIN_RETENTION_HOURS));
    assertThat(first).containsExactly(new LakeMaintenance.Result("bronze/payments", 10, 2));
    assertThat(activeFiles(spark, path)).hasSize(2);
    assertRows(spark, path, all.size(), expectedSum);

    // Age the table past the retention; leave two orphans (files no commit references), one old, one new.
    Path partition = Path.of(path).resolve("business_date=" + BUSY);
    Path oldOrphan = Files.copy(dataFiles(path).get(0), partition.resolve("part-00000-orphan-old.snappy.parquet"));
    Path newOrphan = Files.copy(dataFiles(path).get(0), partition.resolve("part-00000-orphan-new.snappy.parquet"));
    FileTime tenDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(10)));
    Files.setLastModifiedTime(oldOrphan, tenDaysAgo);
    try (Stream<Path> log = Files.list(Path.of(path).resolve("_delta_log"))) {
      // Commit times are the log files' modification times; keep them in commit order.
      int second = 0;
      for (Path f : log.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        Files.setLastModifiedTime(f, FileTime.from(tenDaysAgo.toInstant().plusSeconds(second++)));
      }
    }
    onFreshThread(() -> LakeMaintenance.run(spark, lake, LakeMaintenance.MIN_RETENTION_HOURS));
    assertThat(oldOrphan).doesNotExist();
    assertThat(newOrphan).exists();
    assertThat(activeFiles(spark, path)).allSatisfy(f -> assertThat(Path.of(java.net.URI.create(f))).exists());
    assertRows(spark, path, all.size(), expectedSum);
    assertThat(operations(spark, path)).containsOnlyOnce("VACUUM END");

    // Vacuum at most once a day: a third run the same day does not vacuum again.
    onFreshThread(() -> LakeMaintenance.run(spark, lake, LakeMaintenance.MIN_RETENTION_HOURS));
    assertThat(operations(spark, path)).containsOnlyOnce("VACUUM END");
  }

  private static void assertRows(SparkSession spark, String path, int count, BigDecimal sum) {
    Row r = spark.read().format("delta").load(path).selectExpr("count(*)", "count(DISTINCT id)", "sum(amount)").first();
    assertThat(r.getLong(0)).isEqualTo(count);
    assertThat(r.getLong(1)).isEqualTo(count);
    assertThat(r.getDecimal(2)).isEqualByComparingTo(sum);
  }

  private static List<String> activeFiles(SparkSession spark, String path) {
    return List.of(spark.read().format("delta").load(path).inputFiles());
  }

  private static List<String> operations(SparkSession spark, String path) {
    return DeltaTable.forPath(spark, path).history().select("operation").collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  private static List<Path> dataFiles(String path) throws Exception {
    try (Stream<Path> files = Files.walk(Path.of(path))) {
      return files.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log")).sorted().toList();
    }
  }

  private interface Work<T> {
    T run() throws Exception;
  }

  /** Runs {@code work} on a new thread whose inherited active session was cleared first. */
  private static <T> T onFreshThread(Work<T> work) throws Exception {
    Object[] result = new Object[1];
    Exception[] failure = new Exception[1];
    Thread t = new Thread(() -> {
      SparkSession.clearActiveSession();
      try {
        result[0] = work.run();
      } catch (Exception e) {
        failure[0] = e;
      }
    }, "maintenance-test");
    t.start();
    t.join();
    if (failure[0] != null) {
      throw failure[0];
    }
    @SuppressWarnings("unchecked")
    T r = (T) result[0];
    return r;
  }
}
