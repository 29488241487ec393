package io.parklake.pipelines.customers;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.parklake.pipelines.clv.BgNbdModel;
import io.parklake.pipelines.clv.CustomerHistory;
import io.parklake.pipelines.clv.GammaGammaModel;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer models of one run, fitted on the driver from per-customer summaries (a customer is a
 * user in one currency): one BG/NBD model over every customer (visit timing does not depend on the
 * currency) and one Gamma-Gamma spend model per currency (amounts in different currencies cannot be
 * pooled). Above {@link #MAX_FIT_CUSTOMERS} customers a model is fitted on a deterministic sample
 * chosen in Spark, so only the sample reaches the driver; scoring runs on the executors with the
 * fitted (serializable) models. Deterministic: the same summaries, in any order, give the same
 * parameters.
 */
final class CustomerModels implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(CustomerModels.class);

  /** Above this many customers a model is fitted on a deterministic sample (and still scores everyone). */
  static final int MAX_FIT_CUSTOMERS = 50_000;
  /** Fewer repeat customers than this in a currency: no Gamma-Gamma model, spend predictions are null. */
  static final int MIN_SPEND_CUSTOMERS = 10;
  /** The prediction horizon of {@code expected_visits_90d}, in weeks. */
  static final double WEEKS_90_DAYS = 90 / 7.0;
  /** One average month in weeks (365.25 / 12 days). */
  static final double WEEKS_PER_MONTH = 365.25 / 12 / 7;
  /** Monthly discount rate of {@code clv_12m_discounted}: 1 % a month. */
  static final double MONTHLY_DISCOUNT = 0.01;

  /**
   * The columns a summary dataset given to {@link #fit(Dataset)} has (both {@code customer_value}'s
   * own query and the stored mart have them).
   */
  static final String[] SUMMARY_COLUMNS =
      {"user_id", "currency", "frequency", "recency_weeks", "tenure_weeks", "visit_days", "total_spend"};

  /** One customer's summary as {@code customer_value} stores it. */
  record Summary(String userId, String currency, int frequency, double recencyWeeks, double tenureWeeks, long visitDays,
      BigDecimal totalSpend) {

    String key() {
      return userId + "|" + currency;
    }

    /** Reads the {@link #SUMMARY_COLUMNS} of a row, by name. */
    static Summary of(Row r) {
      return new Summary(r.getAs("user_id"), r.getAs("currency"), r.<Integer>getAs("frequency"), r.<Double>getAs("recency_weeks"),
          r.<Double>getAs("tenure_weeks"), r.<Long>getAs("visit_days"), r.getAs("total_spend"));
    }

    /** Repeat customer with positive spend: the customers Gamma-Gamma is fitted on. */
    boolean spendsRepeatedly() {
      return frequency > 0 && totalSpend.signum() > 0;
    }

    /** The model's history: purchases are visit days; monetary value is net spend per visit day. */
    CustomerHistory history() {
      BigDecimal perDay = totalSpend.divide(BigDecimal.valueOf(visitDays), 6, RoundingMode.HALF_EVEN);
      return new CustomerHistory(key(), frequency, recencyWeeks, tenureWeeks, perDay);
    }
  }

  final BgNbdModel visits;
  final int visitsFittedOn;
  final Map<String, GammaGammaModel> spendByCurrency;
  /** Per currency: the repeat customers with positive spend Gamma-Gamma was fitted on (a sample above the maximum). */
  final Map<String, Integer> spendFittedOn;
  /** Per currency: all its customers. */
  final Map<String, Long> customersByCurrency;

  private CustomerModels(BgNbdModel visits, int visitsFittedOn, Map<String, GammaGammaModel> spend,
      Map<String, Integer> spendFittedOn, Map<String, Long> customersByCurrency) {
    this.visits = visits;
    this.visitsFittedOn = visitsFittedOn;
    this.spendByCurrency = spend;
    this.spendFittedOn = spendFittedOn;
    this.customersByCurrency = customersByCurrency;
  }

  /** The models fitted on {@code summaries}, or empty when there are no customers. */
  static Optional<CustomerModels> fit(Dataset<Row> summaries) {
    return fit(summaries, MAX_FIT_CUSTOMERS);
  }

  /**
   * Fits on {@code summaries} (with the {@link #SUMMARY_COLUMNS}). A model with more than {@code maxFit}
   * candidates is fitted on those whose {@code xxhash64(user_id, '|', currency)} falls into bucket 0 of
   * ⌈n / maxFit⌉ buckets: about n / ⌈n / maxFit⌉ ≤ maxFit customers, the same ones every run. Two small
   * queries reach the driver: the counts per currency and the sampled summaries.
   */
  static Optional<CustomerModels> fit(Dataset<Row> summaries, int maxFit) {
    Dataset<Row> s = summaries.selectExpr(SUMMARY_COLUMNS);
    Column repeat = col("frequency").gt(0).and(col("total_spend").gt(0));
    Map<String, Long> customers = new TreeMap<>();
    Map<String, Long> repeatCustomers = new TreeMap<>();
    for (Row r : s.groupBy("currency")
        .agg(functions.count(lit(1)), functions.sum(functions.when(repeat, 1).otherwise(0)))
        .collectAsList()) {
      customers.put(r.getString(0), r.getLong(1));
      repeatCustomers.put(r.getString(0), r.getLong(2));
    }
    long n = customers.values().stream().mapToLong(Long::longValue).sum();
    if (n == 0) {
      return Optional.empty();
    }
    long visitBuckets = buckets(n, maxFit);
    Column bucketHash = xxhash64(concat_ws("|", col("user_id"), col("currency")));
    Column inVisitSample = functions.pmod(bucketHash, lit(visitBuckets)).equalTo(0);
    Column spendBuckets = lit(1L);
    for (Map.Entry<String, Long> c : repeatCustomers.entrySet()) {
      spendBuckets = functions.when(col("currency").equalTo(c.getKey()), lit(buckets(c.getValue(), maxFit))).otherwise(spendBuckets);
    }
    Column inSpendSample = repeat.and(functions.pmod(bucketHash, spendBuckets).equalTo(0));
    List<Row> sampled = s.withColumn("in_visit_sample", inVisitSample).withColumn("in_spend_sample", inSpendSample)
        .where(col("in_visit_sample").or(col("in_spend_sample"))).collectAsList();

    List<Summary> visitSample = new ArrayList<>();
    Map<String, List<Summary>> spendSamples = new TreeMap<>();
    for (Row r : sampled) {
      Summary summary = Summary.of(r);
      if (r.<Boolean>getAs("in_visit_sample")) {
        visitSample.add(summary);
      }
      if (r.<Boolean>getAs("in_spend_sample")) {
        spendSamples.computeIfAbsent(summary.currency(), k -> new ArrayList<>()).add(summary);
      }
    }
    long fitStart = System.nanoTime();
    BgNbdModel bgnbd = BgNbdModel.fit(histories(visitSample));
    Map<String, GammaGammaModel> spend = new TreeMap<>();
    Map<String, Integer> spendN = new TreeMap<>();
    for (String currency : customers.keySet()) {
      List<CustomerHistory> fittedOn = histories(spendSamples.getOrDefault(currency, List.of()));
      spendN.put(currency, fittedOn.size());
      if (fittedOn.size() >= MIN_SPEND_CUSTOMERS) {
        GammaGammaModel gg = GammaGammaModel.fit(fittedOn);
        if (gg.q() > 1) { // the posterior mean spend needs q > 1
          spend.put(currency, gg);
        }
      }
    }
    log.info("customer models: BG/NBD fitted on {} of {} customers, Gamma-Gamma on {} (per currency, repeat customers), in {} s",
        visitSample.size(), n, spendN, String.format("%.1f", (System.nanoTime() - fitStart) / 1e9));
    return Optional.of(new CustomerModels(bgnbd, visitSample.size(), spend, spendN, customers));
  }

  private static long buckets(long n, int maxFit) {
    return Math.max(1, (n + maxFit - 1) / maxFit);
  }

  /** Histories in key order, so the likelihood sums (and the fit) do not depend on the row order. */
  private static List<CustomerHistory> histories(List<Summary> summaries) {
    return summaries.stream().sorted(Comparator.comparing(Summary::key)).map(Summary::history).toList();
  }

  /** Expected mean net spend per visit day of a customer in {@code currency}, or null without a spend model for it. */
  Double expectedSpend(String currency, CustomerHistory h) {
    GammaGammaModel gg = spendByCurrency.get(currency);
    return gg == null ? null : gg.expectedSpend(h);
  }

  /**
   * Σ over months k = 1..12 of expected spend per visit day × expected visit days in month k, discounted
   * by (1 + 1 %)^k: the expected visit days of month k are E[Y(k·m)] − E[Y((k−1)·m)] of BG/NBD eq. 10.
   */
  double clv12mDiscounted(CustomerHistory h, double perVisit) {
    double total = 0;
    double before = 0;
    for (int k = 1; k <= 12; k++) {
      double upTo = visits.expectedPurchases(h, k * WEEKS_PER_MONTH);
      total += perVisit * (upTo - before) / Math.pow(1 + MONTHLY_DISCOUNT, k);
      before = upTo;
    }
    return total;
  }
}
