package io.parklake.pipelines.customers;

import io.parklake.pipelines.clv.BgNbdModel;
import io.parklake.pipelines.clv.CustomerHistory;
import io.parklake.pipelines.clv.GammaGammaModel;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The customer models of one run, fitted on the driver from per-customer summaries (a customer is a
 * user in one currency): one BG/NBD model over every customer (visit timing does not depend on the
 * currency) and one Gamma-Gamma spend model per currency (amounts in different currencies cannot be
 * pooled). Deterministic: the same summaries, in any order, give the same parameters.
 */
final class CustomerModels {
  /** Above this many customers BG/NBD is fitted on a deterministic sample (and still scores everyone). */
  static final int MAX_FIT_CUSTOMERS = 50_000;
  /** Fewer repeat customers than this in a currency: no Gamma-Gamma model, spend predictions are null. */
  static final int MIN_SPEND_CUSTOMERS = 10;
  /** The prediction horizon of {@code expected_visits_90d}, in weeks. */
  static final double WEEKS_90_DAYS = 90 / 7.0;
  /** One average month in weeks (365.25 / 12 days). */
  static final double WEEKS_PER_MONTH = 365.25 / 12 / 7;
  /** Monthly discount rate of {@code clv_12m_discounted}: 1 % a month. */
  static final double MONTHLY_DISCOUNT = 0.01;

  /** One customer's summary as {@code customer_value} stores it. */
  record Summary(String userId, String currency, int frequency, double recencyWeeks, double tenureWeeks, long visitDays,
      BigDecimal totalSpend) {

    String key() {
      return userId + "|" + currency;
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
  final Map<String, Integer> spendFittedOn;

  private CustomerModels(BgNbdModel visits, int visitsFittedOn, Map<String, GammaGammaModel> spend,
      Map<String, Integer> spendFittedOn) {
    this.visits = visits;
    this.visitsFittedOn = visitsFittedOn;
    this.spendByCurrency = spend;
    this.spendFittedOn = spendFittedOn;
  }

  static CustomerModels fit(List<Summary> summaries) {
    if (summaries.isEmpty()) {
      throw new IllegalArgumentException("no customers to fit the customer models on");
    }
    List<Summary> sorted = new ArrayList<>(summaries);
    sorted.sort(Comparator.comparing(Summary::key));
    List<CustomerHistory> all = sorted.stream().map(Summary::history).toList();
    List<CustomerHistory> sample = sample(all);
    BgNbdModel bgnbd = BgNbdModel.fit(sample);
    Map<String, GammaGammaModel> spend = new TreeMap<>();
    Map<String, Integer> spendN = new TreeMap<>();
    Map<String, List<CustomerHistory>> byCurrency = new TreeMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      byCurrency.computeIfAbsent(sorted.get(i).currency(), k -> new ArrayList<>()).add(all.get(i));
    }
    byCurrency.forEach((currency, customers) -> {
      List<CustomerHistory> repeat = customers.stream().filter(c -> c.frequency() > 0 && c.monetary().signum() > 0).toList();
      spendN.put(currency, repeat.size());
      if (repeat.size() >= MIN_SPEND_CUSTOMERS) {
        GammaGammaModel gg = GammaGammaModel.fit(repeat);
        if (gg.q() > 1) { // the posterior mean spend needs q > 1
          spend.put(currency, gg);
        }
      }
    });
    return new CustomerModels(bgnbd, sample.size(), spend, spendN);
  }

  /**
   * Every customer when there are at most {@link #MAX_FIT_CUSTOMERS}; otherwise those whose key hashes
   * into the first of ⌈n / MAX⌉ buckets (String.hashCode is fixed by the Java spec: same sample every run).
   */
  static List<CustomerHistory> sample(List<CustomerHistory> all) {
    if (all.size() <= MAX_FIT_CUSTOMERS) {
      return all;
    }
    int buckets = (all.size() + MAX_FIT_CUSTOMERS - 1) / MAX_FIT_CUSTOMERS;
    return all.stream().filter(c -> Math.floorMod(c.customerId().hashCode(), buckets) == 0).collect(Collectors.toList());
  }

  /** Expected mean net spend per visit day, or null without a spend model for the currency. */
  Double expectedSpend(Summary s) {
    GammaGammaModel gg = spendByCurrency.get(s.currency());
    return gg == null ? null : gg.expectedSpend(s.history());
  }

  /**
   * Σ over months k = 1..12 of expected spend per visit day × expected visit days in month k, discounted
   * by (1 + 1 %)^k: the expected visit days of month k are E[Y(k·m)] − E[Y((k−1)·m)] of BG/NBD eq. 10.
   */
  Double clv12mDiscounted(Summary s) {
    Double perVisit = expectedSpend(s);
    if (perVisit == null) {
      return null;
    }
    CustomerHistory h = s.history();
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
