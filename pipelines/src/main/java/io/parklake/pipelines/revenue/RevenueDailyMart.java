package io.parklake.pipelines.revenue;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code revenue_daily}: one row per facility and local day (the facility's zone), every active
 * facility listed even on a day without payments. Revenue is recognised when money moved
 * ({@code paid_at}): gross = succeeded non-refund payments, including ones refunded later; refunds
 * = succeeded REFUND rows; net = gross − refunds; gross is also split by kind (booking, subscription,
 * fine). Pending and failed payments do not count. Money stays decimal(18,2) in the facility's
 * currency. Doc: pipelines/docs/marts/revenue_daily.md.
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
  public boolean hourly() {
    return true;
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> days) {
    String dates = MartContext.dateList(days);
    context.view("silver.payments", "payments");
    context.view("silver.facilities", "facilities");
    return context.sql(
        "WITH days AS (SELECT explode(array(" + dates + ")) AS local_date),\n"
            + "moved AS (\n"
            + "  SELECT facility_id, business_date AS local_date, kind, amount FROM payments\n"
            + "  WHERE business_date IN (" + dates + ") AND " + RevenueSql.MONEY_MOVED + "\n"
            + "), per_facility AS (\n"
            + "  SELECT facility_id, local_date,\n"
            + "    SUM(CASE WHEN kind <> 'REFUND' THEN amount ELSE 0 END) AS gross,\n"
            + "    SUM(CASE WHEN kind = 'REFUND' THEN amount ELSE 0 END) AS refunds,\n"
            + "    COUNT(CASE WHEN kind <> 'REFUND' THEN 1 END) AS payments,\n"
            + "    SUM(CASE WHEN kind = 'BOOKING' THEN amount ELSE 0 END) AS booking_gross,\n"
            + "    SUM(CASE WHEN kind = 'SUBSCRIPTION' THEN amount ELSE 0 END) AS subscription_gross,\n"
            + "    SUM(CASE WHEN kind = 'FINE' THEN amount ELSE 0 END) AS fine_gross\n"
            + "  FROM moved GROUP BY facility_id, local_date\n"
            + ")\n"
            + "SELECT f.id AS facility_id, f.name AS facility_name, f.city, f.timezone, f.currency, d.local_date,\n"
            + "  " + RevenueSql.money("COALESCE(p.gross, 0)") + " AS gross,\n"
            + "  " + RevenueSql.money("COALESCE(p.refunds, 0)") + " AS refunds,\n"
            + "  " + RevenueSql.money("COALESCE(p.gross, 0) - COALESCE(p.refunds, 0)") + " AS net,\n"
            + "  COALESCE(p.payments, 0) AS payments,\n"
            + "  " + RevenueSql.averageTicket("p.gross", "p.payments") + " AS average_ticket,\n"
            + "  " + RevenueSql.money("COALESCE(p.booking_gross, 0)") + " AS booking_gross,\n"
            + "  " + RevenueSql.money("COALESCE(p.subscription_gross, 0)") + " AS subscription_gross,\n"
            + "  " + RevenueSql.money("COALESCE(p.fine_gross, 0)") + " AS fine_gross\n"
            + "FROM facilities f CROSS JOIN days d\n"
            + "LEFT JOIN per_facility p ON p.facility_id = f.id AND p.local_date = d.local_date\n"
            + "WHERE f.is_active OR p.facility_id IS NOT NULL");
  }
}
