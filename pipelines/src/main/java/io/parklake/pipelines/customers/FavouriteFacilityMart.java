package io.parklake.pipelines.customers;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code favourite_facility}: per user with at least one visit up to the as-of day, the facility they
 * visited most. Ties go to the facility visited most recently, then to the smallest facility id.
 */
public final class FavouriteFacilityMart implements Mart {

  @Override
  public String name() {
    return "favourite_facility";
  }

  @Override
  public List<String> inputs() {
    return List.of("gold.customer_activity_daily");
  }

  @Override
  public String dateColumn() {
    return null;
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> changedDays) {
    context.view("gold.customer_activity_daily", "ff_activity");
    return context.sql(
        "WITH per_facility AS (\n"
            + "  SELECT user_id, facility_id, SUM(visits) AS visits, MAX(local_date) AS last_visit\n"
            + "  FROM ff_activity WHERE visits > 0 AND local_date <= DATE'" + context.asOf() + "'\n"
            + "  GROUP BY user_id, facility_id\n"
            + "), ranked AS (\n"
            + "  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY visits DESC, last_visit DESC, facility_id) AS rn,\n"
            + "    SUM(visits) OVER (PARTITION BY user_id) AS total_visits,\n"
            + "    COUNT(*) OVER (PARTITION BY user_id) AS facilities_used\n"
            + "  FROM per_facility\n"
            + ")\n"
            + "SELECT user_id, facility_id, visits, total_visits, CAST(visits AS DOUBLE) / total_visits AS visit_share,\n"
            + "  facilities_used, last_visit, DATE'" + context.asOf() + "' AS as_of\n"
            + "FROM ranked WHERE rn = 1");
  }
}
