package io.parklake.pipelines.customers;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.parklake.pipelines.clv.BgNbdModel;
import io.parklake.pipelines.clv.CustomerHistory;
import io.parklake.pipelines.clv.GammaGammaModel;
import io.parklake.pipelines.clv.ModelFit;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
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
 *
 * <p>A model never fails the run. When a sample is degenerate (no repeat visits, identical amounts, a
 * likelihood without a finite maximum) there is no such model, the reason is logged (one line per
 * model) and kept in {@link #visitsFailure} / {@link #spendFailures}, and the predictions that need it
 * are null. A customer whose prediction comes out NaN, infinite, or too large for the mart's decimal
 * columns gets null for it, and is counted by the scorer ({@link #predict}).
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
  /** decimal(18,2) holds amounts below 10^16: a spend or CLV prediction beyond that is not an amount but a degenerate fit. */
  static final double MAX_AMOUNT = 1e16;

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

  /** The visit model, or null when there is none ({@link #visitsFailure} says why). */
  final BgNbdModel visits;
  final String visitsFailure;
  final int visitsFittedOn;
  final Map<String, GammaGammaModel> spendByCurrency;
  /** Per currency without a spend model: why (too few repeat customers, a degenerate fit, q ≤ 1). */
  final Map<String, String> spendFailures;
  /** Per currency: the repeat customers with positive spend Gamma-Gamma was fitted on (a sample above the maximum). */
  final Map<String, Integer> spendFittedOn;
  /** Per currency: all its customers. */
  final Map<String, Long> customersByCurrency;

  private CustomerModels(ModelFit<BgNbdModel> visits, int visitsFittedOn, Map<String, GammaGammaModel> spend,
      Map<String, String> spendFailures, Map<String, Integer> spendFittedOn, Map<String, Long> customersByCurrency) {
    this.visits = visits.model();
    this.visitsFailure = visits.failure();
    this.visitsFittedOn = visitsFittedOn;
    this.spendByCurrency = spend;
    this.spendFailures = spendFailures;
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
    return Optional.of(fitSamples(visitSample, spendSamples, customers));
  }

  /**
   * The driver's part of {@link #fit(Dataset, int)}: BG/NBD on {@code visitSample}, Gamma-Gamma per
   * currency of {@code customers} on its {@code spendSamples}. Never throws because of a model: a model
   * that cannot be fitted is absent, with its reason logged and kept.
   */
  static CustomerModels fitSamples(List<Summary> visitSample, Map<String, List<Summary>> spendSamples, Map<String, Long> customers) {
    long n = customers.values().stream().mapToLong(Long::longValue).sum();
    long fitStart = System.nanoTime();
    ModelFit<BgNbdModel> bgnbd = BgNbdModel.fit(histories(visitSample));
    if (!bgnbd.fitted()) {
      log.warn("customer models: no BG/NBD model, so probability_alive, expected_visits_90d and clv_12m_discounted are null "
          + "for all {} customers: {}", n, bgnbd.failure());
    }
    Map<String, GammaGammaModel> spend = new TreeMap<>();
    Map<String, String> spendFailures = new TreeMap<>();
    Map<String, Integer> spendN = new TreeMap<>();
    for (String currency : customers.keySet()) {
      List<CustomerHistory> fittedOn = histories(spendSamples.getOrDefault(currency, List.of()));
      spendN.put(currency, fittedOn.size());
      String failure;
      if (fittedOn.size() < MIN_SPEND_CUSTOMERS) {
        failure = fittedOn.size() + " repeat customers with positive spend, fewer than the " + MIN_SPEND_CUSTOMERS + " a spend model needs";
      } else {
        ModelFit<GammaGammaModel> gg = GammaGammaModel.fit(fittedOn);
        if (gg.fitted() && gg.model().hasFiniteMeanSpend()) {
          spend.put(currency, gg.model());
          continue;
        }
        failure = gg.fitted() ? "the fit has q = " + gg.model().q() + " <= 1, so no finite mean spend" : gg.failure();
        log.warn("customer models: no Gamma-Gamma model for {}, so its {} customers have null spend predictions: {}", currency,
            customers.get(currency), failure);
      }
      spendFailures.put(currency, failure);
    }
    log.info("customer models: BG/NBD {} on {} of {} customers, Gamma-Gamma on {} (per currency, repeat customers; {} of {} "
        + "currencies without a spend model), in {} s", bgnbd.fitted() ? "fitted" : "not fitted", visitSample.size(), n, spendN,
        spendFailures.size(), customers.size(), String.format("%.1f", (System.nanoTime() - fitStart) / 1e9));
    return new CustomerModels(bgnbd, visitSample.size(), spend, spendFailures, spendN, customers);
  }

  private static long buckets(long n, int maxFit) {
    return Math.max(1, (n + maxFit - 1) / maxFit);
  }

  /** Histories in key order, so the likelihood sums (and the fit) do not depend on the row order. */
  private static List<CustomerHistory> histories(List<Summary> summaries) {
    return summaries.stream().sorted(Comparator.comparing(Summary::key)).map(Summary::history).toList();
  }

  /** One customer's predictions; each null when its model is missing or its value is not finite (or not an amount). */
  record Prediction(Double probabilityAlive, Double expectedVisits90d, Double expectedSpend, Double clv12mDiscounted,
      boolean unscored) {}

  /**
   * The customer's predictions. Never throws and never returns a NaN or infinite value: a prediction
   * whose model is missing is null, and one that fails on this customer (the hypergeometric series
   * does not converge, a power overflows) or comes out non-finite, or as a spend or CLV of 10^16 or
   * more, is null too and the customer is {@code unscored}.
   */
  Prediction predict(Summary s) {
    CustomerHistory h = s.history();
    Double alive = null;
    Double visits90d = null;
    boolean unscored = false;
    if (visits != null) {
      alive = finite(() -> visits.probabilityAlive(h));
      visits90d = finite(() -> visits.expectedPurchases(h, WEEKS_90_DAYS));
      unscored = alive == null || visits90d == null;
    }
    GammaGammaModel gg = spendByCurrency.get(s.currency());
    Double spend = gg == null ? null : amount(() -> gg.expectedSpend(h));
    unscored |= gg != null && spend == null;
    Double clv = null;
    if (spend != null && visits90d != null) {
      double perVisit = spend;
      clv = amount(() -> clv12mDiscounted(h, perVisit));
      unscored |= clv == null;
    }
    return new Prediction(alive, visits90d, spend, clv, unscored);
  }

  /** The value, or null when computing it throws or it is NaN or infinite. */
  private static Double finite(DoubleSupplier value) {
    try {
      double v = value.getAsDouble();
      return Double.isFinite(v) ? v : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** As {@link #finite}, and null beyond ±{@link #MAX_AMOUNT}, which the mart's decimal(18,2) cannot hold. */
  private static Double amount(DoubleSupplier value) {
    Double v = finite(value);
    return v != null && Math.abs(v) < MAX_AMOUNT ? v : null;
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
