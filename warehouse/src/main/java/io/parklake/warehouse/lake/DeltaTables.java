package io.parklake.warehouse.lake;

import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The few ways ParkLake writes and reads Delta tables, so that every writer is idempotent the same way. */
public final class DeltaTables {
  private DeltaTables() {}

  /**
   * Atomically replaces the rows of the given dates (any set) with {@code rows}, creating the table
   * partitioned by {@code dateColumn} if needed. Rerunning with the same rows leaves the same table:
   * the write is a Delta {@code replaceWhere} overwrite, one commit, never an append.
   */
  public static void replaceDates(Dataset<Row> rows, String path, String dateColumn, java.util.Collection<LocalDate> dates) {
    StringBuilder in = new StringBuilder();
    for (LocalDate d : new java.util.TreeSet<>(dates)) {
      in.append(in.length() == 0 ? "" : ", ").append("DATE'").append(d).append("'");
    }
    rows.write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", dateColumn + " IN (" + in + ")")
        .partitionBy(dateColumn)
        .save(path);
  }

  /**
   * Atomically replaces the whole table with {@code rows} (one commit; readers see the old or the new
   * snapshot, time travel keeps the old), partitioned by {@code partitionColumn} unless it is null.
   * The schema may change: a mart's new version replaces its old shape.
   */
  public static void overwrite(Dataset<Row> rows, String path, String partitionColumn) {
    var writer = gathered(rows, partitionColumn).write().format("delta").mode("overwrite").option("overwriteSchema", "true");
    if (partitionColumn != null) {
      writer = writer.partitionBy(partitionColumn);
    }
    writer.save(path);
  }

  /**
   * Gathers each partition value's rows into one task before a whole partitioned write: otherwise
   * every task writes a small file into every partition it holds (two years of dates times the
   * tasks). A refresh of a few dates is left as it is: the extra shuffle would cost more than it saves.
   */
  private static Dataset<Row> gathered(Dataset<Row> rows, String partitionColumn) {
    return partitionColumn == null ? rows : rows.repartition(rows.col(partitionColumn));
  }

  public static boolean exists(SparkSession spark, String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  /** The current snapshot of a Delta table; fails with the path when there is no table there. */
  public static Dataset<Row> read(SparkSession spark, String path) {
    if (!exists(spark, path)) {
      throw new IllegalArgumentException("no Delta table at " + path + " (has the job that writes it run?)");
    }
    return spark.read().format("delta").load(path);
  }
}
