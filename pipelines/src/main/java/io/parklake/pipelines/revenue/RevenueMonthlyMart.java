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
 * {@code revenue_monthly}: facility × calendar month in the facility's zone, the sums of
 * {@code revenue_daily} over the month's days. Doc: pipelines/docs/marts/revenue_monthly.md.
 */
public final class RevenueMonthlyMart implements Mart {

  @Override
  public String name() {
    return "revenue_monthly";
  }

  @Override
  public List<String> inputs() {
    return List.of("gold.revenue_daily");
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
    context.view("gold.revenue_daily", "revenue_daily");
    return context.sql("SELECT facility_id, facility_name, city, timezone, currency, month_start,\n"
        + "  gross, refunds, net, payments, average_ticket, booking_gross, subscription_gross, fine_gross, days_with_rows\n"
        + "FROM (" + RevenueSql.rollUp("month_start", "trunc(local_date, 'MM')", MartContext.dateList(months)) + ")");
  }
}
