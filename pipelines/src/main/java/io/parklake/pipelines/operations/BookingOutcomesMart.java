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
 * {@code booking_outcomes}: facility × ISO week of the booked entry (local): bookings by final status
 * and the cancellation and no-show rates over all bookings of the week. Doc:
 * pipelines/docs/marts/booking_outcomes.md.
 */
public final class BookingOutcomesMart implements Mart {

  @Override
  public String name() {
    return "booking_outcomes";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.bookings", "silver.facilities");
  }

  @Override
  public String dateColumn() {
    return "week_start";
  }

  @Override
  public SortedSet<LocalDate> partitionsFor(SortedSet<LocalDate> changedDays) {
    return Periods.isoWeeks(changedDays);
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> weeks) {
    context.view("silver.bookings", "bookings");
    context.view("silver.facilities", "facilities");
    return context.sql(
        "SELECT b.facility_id, f.name AS facility_name, b.week_start,\n"
            + "  COUNT(*) AS bookings,\n"
            + "  COUNT(CASE WHEN b.status = 'COMPLETED' THEN 1 END) AS completed,\n"
            + "  COUNT(CASE WHEN b.status = 'ACTIVE' THEN 1 END) AS active,\n"
            + "  COUNT(CASE WHEN b.status IN ('PENDING', 'CONFIRMED') THEN 1 END) AS upcoming,\n"
            + "  COUNT(CASE WHEN b.status = 'CANCELLED' THEN 1 END) AS cancelled,\n"
            + "  COUNT(CASE WHEN b.status = 'NO_SHOW' THEN 1 END) AS no_shows,\n"
            + "  COUNT(CASE WHEN b.status = 'CANCELLED' THEN 1 END) / CAST(COUNT(*) AS DOUBLE) AS cancellation_rate,\n"
            + "  COUNT(CASE WHEN b.status = 'NO_SHOW' THEN 1 END) / CAST(COUNT(*) AS DOUBLE) AS no_show_rate\n"
            + "FROM (SELECT *, date_trunc('WEEK', business_date)::date AS week_start FROM bookings) b\n"
            + "JOIN facilities f ON f.id = b.facility_id\n"
            + "WHERE b.week_start IN (" + MartContext.dateList(weeks) + ")\n"
            + "GROUP BY b.facility_id, f.name, b.week_start");
  }
}
