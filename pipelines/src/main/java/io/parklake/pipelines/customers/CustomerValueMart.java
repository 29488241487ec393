package io.parklake.pipelines.customers;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.LoggerFactory;

/**
 * {@code customer_value}: one row per customer (a user in one currency) with at least one visit up to
 * the run's as-of day: the visit history in BG/NBD terms (frequency, recency, tenure in weeks), net
 * spend, and the predictions of the BG/NBD and Gamma-Gamma models fitted on this run's customers
 * ({@link CustomerModels}) and applied on the executors. Read from {@code gold.customer_activity_daily}, never from silver history.
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
    // One row per customer, kept (memory, then disk) for the three passes below: the counts and the
    // sample the models are fitted on, then the scoring. Never collected whole: at 10M bookings there
    // are over a million customers.
    Dataset<Row> summaries = context.sql(
        "WITH a AS (SELECT * FROM cv_activity WHERE local_date <= DATE'" + context.asOf() + "'),\n"
            + "visited AS (\n"
            + "  SELECT user_id, currency, MIN(local_date) AS first_visit, MAX(local_date) AS last_visit,\n"
            + "    COUNT(DISTINCT local_date) AS visit_days, SUM(visits) AS visits\n"
            + "  FROM a WHERE visits > 0 GROUP BY user_id, currency\n"
            + "), spent AS (\n"
            + "  SELECT user_id, currency, SUM(spend) AS total_spend FROM a GROUP BY user_id, currency\n"
            + ")\n"
            + "SELECT v.user_id, v.currency, v.first_visit, v.last_visit, v.visits, v.visit_days,\n"
            + "  CAST(v.visit_days - 1 AS INT) AS frequency,\n"
            + "  CAST(datediff(v.last_visit, v.first_visit) AS DOUBLE) / 7 AS recency_weeks,\n"
            + "  CAST(datediff(DATE'" + context.asOf() + "', v.first_visit) AS DOUBLE) / 7 AS tenure_weeks,\n"
            + "  CAST(s.total_spend AS DECIMAL(18,2)) AS total_spend,\n"
            + "  DATE'" + context.asOf() + "' AS as_of\n"
            + "FROM visited v JOIN spent s ON s.user_id = v.user_id AND s.currency = v.currency\n"
            + "JOIN cv_users u ON u.id = v.user_id AND NOT u.is_deleted").localCheckpoint();
    return CustomerModels.fit(summaries)
        .map(models -> summaries.mapPartitions(new Scorer(models), Encoders.row(SCHEMA)))
        .orElseGet(() -> context.spark().createDataFrame(List.of(), SCHEMA));
  }

  /** Scores customers on the executors with the run's fitted models (they travel with the task). */
  private static final class Scorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final CustomerModels models;

    Scorer(CustomerModels models) {
      this.models = models;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      List<Row> out = new ArrayList<>();
      int unscored = 0;
      while (rows.hasNext()) {
        Row r = rows.next();
        CustomerModels.Summary s = CustomerModels.Summary.of(r);
        long visits = r.<Long>getAs("visits");
        CustomerModels.Prediction p = models.predict(s);
        unscored += p.unscored() ? 1 : 0;
        out.add(RowFactory.create(s.userId(), s.currency(), r.getAs("first_visit"), r.getAs("last_visit"), visits, s.visitDays(),
            s.frequency(), s.recencyWeeks(), s.tenureWeeks(), s.totalSpend(),
            s.totalSpend().divide(BigDecimal.valueOf(visits), 2, RoundingMode.HALF_UP), s.totalSpend(),
            p.probabilityAlive(), p.expectedVisits90d(), money(p.expectedSpend()), money(p.clv12mDiscounted()), r.getAs("as_of")));
      }
      if (unscored > 0) {
        LoggerFactory.getLogger(CustomerValueMart.class)
            .warn("customer_value: {} of {} customers of a partition left without some predictions (a model's value was "
                + "not finite, or not an amount, for them)", unscored, out.size());
      }
      return out.iterator();
    }
  }

  private static BigDecimal money(Double v) {
    return v == null ? null : BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
  }
}
