package io.parklake.pipelines.revenue;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code revenue_by_hour_of_week}: facility × ISO weekday × local hour, the average money moved in
 * that hour of the week over the {@value #WEEKS} full weeks ending on the run's as-of date — the
 * peak-time pattern. Every facility gets all 168 slots. Replaced whole each run (it reads only the
 * window). Doc: pipelines/docs/marts/revenue_by_hour_of_week.md.
 */
public final class RevenueByHourOfWeekMart implements Mart {
  static final int WEEKS = 8;

  @Override
  public String name() {
    return "revenue_by_hour_of_week";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.payments", "silver.facilities");
  }

  @Override
  public String dateColumn() {
    return null;
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> changedDays) {
    LocalDate last = context.asOf();
    LocalDate first = last.minusDays(WEEKS * 7L - 1);
    context.view("silver.payments", "payments");
    context.view("silver.facilities", "facilities");
    return context.sql(
        "WITH moved AS (\n"
            + "  SELECT p.facility_id, p.kind, p.amount, from_utc_timestamp(p.paid_at, f.timezone) AS local_time\n"
            + "  FROM payments p JOIN facilities f ON f.id = p.facility_id\n"
            + "  WHERE p.business_date BETWEEN DATE'" + first + "' AND DATE'" + last + "' AND " + RevenueSql.MONEY_MOVED + "\n"
            + "), slots AS (\n"
            + "  SELECT facility_id, dayofweek(local_time) AS dow, hour(local_time) AS hour,\n"
            + "    SUM(CASE WHEN kind <> 'REFUND' THEN amount ELSE 0 END) AS gross,\n"
            + "    SUM(CASE WHEN kind = 'REFUND' THEN -amount ELSE amount END) AS net,\n"
            + "    COUNT(CASE WHEN kind <> 'REFUND' THEN 1 END) AS payments\n"
            + "  FROM moved GROUP BY 1, 2, 3\n"
            + "), grid AS (\n"
            + "  SELECT f.id AS facility_id, f.name AS facility_name, f.currency, d AS dow, h AS hour\n"
            + "  FROM facilities f LATERAL VIEW explode(sequence(1, 7)) x AS d LATERAL VIEW explode(sequence(0, 23)) y AS h\n"
            + "  WHERE f.is_active OR EXISTS (SELECT 1 FROM slots s WHERE s.facility_id = f.id)\n"
            + ")\n"
            + "SELECT g.facility_id, g.facility_name, g.currency,\n"
            // Spark's dayofweek is 1 = Sunday; ISO numbers Monday 1 .. Sunday 7.
            + "  CAST(((g.dow + 5) % 7) + 1 AS INT) AS iso_weekday, CAST(g.hour AS INT) AS hour,\n"
            + "  CAST(ROUND(COALESCE(s.gross, 0) / " + WEEKS + ", 2) AS DECIMAL(18,2)) AS average_gross,\n"
            + "  CAST(ROUND(COALESCE(s.net, 0) / " + WEEKS + ", 2) AS DECIMAL(18,2)) AS average_net,\n"
            + "  COALESCE(s.payments, 0) / " + WEEKS + ".0D AS average_payments,\n"
            + "  DATE'" + first + "' AS window_start, DATE'" + last + "' AS window_end, " + WEEKS + " AS weeks\n"
            + "FROM grid g LEFT JOIN slots s ON s.facility_id = g.facility_id AND s.dow = g.dow AND s.hour = g.hour");
  }
}
