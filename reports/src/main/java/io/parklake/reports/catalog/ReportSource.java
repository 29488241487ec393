package io.parklake.reports.catalog;

import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.reports.table.ReportTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where report definitions read from: the gold marts of a lake, by name, through Spark SQL. With
 * {@code asOfEachPeriod}, the marts replaced whole that the lake view holds elsewhere are a
 * backfill's copies holding their rows as of each date of the range (a mart's as-of column tells
 * them apart): a report reads each period's own rows there, and none when a date has none.
 */
public record ReportSource(SparkSession spark, LakeLayout lake, boolean asOfEachPeriod) {

  public ReportSource(SparkSession spark, LakeLayout lake) {
    this(spark, lake, false);
  }

  public boolean has(String mart) {
    return DeltaTables.exists(spark, lake.gold(mart));
  }

  /** Registers every gold mart that exists as a temporary view of its own name, for {@link #query}. */
  public void registerMarts(Iterable<String> marts) {
    for (String m : marts) {
      if (has(m)) {
        DeltaTables.read(spark, lake.gold(m)).createOrReplaceTempView(m);
      }
    }
  }

  public Dataset<Row> sql(String sql) {
    return spark.sql(sql);
  }

  /** Runs {@code sql} and collects the (small) result as a typed report table. */
  public ReportTable query(String sql) {
    return ReportTable.fromDataset(spark.sql(sql));
  }
}
