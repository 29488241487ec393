package io.parklake.warehouse.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a ParkLake process uses, with Delta enabled and settings tuned for a
 * small machine: few shuffle partitions, adaptive execution, no UI, and UTC as the session zone so
 * that every local-time bucket is computed explicitly from the facility's own zone.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(String master, Path workDir) {
    int cores = Runtime.getRuntime().availableProcessors();
    return new Defaults(SparkSession.builder())
        .appName("parklake")
        .master(master)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(2, cores * 2)))
        .config("spark.default.parallelism", String.valueOf(Math.max(2, cores * 2)))
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        // Vacuum and file listing default to 10,000 tasks: far too many for one small machine.
        .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", String.valueOf(Math.max(2, cores)))
        .config("spark.databricks.delta.stats.collect", "true")
        // Delta 4.0.1 answers min()/max() of a date partition column from the log and then casts the
        // java.time value it gets (java8API on) to java.sql.Date: ClassCastException. Scan instead.
        .config("spark.databricks.delta.optimizeMetadataQuery.enabled", "false")
        .config("spark.databricks.delta.merge.repartitionBeforeWrite.enabled", "true")
        .config("spark.sql.warehouse.dir", workDir.resolve("spark-warehouse").toAbsolutePath().toString())
        .config("spark.sql.streaming.checkpointLocation", workDir.resolve("checkpoints").toAbsolutePath().toString())
        .builder()
        .getOrCreate();
  }

  /**
   * Sets each tuned value unless the JVM was started with that {@code -Dspark...} property, so that
   * a benchmark can try another value without a code change ({@code PARKLAKE_JAVA_OPTS}).
   */
  private record Defaults(SparkSession.Builder builder) {
    Defaults appName(String name) {
      builder.appName(name);
      return this;
    }

    Defaults master(String master) {
      builder.master(master);
      return this;
    }

    Defaults config(String key, String value) {
      if (System.getProperty(key) == null) {
        builder.config(key, value);
      }
      return this;
    }
  }
}
