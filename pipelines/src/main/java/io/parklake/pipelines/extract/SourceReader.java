package io.parklake.pipelines.extract;

import io.parklake.warehouse.db.DatabaseAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a source query into Spark over JDBC, streaming with a large fetch size. */
final class SourceReader {
  private SourceReader() {}

  static Dataset<Row> read(SparkSession spark, DatabaseAddress source, String query) {
    Map<String, String> options = new LinkedHashMap<>();
    source.jdbcProperties().forEach((k, v) -> options.put(k.toString(), v.toString()));
    options.put("driver", "org.postgresql.Driver");
    options.put("url", source.url());
    options.put("query", query);
    options.put("fetchsize", "20000");
    // Each read is one snapshot of the source; make it read only and cheap on the server.
    options.put("sessionInitStatement", "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    return spark.read().format("jdbc").options(options).load();
  }
}
