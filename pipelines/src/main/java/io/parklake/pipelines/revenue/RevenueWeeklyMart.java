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
 * {@code revenue_weekly}: facility × ISO week (Monday to Sunday in the facility's zone), the sums of
 * {@code revenue_daily} over the week's days. Doc: pipelines/docs/marts/revenue_weekly.md.
 */
public final class RevenueWeeklyMart implements Mart {

  @Override
  public String name() {
    return "revenue_weekly";
  }

  @Override
  public List<String> inputs() {
    return List.of("gold.revenue_daily");
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
    context.view("gold.revenue_daily", "revenue_daily");
    return context.sql("SELECT facility_id, facility_name, city, timezone, currency, week_start,\n"
        + "  extract(YEAROFWEEK FROM week_start) AS iso_year, extract(WEEK FROM week_start) AS iso_week,\n"
        + "  gross, refunds, net, payments, average_ticket, booking_gross, subscription_gross, fine_gross, days_with_rows\n"
        + "FROM (" + RevenueSql.rollUp("week_start", "date_trunc('WEEK', local_date)::date", MartContext.dateList(weeks)) + ")");
  }
}
