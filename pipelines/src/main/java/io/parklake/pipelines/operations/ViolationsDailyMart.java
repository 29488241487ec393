package io.parklake.pipelines.operations;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code violations_daily}: facility × local day the violation happened × violation type: issued,
 * fines issued, fines collected (succeeded FINE payments for those violations, whenever paid),
 * collection rate, and the median hours from violation to resolution of the resolved ones. A fine
 * paid later moves the violation's own status and {@code updated_at}, so the violation's day is
 * re-extracted and recomputed. Doc: pipelines/docs/marts/violations_daily.md.
 */
public final class ViolationsDailyMart implements Mart {

  @Override
  public String name() {
    return "violations_daily";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.violations", "silver.payments", "silver.facilities");
  }

  @Override
  public String dateColumn() {
    return "local_date";
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> days) {
    context.view("silver.violations", "violations");
    context.view("silver.payments", "payments");
    context.view("silver.facilities", "facilities");
    return context.sql(
        "WITH v AS (SELECT * FROM violations WHERE business_date IN (" + MartContext.dateList(days) + ")),\n"
            + "collected AS (\n"
            + "  SELECT violation_id, SUM(amount) AS amount FROM payments\n"
            + "  WHERE kind = 'FINE' AND status IN ('SUCCEEDED', 'REFUNDED') AND paid_at IS NOT NULL AND violation_id IS NOT NULL\n"
            + "  GROUP BY violation_id\n"
            + ")\n"
            + "SELECT v.facility_id, f.name AS facility_name, f.currency, v.business_date AS local_date, v.violation_type,\n"
            + "  COUNT(*) AS issued,\n"
            + "  CAST(SUM(v.penalty_amount) AS DECIMAL(18,2)) AS fines_issued,\n"
            + "  CAST(COALESCE(SUM(c.amount), 0) AS DECIMAL(18,2)) AS fines_collected,\n"
            + "  CASE WHEN SUM(v.penalty_amount) = 0 THEN NULL\n"
            + "    ELSE CAST(COALESCE(SUM(c.amount), 0) AS DOUBLE) / CAST(SUM(v.penalty_amount) AS DOUBLE) END AS collection_rate,\n"
            + "  COUNT(CASE WHEN v.status = 'PAID' THEN 1 END) AS paid,\n"
            + "  COUNT(CASE WHEN v.status = 'WAIVED' THEN 1 END) AS waived,\n"
            + "  COUNT(CASE WHEN v.status IN ('OPEN', 'DISPUTED') THEN 1 END) AS open,\n"
            + "  COUNT(v.resolved_at) AS resolved,\n"
            + "  percentile((unix_micros(v.resolved_at) - unix_micros(v.violation_time)) / 3600000000.0D, 0.5)"
            + " AS median_hours_to_resolve\n"
            + "FROM v JOIN facilities f ON f.id = v.facility_id\n"
            + "LEFT JOIN collected c ON c.violation_id = v.id\n"
            + "GROUP BY v.facility_id, f.name, f.currency, v.business_date, v.violation_type");
  }
}
