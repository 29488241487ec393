package io.parklake.pipelines.extract;

import io.parklake.warehouse.db.DatabaseAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a PostgreSQL query into Spark over JDBC, streaming with a large fetch size. */
public final class SourceReader {
  private SourceReader() {}

  public static Dataset<Row> read(SparkSession spark, DatabaseAddress source, String query) {
    Map<String, String> options = options(source);
    options.put("query", query);
    return spark.read().format("jdbc").options(options).load();
  }

  /**
   * Reads a large query as {@code partitions} concurrent range scans of {@code rangeColumn} (a
   * timestamp with an index) between {@code lower} and {@code upper}, so that the server and every
   * core work in parallel. Rows outside the bounds still land in the first or last range.
   */
  static Dataset<Row> readInRanges(SparkSession spark, DatabaseAddress source, String query, String rangeColumn,
      java.time.Instant lower, java.time.Instant upper, int partitions) {
    Map<String, String> options = options(source);
    options.put("dbtable", "(" + query + ") AS extract_query");
    options.put("partitionColumn", rangeColumn);
    options.put("lowerBound", lower.toString().replace('T', ' ').replace("Z", ""));
    options.put("upperBound", upper.toString().replace('T', ' ').replace("Z", ""));
    options.put("numPartitions", String.valueOf(partitions));
    return spark.read().format("jdbc").options(options).load();
  }

  private static Map<String, String> options(DatabaseAddress source) {
    Map<String, String> options = new LinkedHashMap<>();
    source.jdbcProperties().forEach((k, v) -> options.put(k.toString(), v.toString()));
    options.put("driver", "org.postgresql.Driver");
    options.put("url", source.url());
    options.put("fetchsize", "20000");
    // Every session reads in UTC, read only: timestamps bound the ranges without any zone shift.
    options.put("sessionInitStatement", "SET TIME ZONE 'UTC'; SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    return options;
  }
}
