package io.parklake.pipelines.clv;

import static org.apache.commons.math3.special.Gamma.logGamma;

import java.io.Serializable;
import java.util.List;

/**
 * The BG/NBD purchase model (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy way"):
 * while alive a customer buys at a Poisson rate λ ~ Gamma(r, α) and after each purchase drops out
 * with probability p ~ Beta(a, b). Fitted by maximum likelihood over all customers.
 */
public record BgNbdModel(double r, double alpha, double a, double b, double logLikelihood) implements Serializable {

  /**
   * Fits the four parameters by maximum likelihood (Nelder-Mead on their logarithms, restarted to
   * convergence). Never throws on a degenerate sample; there is no model (a failure saying why) when
   * there are no customers, when none has a repeat purchase (the likelihood then grows without bound
   * as r → 0: nobody ever comes back), when no parameters give a finite likelihood, or when the fit
   * runs off to a parameter that is zero or infinite in double precision.
   */
  public static ModelFit<BgNbdModel> fit(List<CustomerHistory> customers) {
    int n = customers.size();
    if (n == 0) {
      return ModelFit.failed("no customers");
    }
    if (customers.stream().noneMatch(c -> c.frequency() > 0)) {
      return ModelFit.failed("none of the " + n + " customers has a repeat purchase, so the data cannot tell how often or how "
          + "long customers come back");
    }
    double[] x = new double[n];
    double[] tx = new double[n];
    double[] age = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = customers.get(i).frequency();
      tx[i] = customers.get(i).recency();
      age[i] = customers.get(i).age();
    }
    double[] best = MaximumLikelihood.maximise(
        p -> logLikelihood(Math.exp(p[0]), Math.exp(p[1]), Math.exp(p[2]), Math.exp(p[3]), x, tx, age), new double[4]);
    if (best == null) {
      return ModelFit.failed("no parameters give a finite log-likelihood on these " + n + " customers");
    }
    double r = Math.exp(best[0]);
    double alpha = Math.exp(best[1]);
    double a = Math.exp(best[2]);
    double b = Math.exp(best[3]);
    double ll = logLikelihood(r, alpha, a, b, x, tx, age);
    if (!usable(r) || !usable(alpha) || !usable(a) || !usable(b) || !Double.isFinite(ll)) {
      return ModelFit.failed("the fit on " + n + " customers ran off to r=" + r + ", alpha=" + alpha + ", a=" + a + ", b=" + b
          + " (log-likelihood " + ll + "): the data do not determine the parameters");
    }
    return ModelFit.of(new BgNbdModel(r, alpha, a, b, ll));
  }

  /** A parameter the predictions can use: positive and finite (exp of a runaway logarithm is 0 or ∞). */
  static boolean usable(double parameter) {
    return parameter > 0 && Double.isFinite(parameter);
  }

  /** The sample log-likelihood (equation 6 of the paper, summed over customers). */
  static double logLikelihood(double r, double alpha, double a, double b, double[] x, double[] tx, double[] age) {
    double sum = 0;
    double lgR = logGamma(r);
    double lbAB = logGamma(a) + logGamma(b) - logGamma(a + b);
    for (int i = 0; i < x.length; i++) {
      double xi = x[i];
      double a1 = logGamma(r + xi) - lgR + r * Math.log(alpha);
      double a2 = logGamma(a) + logGamma(b + xi) - logGamma(a + b + xi) - lbAB;
      double a3 = -(r + xi) * Math.log(alpha + age[i]);
      double term = Math.exp(a3);
      if (xi > 0) {
        double a4 = Math.log(a) - Math.log(b + xi - 1) - (r + xi) * Math.log(alpha + tx[i]);
        // log(e^a3 + e^a4) computed without underflow.
        double m = Math.max(a3, a4);
        sum += a1 + a2 + m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m));
        continue;
      }
      sum += a1 + a2 + Math.log(term);
    }
    return sum;
  }

  /** Probability that a customer with this history is still alive at the end of the calibration period. */
  public double probabilityAlive(CustomerHistory c) {
    if (c.frequency() == 0) {
      return 1.0;
    }
    double x = c.frequency();
    double ratio = (a / (b + x - 1)) * Math.pow((alpha + c.age()) / (alpha + c.recency()), r + x);
    return 1.0 / (1.0 + ratio);
  }

  /**
   * Expected number of purchases (repeat visit days) in the next {@code weeks} after the calibration
   * period, for a customer with this history: Fader, Hardie &amp; Lee (2005) equation 10,
   * <pre>
   *   E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
   *                         / (1 + δ(x&gt;0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
   * </pre>
   */
  public double expectedPurchases(CustomerHistory c, double weeks) {
    if (weeks < 0) {
      throw new IllegalArgumentException("weeks must not be negative: " + weeks);
    }
    if (weeks == 0) {
      return 0;
    }
    double x = c.frequency();
    double ageT = alpha + c.age();
    double z = weeks / (ageT + weeks);
    double hyp = hypergeometric2F1(r + x, b + x, a + b + x - 1, z);
    double numerator = (a + b + x - 1) / (a - 1) * (1 - Math.pow(ageT / (ageT + weeks), r + x) * hyp);
    double denominator = 1 + (x > 0 ? a / (b + x - 1) * Math.pow(ageT / (alpha + c.recency()), r + x) : 0);
    return numerator / denominator;
  }

  /**
   * The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z &lt; 1 by its power series. The BG/NBD
   * arguments are positive, so every term is positive (no cancellation) and the term ratio tends to z.
   */
  static double hypergeometric2F1(double a, double b, double c, double z) {
    if (!(z >= 0 && z < 1)) {
      throw new IllegalArgumentException("2F1 series needs 0 <= z < 1, got z=" + z);
    }
    double term = 1;
    double sum = 1;
    for (int n = 0; n < 10_000_000; n++) {
      term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
      sum += term;
      if (Math.abs(term) <= 1e-17 * Math.abs(sum) && n > 2) {
        return sum;
      }
      if (!Double.isFinite(sum)) {
        break;
      }
    }
    throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") series did not converge");
  }
}
