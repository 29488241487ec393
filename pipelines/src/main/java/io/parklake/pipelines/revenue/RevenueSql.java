package io.parklake.pipelines.revenue;

/** The revenue rules every revenue mart shares, as Spark SQL fragments, so they are written once. */
final class RevenueSql {
  /** A payment row whose money moved: succeeded (or later refunded) non-refunds and succeeded refunds. */
  static final String MONEY_MOVED = "paid_at IS NOT NULL AND ((kind <> 'REFUND' AND status IN ('SUCCEEDED', 'REFUNDED'))"
      + " OR (kind = 'REFUND' AND status = 'SUCCEEDED'))";

  /** The additive measures of revenue_daily, summed by the weekly and monthly marts. */
  static final String[] SUMMED = {"gross", "refunds", "net", "booking_gross", "subscription_gross", "fine_gross"};

  private RevenueSql() {}

  static String money(String expression) {
    return "CAST(" + expression + " AS DECIMAL(18,2))";
  }

  /** gross / payments rounded half-up to the cent; null when there were no payments. */
  static String averageTicket(String gross, String payments) {
    return "CAST(CASE WHEN COALESCE(" + payments + ", 0) = 0 THEN NULL ELSE ROUND(" + gross + " / " + payments
        + ", 2) END AS DECIMAL(18,2))";
  }

  /**
   * The revenue_daily rows of the periods starting on {@code periodStarts}, summed per facility and
   * period; {@code periodExpression} maps {@code local_date} to its period's first day.
   */
  static String rollUp(String periodColumn, String periodExpression, String periodStarts) {
    StringBuilder sums = new StringBuilder();
    for (String m : SUMMED) {
      sums.append("  ").append(money("SUM(" + m + ")")).append(" AS ").append(m).append(",\n");
    }
    return "SELECT facility_id, max(facility_name) AS facility_name, max(city) AS city, max(timezone) AS timezone,\n"
        + "  max(currency) AS currency, " + periodColumn + ",\n"
        + sums
        + "  SUM(payments) AS payments,\n"
        + "  " + averageTicket("SUM(gross)", "SUM(payments)") + " AS average_ticket,\n"
        + "  COUNT(DISTINCT local_date) AS days_with_rows\n"
        + "FROM (SELECT *, " + periodExpression + " AS " + periodColumn + " FROM revenue_daily) r\n"
        + "WHERE " + periodColumn + " IN (" + periodStarts + ")\n"
        + "GROUP BY facility_id, " + periodColumn;
  }
}
