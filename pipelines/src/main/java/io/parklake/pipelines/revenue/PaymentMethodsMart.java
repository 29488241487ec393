package io.parklake.pipelines.revenue;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Periods;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code payment_methods}: facility × local month × provider. Attempts are non-refund payments dated
 * by their business date (when money moved, else when created); amount is the money moved by the
 * provider, share its part of the facility's month, failure rate failed attempts over attempts. Doc:
 * pipelines/docs/marts/payment_methods.md.
 */
public final class PaymentMethodsMart implements Mart {

  @Override
  public String name() {
    return "payment_methods";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.payments", "silver.facilities");
  }

  @Override
  public String dateColumn() {
    return "month_start";
  }

  @Override
  public SortedSet<LocalDate> partitionsFor(SortedSet<LocalDate> changedDays) {
    return Periods.months(changedDays);
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> months) {
    context.view("silver.payments", "payments");
    context.view("silver.facilities", "facilities");
    return context.sql(
        "WITH attempts AS (\n"
            + "  SELECT facility_id, trunc(business_date, 'MM') AS month_start, provider, status, paid_at, kind, amount\n"
            + "  FROM payments WHERE kind <> 'REFUND' AND trunc(business_date, 'MM') IN (" + MartContext.dateList(months) + ")\n"
            + "), per_provider AS (\n"
            + "  SELECT facility_id, month_start, provider, COUNT(*) AS attempts,\n"
            + "    COUNT(CASE WHEN status IN ('SUCCEEDED', 'REFUNDED') THEN 1 END) AS succeeded,\n"
            + "    COUNT(CASE WHEN status = 'FAILED' THEN 1 END) AS failed,\n"
            + "    CAST(SUM(CASE WHEN " + RevenueSql.MONEY_MOVED + " THEN amount ELSE 0 END) AS DECIMAL(18,2)) AS amount\n"
            + "  FROM attempts GROUP BY 1, 2, 3\n"
            + ")\n"
            + "SELECT p.facility_id, f.name AS facility_name, f.currency, p.month_start, p.provider,\n"
            + "  p.attempts, p.succeeded, p.failed, p.amount,\n"
            + "  CASE WHEN SUM(p.amount) OVER w = 0 THEN NULL ELSE CAST(p.amount AS DOUBLE) / CAST(SUM(p.amount) OVER w AS DOUBLE) END AS share,\n"
            + "  CAST(p.failed AS DOUBLE) / p.attempts AS failure_rate\n"
            + "FROM per_provider p JOIN facilities f ON f.id = p.facility_id\n"
            + "WINDOW w AS (PARTITION BY p.facility_id, p.month_start)");
  }
}
