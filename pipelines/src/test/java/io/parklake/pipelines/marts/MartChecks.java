package io.parklake.pipelines.marts;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The dbt-style generic tests every mart gets: unique and not-null keys, relationships, accepted values. */
public final class MartChecks {
  private MartChecks() {}

  /** No key column is null and no key appears twice. */
  public static void keysUniqueAndNotNull(Dataset<Row> mart, String... keyColumns) {
    Column anyNull = Arrays.stream(keyColumns).map(c -> col(c).isNull()).reduce(Column::or).orElseThrow();
    assertThat(mart.where(anyNull).count()).as("rows with a null in key %s", List.of(keyColumns)).isZero();
    long total = mart.count();
    long distinct = mart.select(Arrays.stream(keyColumns).map(c -> col(c)).toArray(Column[]::new)).distinct().count();
    assertThat(distinct).as("distinct keys %s", List.of(keyColumns)).isEqualTo(total);
    assertThat(total).as("rows").isPositive();
  }

  /** Every non-null {@code column} value exists as {@code parentColumn} in {@code parent}. */
  public static void relationship(Dataset<Row> mart, String column, Dataset<Row> parent, String parentColumn) {
    Dataset<Row> orphans = mart.select(col(column).as("k")).where(col("k").isNotNull()).distinct()
        .join(parent.select(col(parentColumn).as("k")).distinct(), List.of("k").iterator().next(), "left_anti");
    assertThat(orphans.limit(5).collectAsList()).as("%s values missing from %s", column, parentColumn).isEmpty();
  }

  /** Every value of {@code column} is one of {@code accepted} (nulls fail too). */
  public static void acceptedValues(Dataset<Row> mart, String column, Set<?> accepted) {
    List<Object> seen = mart.select(column).distinct().collectAsList().stream().map(r -> r.get(0)).toList();
    assertThat(seen).as("values of %s", column).isSubsetOf(accepted);
  }
}
