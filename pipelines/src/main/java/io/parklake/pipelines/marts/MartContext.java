package io.parklake.pipelines.marts;

import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What a mart computes with: the session and the lake's current snapshots by qualified name. */
public record MartContext(SparkSession spark, LakeLayout lake) {

  public Dataset<Row> table(String qualifiedName) {
    return DeltaTables.read(spark, lake.resolve(qualifiedName));
  }
}
