package io.parklake.pipelines.extract;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.quality.QualityRules;
import io.parklake.warehouse.source.SourceTable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Type-2 history of a dimension in {@code silver.<table>_history}: one row per version with
 * {@code valid_from} (the key's {@code created_at} for its first known version, else the version's
 * {@code updated_at}), {@code valid_to} (the next version's start, or when the key was deleted;
 * null while current) and {@code is_current}. "What was this facility's zone on 3 March?" is
 * {@code valid_from <= t AND (valid_to IS NULL OR t < valid_to)}.
 */
public final class DimensionHistory {
  public static final String VALID_FROM = "valid_from";
  public static final String VALID_TO = "valid_to";
  public static final String IS_CURRENT = "is_current";

  private DimensionHistory() {}

  public static String path(LakeLayout lake, SourceTable table) {
    return lake.silver(table.tableName() + "_history");
  }

  static void update(SparkSession spark, LakeLayout lake, SourceTable table, Dataset<Row> cleanVersions) {
    String path = path(lake, table);
    Dataset<Row> versions = cleanVersions.drop(QualityRules.RULES, TableExtractor.BATCH_ID).dropDuplicates("id", "updated_at");
    if (!DeltaTables.exists(spark, path)) {
      withValidity(versions).write().format("delta").mode("append").save(path);
      return;
    }
    DeltaTable history = DeltaTable.forPath(spark, path);
    Dataset<Row> known = history.toDF();
    Dataset<Row> fresh = versions.join(known.select("id", "updated_at"), TableExtractor.scala("id", "updated_at"), "left_anti");
    if (fresh.isEmpty()) {
      return;
    }
    Dataset<Row> previous = known.join(fresh.select("id").distinct(), TableExtractor.scala("id"), "left_semi")
        .drop(VALID_FROM, VALID_TO, IS_CURRENT);
    Dataset<Row> recomputed = withValidity(previous.unionByName(fresh));
    Map<String, String> all = new LinkedHashMap<>();
    for (String c : recomputed.columns()) {
      all.put(c, "s." + c);
    }
    history.as("t")
        .merge(recomputed.as("s"), "t.id = s.id AND t.updated_at = s.updated_at")
        .whenMatched().updateExpr(Map.of(VALID_FROM, "s." + VALID_FROM, VALID_TO, "s." + VALID_TO, IS_CURRENT, "s." + IS_CURRENT))
        .whenNotMatched().insertExpr(all)
        .execute();
  }

  /** Closes the current version of deleted keys at {@code deletedAt}. */
  static void closeDeleted(SparkSession spark, LakeLayout lake, SourceTable table, Dataset<Row> deletedKeys,
      java.time.Instant deletedAt) {
    String path = path(lake, table);
    if (!DeltaTables.exists(spark, path)) {
      return;
    }
    DeltaTable.forPath(spark, path).as("t")
        .merge(deletedKeys.select("id").as("s"), "t.id = s.id AND t." + IS_CURRENT)
        .whenMatched()
        .updateExpr(Map.of(VALID_TO, "TIMESTAMP'" + deletedAt.toString().replace('T', ' ').replace("Z", "") + "'",
            IS_CURRENT, "false"))
        .execute();
  }

  private static Dataset<Row> withValidity(Dataset<Row> versions) {
    var byKey = Window.partitionBy("id").orderBy(col("updated_at"), col(TableExtractor.ROW_HASH));
    Column first = functions.row_number().over(byKey).equalTo(1);
    Column next = functions.lead(col("updated_at"), 1).over(byKey);
    return versions
        .withColumn(VALID_FROM, functions.when(first, functions.least(col("created_at"), col("updated_at")))
            .otherwise(col("updated_at")))
        .withColumn(VALID_TO, next)
        .withColumn(IS_CURRENT, next.isNull());
  }
}
