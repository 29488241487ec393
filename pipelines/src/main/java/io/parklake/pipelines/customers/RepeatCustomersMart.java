package io.parklake.pipelines.customers;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Periods;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code repeat_customers}: per facility and local month, the users who visited, how many of them
 * visited that facility for the first time ever (new) and how many had been there before (returning).
 * "First ever" is per facility and looks at every earlier partition of the compact
 * {@code customer_activity_daily}, so a change to an early month can change every later month: the
 * partitions refreshed run from the first changed month to the last (a nightly run always includes its
 * run date, so that reaches the present).
 */
public final class RepeatCustomersMart implements Mart {

  @Override
  public String name() {
    return "repeat_customers";
  }

  @Override
  public List<String> inputs() {
    return List.of("gold.customer_activity_daily", "silver.facilities");
  }

  @Override
  public String dateColumn() {
    return "month_start";
  }

  @Override
  public SortedSet<LocalDate> partitionsFor(SortedSet<LocalDate> changedDays) {
    SortedSet<LocalDate> months = Periods.months(changedDays);
    SortedSet<LocalDate> out = new TreeSet<>();
    if (!months.isEmpty()) {
      for (LocalDate m = months.first(); !m.isAfter(months.last()); m = m.plusMonths(1)) {
        out.add(m);
      }
    }
    return out;
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> months) {
    String list = MartContext.dateList(months);
    context.view("gold.customer_activity_daily", "rc_activity");
    context.view("silver.facilities", "rc_facilities");
    return context.sql(
        "WITH months AS (SELECT explode(array(" + list + ")) AS month_start),\n"
            + "visited AS (SELECT user_id, facility_id, local_date, visits FROM rc_activity WHERE visits > 0),\n"
            + "firsts AS (SELECT user_id, facility_id, MIN(local_date) AS first_visit FROM visited GROUP BY user_id, facility_id),\n"
            + "per_user AS (\n"
            + "  SELECT v.facility_id, trunc(v.local_date, 'MM') AS month_start, v.user_id, SUM(v.visits) AS visits,\n"
            + "    MIN(f.first_visit) >= trunc(v.local_date, 'MM') AS is_new\n"
            + "  FROM visited v JOIN firsts f ON f.user_id = v.user_id AND f.facility_id = v.facility_id\n"
            + "  WHERE trunc(v.local_date, 'MM') IN (" + list + ")\n"
            + "  GROUP BY v.facility_id, trunc(v.local_date, 'MM'), v.user_id\n"
            + "), per_facility AS (\n"
            + "  SELECT facility_id, month_start, COUNT(*) AS customers, COUNT(CASE WHEN is_new THEN 1 END) AS new_customers,\n"
            + "    SUM(visits) AS visits\n"
            + "  FROM per_user GROUP BY facility_id, month_start\n"
            + ")\n"
            + "SELECT f.id AS facility_id, m.month_start,\n"
            + "  COALESCE(p.customers, 0) AS customers, COALESCE(p.new_customers, 0) AS new_customers,\n"
            + "  COALESCE(p.customers - p.new_customers, 0) AS returning_customers,\n"
            + "  CAST(p.customers - p.new_customers AS DOUBLE) / p.customers AS repeat_rate,\n"
            + "  COALESCE(p.visits, 0) AS visits\n"
            + "FROM rc_facilities f CROSS JOIN months m\n"
            + "LEFT JOIN per_facility p ON p.facility_id = f.id AND p.month_start = m.month_start\n"
            + "WHERE f.is_active OR p.facility_id IS NOT NULL");
  }
}
