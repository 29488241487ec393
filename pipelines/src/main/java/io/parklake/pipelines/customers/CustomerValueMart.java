package io.parklake.pipelines.customers;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code customer_value}: one row per customer (a user in one currency) with at least one visit up to
 * the run's as-of day: the visit history in BG/NBD terms (frequency, recency, tenure in weeks), net
 * spend, and the predictions of the BG/NBD and Gamma-Gamma models fitted on this run's customers
 * ({@link CustomerModels}). Read from {@code gold.customer_activity_daily}, never from silver history.
 */
public final class CustomerValueMart implements Mart {

  static final StructType SCHEMA = new StructType()
      .add("user_id", DataTypes.StringType, false)
      .add("currency", DataTypes.StringType, false)
      .add("first_visit", DataTypes.DateType, false)
      .add("last_visit", DataTypes.DateType, false)
      .add("visits", DataTypes.LongType, false)
      .add("visit_days", DataTypes.LongType, false)
      .add("frequency", DataTypes.IntegerType, false)
      .add("recency_weeks", DataTypes.DoubleType, false)
      .add("tenure_weeks", DataTypes.DoubleType, false)
      .add("total_spend", DataTypes.createDecimalType(18, 2), false)
      .add("average_spend", DataTypes.createDecimalType(18, 2), false)
      .add("historic_clv", DataTypes.createDecimalType(18, 2), false)
      .add("probability_alive", DataTypes.DoubleType)
      .add("expected_visits_90d", DataTypes.DoubleType)
      .add("expected_avg_spend", DataTypes.createDecimalType(18, 2), true)
      .add("clv_12m_discounted", DataTypes.createDecimalType(18, 2), true)
      .add("as_of", DataTypes.DateType, false);

  @Override
  public String name() {
    return "customer_value";
  }

  @Override
  public List<String> inputs() {
    return List.of("gold.customer_activity_daily", "silver.users");
  }

  @Override
  public String dateColumn() {
    return null;
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> changedDays) {
    context.view("gold.customer_activity_daily", "cv_activity");
    context.view("silver.users", "cv_users");
    List<Row> summaries = context.sql(
        "WITH a AS (SELECT * FROM cv_activity WHERE local_date <= DATE'" + context.asOf() + "'),\n"
            + "visited AS (\n"
            + "  SELECT user_id, currency, MIN(local_date) AS first_visit, MAX(local_date) AS last_visit,\n"
            + "    COUNT(DISTINCT local_date) AS visit_days, SUM(visits) AS visits\n"
            + "  FROM a WHERE visits > 0 GROUP BY user_id, currency\n"
            + "), spent AS (\n"
            + "  SELECT user_id, currency, SUM(spend) AS total_spend FROM a GROUP BY user_id, currency\n"
            + ")\n"
            + "SELECT v.user_id, v.currency, v.first_visit, v.last_visit, v.visits, v.visit_days,\n"
            + "  datediff(v.last_visit, v.first_visit) AS recency_days,\n"
            + "  datediff(DATE'" + context.asOf() + "', v.first_visit) AS tenure_days,\n"
            + "  CAST(s.total_spend AS DECIMAL(18,2)) AS total_spend\n"
            + "FROM visited v JOIN spent s ON s.user_id = v.user_id AND s.currency = v.currency\n"
            + "JOIN cv_users u ON u.id = v.user_id AND NOT u.is_deleted\n"
            + "ORDER BY v.user_id, v.currency").collectAsList();
    List<CustomerModels.Summary> customers = new ArrayList<>(summaries.size());
    for (Row r : summaries) {
      customers.add(new CustomerModels.Summary(r.getString(0), r.getString(1), (int) (r.getLong(5) - 1), r.getInt(6) / 7.0,
          r.getInt(7) / 7.0, r.getLong(5), r.getDecimal(8)));
    }
    List<Row> out = new ArrayList<>(customers.size());
    if (!customers.isEmpty()) {
      CustomerModels models = CustomerModels.fit(customers);
      int unscored = 0;
      for (int i = 0; i < customers.size(); i++) {
        Row r = summaries.get(i);
        CustomerModels.Summary s = customers.get(i);
        long visits = r.getLong(4);
        Double alive = null;
        Double expected = null;
        BigDecimal spend = null;
        BigDecimal clv = null;
        try {
          alive = models.visits.probabilityAlive(s.history());
          expected = models.visits.expectedPurchases(s.history(), CustomerModels.WEEKS_90_DAYS);
          spend = money(models.expectedSpend(s));
          clv = money(models.clv12mDiscounted(s));
        } catch (ArithmeticException e) {
          // A degenerate fit on odd data must not fail the nightly: this customer gets no prediction.
          unscored++;
        }
        out.add(RowFactory.create(s.userId(), s.currency(), r.getLocalDate(2), r.getLocalDate(3), visits, s.visitDays(),
            s.frequency(), s.recencyWeeks(), s.tenureWeeks(), s.totalSpend(),
            s.totalSpend().divide(BigDecimal.valueOf(visits), 2, RoundingMode.HALF_UP), s.totalSpend(),
            alive, expected, spend, clv, context.asOf()));
      }
      if (unscored > 0) {
        org.slf4j.LoggerFactory.getLogger(CustomerValueMart.class)
            .warn("customer_value: {} of {} customers left without predictions (model series did not converge)", unscored,
                customers.size());
      }
    }
    return context.spark().createDataFrame(out, SCHEMA);
  }

  private static BigDecimal money(Double v) {
    return v == null ? null : BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
  }
}
