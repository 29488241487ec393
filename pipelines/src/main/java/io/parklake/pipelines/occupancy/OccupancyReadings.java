package io.parklake.pipelines.occupancy;

import static org.apache.spark.sql.functions.col;

import io.parklake.warehouse.quality.QualityRules;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Counted occupancy readings (a car park's occupied spaces at an instant, from entry/exit counters or
 * a council feed such as Birmingham's) made fit for occupancy marts and forecasts: a reading below
 * zero or above the car park's capacity is quarantined, and a repeated reading of the same car park
 * at the same instant is collapsed to one (the copies quarantined as {@code duplicate_reading}).
 * Columns in: {@code car_park, capacity, occupancy, reading_time}.
 */
public final class OccupancyReadings {
  public static final String DUPLICATE = "duplicate_reading";

  private OccupancyReadings() {}

  /** The rules a reading is checked against, beyond duplicates. */
  public static Map<String, String> rules() {
    Map<String, String> rules = new LinkedHashMap<>();
    rules.put("occupancy_negative", "occupancy < 0");
    rules.put("occupancy_over_capacity", "occupancy > capacity");
    rules.put("capacity_not_positive", "capacity IS NULL OR capacity <= 0");
    rules.put("reading_incomplete", "car_park IS NULL OR occupancy IS NULL OR reading_time IS NULL");
    return rules;
  }

  /** Adds {@link QualityRules#RULES} to every reading; clean readings have none. */
  public static Dataset<Row> validate(Dataset<Row> readings) {
    Dataset<Row> checked = QualityRules.evaluate(readings, rules());
    var sameInstant = Window.partitionBy("car_park", "reading_time").orderBy(col("occupancy"), col("capacity"));
    return checked
        .withColumn("_copy", functions.row_number().over(sameInstant).gt(1))
        .withColumn(QualityRules.RULES, functions.when(col("_copy"),
                functions.array_union(col(QualityRules.RULES), functions.array(functions.lit(DUPLICATE))))
            .otherwise(col(QualityRules.RULES)))
        .drop("_copy");
  }

  public static Dataset<Row> clean(Dataset<Row> validated) {
    return validated.where(functions.size(col(QualityRules.RULES)).equalTo(0)).drop(QualityRules.RULES);
  }

  public static Dataset<Row> rejected(Dataset<Row> validated) {
    return validated.where(functions.size(col(QualityRules.RULES)).gt(0));
  }
}
