package io.parklake.pipelines.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.spark.sql.functions.col;

import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.testing.TestSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Reads lake tables back for assertions, in the same line format as {@link SourceFixture#sourceRows}. */
final class LakeAssertions {
  private LakeAssertions() {}

  static Dataset<Row> table(LakeLayout lake, LakeLayout.Layer layer, String name) {
    return TestSpark.session().read().format("delta").load(lake.path(layer, name));
  }

  static List<String> silverRows(LakeLayout lake, SourceTable table) {
    List<Column> parts = new ArrayList<>();
    parts.add(col("id").cast("string"));
    parts.add(functions.lit("|"));
    parts.add(functions.unix_micros(col(table.changeColumn())).cast("string"));
    for (String m : table.moneyColumns()) {
      parts.add(functions.lit("|"));
      parts.add(functions.coalesce(col(m).cast("string"), functions.lit("null")));
    }
    List<String> rows = new ArrayList<>(table(lake, LakeLayout.Layer.SILVER, table.tableName())
        .select(functions.concat(parts.toArray(Column[]::new))).as(Encoders.STRING()).collectAsList());
    rows.sort(null);
    return rows;
  }

  static List<String> quarantinedKeys(LakeLayout lake, SourceTable table) {
    List<String> keys = new ArrayList<>(table(lake, LakeLayout.Layer.QUARANTINE, table.tableName())
        .select(col("id").cast("string")).distinct().as(Encoders.STRING()).collectAsList());
    keys.sort(null);
    return keys;
  }

  /** Silver holds exactly the source's rows (but the quarantined ones), each key once, and bronze no version twice. */
  static void assertLakeMatchesSource(io.parklake.warehouse.db.DatabaseAddress db, LakeLayout lake, SourceTable table)
      throws Exception {
    List<String> silver = silverRows(lake, table);
    java.util.Set<String> silverKeys = new java.util.HashSet<>();
    silver.forEach(line -> silverKeys.add(line.substring(0, line.indexOf('|'))));
    // Keys whose latest version was rejected live in quarantine only.
    List<String> quarantined = new ArrayList<>(quarantinedKeys(lake, table));
    quarantined.removeAll(silverKeys);
    assertThat(silver).as("silver %s equals the source", table.tableName())
        .isEqualTo(SourceFixture.sourceRows(db, table, quarantined));
    Dataset<Row> bronze = table(lake, LakeLayout.Layer.BRONZE, table.tableName()).where(col("_op").equalTo("UPSERT"));
    assertThat(bronze.count()).as("bronze %s keeps each version once", table.tableName())
        .isEqualTo(bronze.select("id", table.changeColumn()).distinct().count());
  }
}
