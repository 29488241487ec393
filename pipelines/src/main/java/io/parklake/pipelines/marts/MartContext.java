package io.parklake.pipelines.marts;

import io.parklake.pipelines.extract.FaultInjector;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import java.time.LocalDate;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a mart computes with: the session, the lake's current snapshots by qualified name, and the
 * business date the run is for ({@code asOf}: the last complete local day, the calibration end of the
 * customer models and the day before a forecast starts), and where a test makes a mart fail
 * ({@code faults}: point {@code mart:<name>} is reached before each mart computes), and the
 * partitions archived rows fed, which no refresh recomputes ({@code frozen}, see {@link FrozenPeriods}).
 */
public record MartContext(SparkSession spark, LakeLayout lake, LocalDate asOf, FaultInjector faults, FrozenPeriods frozen) {

  public MartContext(SparkSession spark, LakeLayout lake, LocalDate asOf) {
    this(spark, lake, asOf, FaultInjector.NONE, FrozenPeriods.NONE);
  }

  public MartContext(SparkSession spark, LakeLayout lake, LocalDate asOf, FaultInjector faults) {
    this(spark, lake, asOf, faults, FrozenPeriods.NONE);
  }

  public Dataset<Row> table(String qualifiedName) {
    return DeltaTables.read(spark, lake.resolve(qualifiedName));
  }

  /** Registers {@code qualifiedName}'s snapshot as a temporary view named {@code view} for SQL. */
  public void view(String qualifiedName, String view) {
    table(qualifiedName).createOrReplaceTempView(view);
  }

  public Dataset<Row> sql(String sql) {
    return spark.sql(sql);
  }

  /** {@code DATE'2026-10-01', DATE'2026-10-02'} for an SQL {@code IN} list or {@code array(...)}. */
  public static String dateList(SortedSet<LocalDate> days) {
    return days.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));
  }
}
