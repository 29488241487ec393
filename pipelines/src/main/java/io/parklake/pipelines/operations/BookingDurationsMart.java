package io.parklake.pipelines.operations;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Periods;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code booking_durations}: facility × local month of entry, over completed stays (entry to actual
 * exit): median, 90th percentile and mean duration in minutes, and the overstay rate (left after the
 * expected exit). Doc: pipelines/docs/marts/booking_durations.md.
 */
public final class BookingDurationsMart implements Mart {

  @Override
  public String name() {
    return "booking_durations";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.bookings", "silver.facilities");
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
    context.view("silver.bookings", "bookings");
    context.view("silver.facilities", "facilities");
    return context.sql(
        "WITH stays AS (\n"
            + "  SELECT facility_id, trunc(business_date, 'MM') AS month_start,\n"
            + "    unix_micros(actual_exit) - unix_micros(entry_time) AS micros,\n"
            + "    (unix_micros(actual_exit) - unix_micros(entry_time)) / 60000000.0D AS minutes,\n"
            + "    expected_exit IS NOT NULL AND actual_exit > expected_exit AS overstay\n"
            + "  FROM bookings\n"
            + "  WHERE status = 'COMPLETED' AND actual_exit IS NOT NULL\n"
            + "    AND trunc(business_date, 'MM') IN (" + MartContext.dateList(months) + ")\n"
            + ")\n"
            + "SELECT s.facility_id, f.name AS facility_name, s.month_start, COUNT(*) AS completed_stays,\n"
            + "  percentile(s.minutes, 0.5) AS p50_minutes, percentile(s.minutes, 0.9) AS p90_minutes,\n"
            // From the exact sum of whole microseconds: AVG of doubles depends on the order rows arrive in,
            // so the same month computed with other partitions (a backfill) would differ in the last digits.
            + "  SUM(s.micros) / 60000000.0D / COUNT(*) AS mean_minutes,\n"
            + "  COUNT(CASE WHEN s.overstay THEN 1 END) AS overstays,\n"
            + "  COUNT(CASE WHEN s.overstay THEN 1 END) / CAST(COUNT(*) AS DOUBLE) AS overstay_rate\n"
            + "FROM stays s JOIN facilities f ON f.id = s.facility_id\n"
            + "GROUP BY s.facility_id, f.name, s.month_start");
  }
}
