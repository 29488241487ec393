package io.parklake.pipelines.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.math.BigDecimal;
import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.special.Beta;
import org.junit.jupiter.api.Test;

/**
 * {@link BgNbdModel#expectedPurchases}: the published CDNOW figure, and an independent computation of
 * the same conditional expectation by numeric integration over the dropout probability p.
 */
class BgNbdExpectedPurchasesTest {
  /** The published CDNOW fit (Fader, Hardie &amp; Lee 2005, table 1). */
  private static final BgNbdModel CDNOW = new BgNbdModel(0.243, 4.414, 0.793, 2.426, -9582.4);

  @Test
  void given_the_published_cdnow_customer_when_asked_for_39_weeks_then_it_expects_the_published_1_226_purchases() {
    // FHL 2005 section 5: x = 2, t_x = 30.43, T = 38.86 → 1.226 purchases in the next 39 weeks.
    CustomerHistory c = new CustomerHistory("cdnow", 2, 30.43, 38.86, BigDecimal.ZERO);
    assertThat(CDNOW.expectedPurchases(c, 39)).isCloseTo(1.226, within(0.0005));
  }

  @Test
  void given_any_history_when_integrated_numerically_over_p_then_equation_10_agrees() {
    BgNbdModel parking = new BgNbdModel(1.7, 2.3, 0.45, 3.1, 0);
    CustomerHistory[] cases = {
      new CustomerHistory("cdnow", 2, 30.43, 38.86, BigDecimal.ZERO),
      new CustomerHistory("once", 0, 0, 5.0, BigDecimal.ZERO),
      new CustomerHistory("regular", 7, 4.0, 4.57, BigDecimal.ZERO),
      new CustomerHistory("lapsed", 3, 1.0, 4.86, BigDecimal.ZERO),
    };
    for (BgNbdModel m : new BgNbdModel[] {CDNOW, parking}) {
      for (CustomerHistory c : cases) {
        for (double weeks : new double[] {90 / 7.0, 39}) {
          assertThat(m.expectedPurchases(c, weeks)).as("%s %s %.2f weeks", m, c.customerId(), weeks)
              .isCloseTo(byIntegration(m, c, weeks), withinPercentage(1e-5));
        }
      }
    }
  }

  @Test
  void expectations_grow_with_the_horizon_and_start_at_zero() {
    CustomerHistory c = new CustomerHistory("c", 4, 3.0, 4.0, BigDecimal.ZERO);
    BgNbdModel m = new BgNbdModel(1.7, 2.3, 0.45, 3.1, 0);
    assertThat(m.expectedPurchases(c, 0)).isZero();
    double previous = 0;
    for (int w = 1; w <= 104; w++) {
      double e = m.expectedPurchases(c, w);
      assertThat(e).isGreaterThan(previous);
      previous = e;
    }
    assertThatThrownBy(() -> m.expectedPurchases(c, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weeks must not be negative: -1.0");
  }

  @Test
  void the_hypergeometric_series_matches_closed_forms() {
    // 2F1(1, 1; 2; z) = −ln(1−z)/z and 2F1(a, b; b; z) = (1−z)^−a.
    assertThat(BgNbdModel.hypergeometric2F1(1, 1, 2, 0.9)).isCloseTo(-Math.log(0.1) / 0.9, within(1e-12));
    assertThat(BgNbdModel.hypergeometric2F1(2.5, 3.3, 3.3, 0.7)).isCloseTo(Math.pow(0.3, -2.5), within(1e-9));
    assertThatThrownBy(() -> BgNbdModel.hypergeometric2F1(1, 1, 2, 1.0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("2F1 series needs 0 <= z < 1, got z=1.0");
  }

  /**
   * E[Y(t) | x, t_x, T] = ∫∫ (1 − e^(−λpt))/p · P(alive, data | λ, p) g(λ) f(p) / P(data): the λ integral
   * in closed form, the p integral numerically (substituting p = s^(1/a) removes p^(a−1)), the
   * denominator (the BG/NBD likelihood) from Beta functions.
   */
  private static double byIntegration(BgNbdModel m, CustomerHistory c, double t) {
    double r = m.r(), alpha = m.alpha(), a = m.a(), b = m.b(), x = c.frequency(), big = c.age(), tx = c.recency();
    double k = r + x;
    double numerator = new IterativeLegendreGaussIntegrator(16, 1e-13, 1e-15).integrate(1_000_000, s -> {
      double p = Math.pow(s, 1 / a);
      double alive = Math.pow(1 - p, b + x - 1) * (Math.pow(alpha + big, -k) - Math.pow(alpha + big + p * t, -k));
      return alive / p / a;
    }, 0, 1);
    double denominator = Math.exp(Beta.logBeta(a, b + x)) * Math.pow(alpha + big, -k)
        + (x > 0 ? Math.exp(Beta.logBeta(a + 1, b + x - 1)) * Math.pow(alpha + tx, -k) : 0);
    return numerator / denominator;
  }
}
