package io.parklake.pipelines.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.parklake.pipelines.clv.BgNbdModel;
import io.parklake.pipelines.clv.CustomerHistory;
import io.parklake.pipelines.clv.GammaGammaModel;
import io.parklake.pipelines.clv.ModelFit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The customer models on degenerate customer sets, fitted on the driver without Spark: no model is
 * a documented failure with its reason, never an exception, and the predictions that need a missing
 * model, or that come out non-finite for a customer, are null.
 */
class CustomerModelsDegenerateTest {

  private static CustomerModels.Summary summary(String id, int frequency, double recency, double tenure, String spend) {
    return new CustomerModels.Summary(id, "EUR", frequency, recency, tenure, frequency + 1L, new BigDecimal(spend));
  }

  private static CustomerModels fit(List<CustomerModels.Summary> all) {
    List<CustomerModels.Summary> repeat = all.stream().filter(CustomerModels.Summary::spendsRepeatedly).toList();
    return CustomerModels.fitSamples(all, Map.of("EUR", repeat), Map.of("EUR", (long) all.size()));
  }

  private static List<CustomerHistory> histories(List<CustomerModels.Summary> all) {
    return all.stream().map(CustomerModels.Summary::history).toList();
  }

  @Test
  void given_only_one_time_customers_when_fitted_then_there_is_no_visit_model_and_visit_predictions_are_null() {
    List<CustomerModels.Summary> once = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      once.add(summary("u" + i, 0, 0, 1 + i, "7.50"));
    }

    ModelFit<BgNbdModel> bgnbd = BgNbdModel.fit(histories(once));
    CustomerModels models = fit(once);

    assertThat(bgnbd.fitted()).isFalse();
    assertThat(bgnbd.failure()).isEqualTo("none of the 20 customers has a repeat purchase, so the data cannot tell how often or "
        + "how long customers come back");
    assertThat(models.visits).isNull();
    assertThat(models.visitsFailure).isEqualTo(bgnbd.failure());
    assertThat(models.spendFailures).containsEntry("EUR", "0 repeat customers with positive spend, fewer than the 10 a spend model needs");
    assertThat(models.predict(once.get(3))).isEqualTo(new CustomerModels.Prediction(null, null, null, null, false));
    assertThatThrownBy(bgnbd::orElseThrow).isInstanceOf(IllegalStateException.class).hasMessage("no model: " + bgnbd.failure());
  }

  @Test
  void given_every_customer_first_seen_on_the_calibration_end_when_fitted_then_there_is_no_visit_model() {
    // T = 0 for all: no one can have come back yet (before the fix the flat likelihood gave a = 1 and E[Y] = ∞).
    List<CustomerHistory> today = List.of(new CustomerHistory("a", 0, 0, 0, BigDecimal.ZERO),
        new CustomerHistory("b", 0, 0, 0, BigDecimal.ONE));

    assertThat(BgNbdModel.fit(today).failure()).isEqualTo("none of the 2 customers has a repeat purchase, so the data cannot "
        + "tell how often or how long customers come back");
    assertThat(BgNbdModel.fit(List.of()).failure()).isEqualTo("no customers");
  }

  @Test
  void given_repeat_customers_who_all_spent_nothing_when_fitted_then_there_is_no_spend_model() {
    List<CustomerHistory> free = List.of(new CustomerHistory("a", 3, 5, 20, BigDecimal.ZERO),
        new CustomerHistory("b", 1, 2, 10, BigDecimal.ZERO));

    assertThat(GammaGammaModel.fit(free).failure()).isEqualTo("none of the 2 customers has a repeat purchase with positive spend");
  }

  @Test
  void given_repeat_customers_who_all_spent_the_same_per_visit_when_fitted_then_the_expected_spend_is_that_amount() {
    // A flat tariff: the spend model's parameters run large (no spread between customers) but stay finite,
    // and its posterior mean is the one amount everyone paid.
    List<CustomerModels.Summary> flat = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      int x = 1 + i % 5;
      flat.add(summary("u" + i, x, 2 + i % 7, 20, new BigDecimal("5.00").multiply(BigDecimal.valueOf(x + 1L)).toPlainString()));
    }
    CustomerModels models = fit(flat);

    assertThat(models.spendByCurrency).containsKey("EUR");
    for (CustomerModels.Summary s : flat) {
      CustomerModels.Prediction p = models.predict(s);
      assertThat(p.expectedSpend()).isCloseTo(5.0, within(0.01));
      assertThat(p.probabilityAlive()).isBetween(0.0, 1.0);
      assertThat(p.expectedVisits90d()).isFinite();
      assertThat(p.clv12mDiscounted()).isFinite();
      assertThat(p.unscored()).isFalse();
    }
  }

  @Test
  void given_customers_with_huge_frequencies_when_scored_then_a_prediction_that_overflows_is_null_and_counted() {
    // Before the fix E[Y] came out NaN for these (the hypergeometric series overflows): the mart stored NaN, and
    // the CLV's BigDecimal.valueOf(NaN) threw out of the scorer.
    List<CustomerModels.Summary> busy = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      busy.add(summary("u" + i, 100_000 + 7919 * i, 10 + i % 10, 30, "1000"));
    }
    CustomerModels models = fit(busy);

    assertThat(models.visits).isNotNull();
    int unscored = 0;
    for (CustomerModels.Summary s : busy) {
      CustomerModels.Prediction p = models.predict(s);
      for (Double v : new Double[] {p.probabilityAlive(), p.expectedVisits90d(), p.expectedSpend(), p.clv12mDiscounted()}) {
        assertThat(v == null || Double.isFinite(v)).as("%s: %s", s, p).isTrue();
      }
      unscored += p.unscored() ? 1 : 0;
      assertThat(p.unscored()).isEqualTo(p.expectedVisits90d() == null || p.probabilityAlive() == null || p.expectedSpend() == null
          || p.clv12mDiscounted() == null);
    }
    assertThat(unscored).isPositive();
  }

  @Test
  void given_one_customer_when_fitted_then_every_prediction_is_finite_or_null() {
    List<CustomerModels.Summary> one = List.of(summary("only", 3, 10, 20, "30"));
    CustomerModels models = fit(one);
    CustomerModels.Prediction p = models.predict(one.get(0));

    assertThat(models.spendFailures).containsEntry("EUR", "1 repeat customers with positive spend, fewer than the 10 a spend model needs");
    assertThat(p.expectedSpend()).isNull();
    assertThat(p.clv12mDiscounted()).isNull();
    if (models.visits != null) {
      assertThat(p.probabilityAlive()).isBetween(0.0, 1.0);
      assertThat(p.expectedVisits90d()).isFinite();
    }
  }

  @Test
  void given_amounts_too_large_for_the_marts_decimals_when_scored_then_spend_and_clv_are_null() {
    List<CustomerModels.Summary> rich = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rich.add(summary("u" + i, 1 + i % 4, 3 + i % 5, 20, "1" + "0".repeat(18 + i % 3)));
    }
    CustomerModels models = fit(rich);

    for (CustomerModels.Summary s : rich) {
      CustomerModels.Prediction p = models.predict(s);
      assertThat(p.expectedSpend()).as(s.toString()).isNull();
      assertThat(p.clv12mDiscounted()).as(s.toString()).isNull();
    }
  }
}
