package io.parklake.pipelines.customers;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code customer_activity_daily}: one row per user × facility × local day with any booking or money
 * moved, the compact aggregate every customer-level mart reads instead of the silver history. A visit
 * is a booking whose car actually entered (COMPLETED or ACTIVE), dated by its entry's local day;
 * spend is money moved on the day ({@code paid_at}, the facility's zone): succeeded non-refund
 * payments (including ones refunded later, as in {@code revenue_daily}) minus succeeded refunds.
 */
public final class CustomerActivityDailyMart implements Mart {

  @Override
  public String name() {
    return "customer_activity_daily";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.bookings", "silver.payments", "silver.facilities");
  }

  @Override
  public String dateColumn() {
    return "local_date";
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> days) {
    String dates = MartContext.dateList(days);
    context.view("silver.bookings", "cad_bookings");
    context.view("silver.payments", "cad_payments");
    context.view("silver.facilities", "cad_facilities");
    return context.sql(
        "WITH booked AS (\n"
            + "  SELECT user_id, facility_id, business_date AS local_date,\n"
            + "    COUNT(CASE WHEN status IN ('COMPLETED', 'ACTIVE') THEN 1 END) AS visits,\n"
            + "    COUNT(*) AS bookings,\n"
            + "    COUNT(CASE WHEN status = 'CANCELLED' THEN 1 END) AS cancellations,\n"
            + "    COUNT(CASE WHEN status = 'NO_SHOW' THEN 1 END) AS no_shows\n"
            + "  FROM cad_bookings WHERE business_date IN (" + dates + ")\n"
            + "  GROUP BY user_id, facility_id, business_date\n"
            + "), paid AS (\n"
            + "  SELECT user_id, facility_id, business_date AS local_date,\n"
            + "    SUM(CASE WHEN kind <> 'REFUND' THEN amount ELSE 0 END) AS gross,\n"
            + "    SUM(CASE WHEN kind = 'REFUND' THEN amount ELSE 0 END) AS refunds\n"
            + "  FROM cad_payments\n"
            + "  WHERE business_date IN (" + dates + ") AND paid_at IS NOT NULL AND user_id IS NOT NULL\n"
            + "    AND ((kind <> 'REFUND' AND status IN ('SUCCEEDED', 'REFUNDED')) OR (kind = 'REFUND' AND status = 'SUCCEEDED'))\n"
            + "  GROUP BY user_id, facility_id, business_date\n"
            + ")\n"
            + "SELECT COALESCE(b.user_id, p.user_id) AS user_id, f.id AS facility_id, f.currency,\n"
            + "  COALESCE(b.local_date, p.local_date) AS local_date,\n"
            + "  COALESCE(b.visits, 0) AS visits, COALESCE(b.bookings, 0) AS bookings,\n"
            + "  COALESCE(b.cancellations, 0) AS cancellations, COALESCE(b.no_shows, 0) AS no_shows,\n"
            + "  CAST(COALESCE(p.gross, 0) AS DECIMAL(18,2)) AS gross_spend,\n"
            + "  CAST(COALESCE(p.refunds, 0) AS DECIMAL(18,2)) AS refunds,\n"
            + "  CAST(COALESCE(p.gross, 0) - COALESCE(p.refunds, 0) AS DECIMAL(18,2)) AS spend\n"
            + "FROM booked b\n"
            + "FULL OUTER JOIN paid p ON p.user_id = b.user_id AND p.facility_id = b.facility_id AND p.local_date = b.local_date\n"
            + "JOIN cad_facilities f ON f.id = COALESCE(b.facility_id, p.facility_id)");
  }
}
