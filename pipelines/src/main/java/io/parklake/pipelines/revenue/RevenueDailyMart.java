package io.parklake.pipelines.revenue;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code revenue_daily}: one row per facility and local day (the facility's zone), every active
 * facility listed even on a day without payments. Revenue is recognised when money moved
 * ({@code paid_at}): gross = succeeded non-refund payments, including ones refunded later; refunds
 * = succeeded REFUND rows; net = gross − refunds. Pending and failed payments do not count. Money
 * stays decimal(18,2) in the facility's currency.
 */
public final class RevenueDailyMart implements Mart {

  @Override
  public String name() {
    return "revenue_daily";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.payments", "silver.facilities");
  }

  @Override
  public String dateColumn() {
    return "local_date";
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> days) {
    String dates = days.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));
    context.table("silver.payments").createOrReplaceTempView("payments");
    context.table("silver.facilities").createOrReplaceTempView("facilities");
    return context.spark().sql(
        "WITH days AS (SELECT explode(array(" + dates + ")) AS local_date),\n"
            + "moved AS (\n"
            + "  SELECT facility_id, business_date AS local_date, kind, amount FROM payments\n"
            + "  WHERE business_date IN (" + dates + ") AND paid_at IS NOT NULL\n"
            + "    AND ((kind <> 'REFUND' AND status IN ('SUCCEEDED', 'REFUNDED'))\n"
            + "      OR (kind = 'REFUND' AND status = 'SUCCEEDED'))\n"
            + "), per_facility AS (\n"
            + "  SELECT facility_id, local_date,\n"
            + "    SUM(CASE WHEN kind <> 'REFUND' THEN amount ELSE 0 END) AS gross,\n"
            + "    SUM(CASE WHEN kind = 'REFUND' THEN amount ELSE 0 END) AS refunds,\n"
            + "    COUNT(CASE WHEN kind <> 'REFUND' THEN 1 END) AS payments\n"
            + "  FROM moved GROUP BY facility_id, local_date\n"
            + ")\n"
            + "SELECT f.id AS facility_id, f.name AS facility_name, f.city, f.timezone, f.currency, d.local_date,\n"
            + "  CAST(COALESCE(p.gross, 0) AS DECIMAL(18,2)) AS gross,\n"
            + "  CAST(COALESCE(p.refunds, 0) AS DECIMAL(18,2)) AS refunds,\n"
            + "  CAST(COALESCE(p.gross, 0) - COALESCE(p.refunds, 0) AS DECIMAL(18,2)) AS net,\n"
            + "  COALESCE(p.payments, 0) AS payments\n"
            + "FROM facilities f CROSS JOIN days d\n"
            + "LEFT JOIN per_facility p ON p.facility_id = f.id AND p.local_date = d.local_date\n"
            + "WHERE f.is_active OR p.facility_id IS NOT NULL");
  }
}
