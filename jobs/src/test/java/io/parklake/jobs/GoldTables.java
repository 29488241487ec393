package io.parklake.jobs;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.Marts;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/** Every gold mart of a ParkLake home as sorted rows of text, to compare two states of a lake (or two lakes). */
final class GoldTables {
  private GoldTables() {}

  /** Mart name → its rows, one per line, sorted. */
  static Map<String, String> rows(Path home) {
    Map<String, String> out = new TreeMap<>();
    for (Mart m : Marts.all()) {
      var rows = SparkSession.active().read().format("delta").load(home.resolve("lake/gold").resolve(m.name()).toString());
      out.put(m.name(), rows.collectAsList().stream().map(Object::toString).sorted().collect(Collectors.joining("\n")));
    }
    return out;
  }
}
