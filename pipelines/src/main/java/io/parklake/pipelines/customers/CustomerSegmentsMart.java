package io.parklake.pipelines.customers;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code customer_segments}: RFM scores 1–5 per customer (user × currency) by quintile within the
 * currency — recency on the last visit day, frequency on visit days, monetary on net spend — and a
 * named segment from a fixed rule table on the scores (the first rule that matches wins).
 */
public final class CustomerSegmentsMart implements Mart {

  /** The segment names, in rule order. */
  public static final List<String> SEGMENTS = List.of("Champions", "Loyal", "Potential loyalist", "New", "Needs attention",
      "At risk", "Hibernating", "Lost");

  @Override
  public String name() {
    return "customer_segments";
  }

  @Override
  public List<String> inputs() {
    return List.of("gold.customer_value");
  }

  @Override
  public String dateColumn() {
    return null;
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> changedDays) {
    context.view("gold.customer_value", "cs_value");
    // Quintile of a value = 1 + floor(5 · (rank − 1) / n) within the currency: like ntile(5), but equal
    // values share a rank and so always share a score (the score of the first of them).
    return context.sql(
        "WITH scored AS (\n"
            + "  SELECT user_id, currency, last_visit, visit_days, total_spend,\n"
            + "    CAST(1 + FLOOR(5 * (RANK() OVER (PARTITION BY currency ORDER BY last_visit) - 1)\n"
            + "      / COUNT(*) OVER (PARTITION BY currency)) AS INT) AS recency_score,\n"
            + "    CAST(1 + FLOOR(5 * (RANK() OVER (PARTITION BY currency ORDER BY visit_days) - 1)\n"
            + "      / COUNT(*) OVER (PARTITION BY currency)) AS INT) AS frequency_score,\n"
            + "    CAST(1 + FLOOR(5 * (RANK() OVER (PARTITION BY currency ORDER BY total_spend) - 1)\n"
            + "      / COUNT(*) OVER (PARTITION BY currency)) AS INT) AS monetary_score,\n"
            + "    as_of\n"
            + "  FROM cs_value\n"
            + ")\n"
            + "SELECT user_id, currency, recency_score, frequency_score, monetary_score,\n"
            + "  concat(recency_score, frequency_score, monetary_score) AS rfm,\n"
            + "  CASE\n"
            + "    WHEN recency_score >= 4 AND frequency_score >= 4 AND monetary_score >= 4 THEN 'Champions'\n"
            + "    WHEN recency_score >= 3 AND frequency_score >= 4 THEN 'Loyal'\n"
            + "    WHEN recency_score >= 4 AND frequency_score >= 2 THEN 'Potential loyalist'\n"
            + "    WHEN recency_score >= 4 THEN 'New'\n"
            + "    WHEN recency_score = 3 THEN 'Needs attention'\n"
            + "    WHEN frequency_score >= 3 THEN 'At risk'\n"
            + "    WHEN recency_score = 2 THEN 'Hibernating'\n"
            + "    ELSE 'Lost'\n"
            + "  END AS segment,\n"
            + "  last_visit, visit_days, total_spend, as_of\n"
            + "FROM scored");
  }
}
