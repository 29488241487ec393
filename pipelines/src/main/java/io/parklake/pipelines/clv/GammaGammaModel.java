package io.parklake.pipelines.clv;

import static org.apache.commons.math3.special.Gamma.logGamma;

import java.io.Serializable;
import java.util.List;

/**
 * The Gamma-Gamma spend model (Fader &amp; Hardie 2013): a customer's transaction values are Gamma(p, ν)
 * with ν ~ Gamma(q, γ) across customers. Fitted by maximum likelihood on repeat customers (frequency
 * &gt; 0) and their mean repeat-purchase value.
 */
public record GammaGammaModel(double p, double q, double gamma, double logLikelihood) implements Serializable {

  /**
   * Fits p, q and γ by maximum likelihood on the repeat customers with positive spend. Never throws on
   * a degenerate sample; there is no model (a failure saying why) when there are no such customers,
   * when no parameters give a finite likelihood, or when the fit runs off to a parameter that is zero
   * or infinite in double precision. A model with q ≤ 1 is returned: it has no finite mean spend, which
   * is the caller's to check ({@link #hasFiniteMeanSpend}).
   */
  public static ModelFit<GammaGammaModel> fit(List<CustomerHistory> customers) {
    List<CustomerHistory> repeat = customers.stream().filter(c -> c.frequency() > 0 && c.monetary().signum() > 0).toList();
    if (repeat.isEmpty()) {
      return ModelFit.failed("none of the " + customers.size() + " customers has a repeat purchase with positive spend");
    }
    double[] x = repeat.stream().mapToDouble(CustomerHistory::frequency).toArray();
    double[] m = repeat.stream().mapToDouble(c -> c.monetary().doubleValue()).toArray();
    double[] best = MaximumLikelihood.maximise(v -> logLikelihood(Math.exp(v[0]), Math.exp(v[1]), Math.exp(v[2]), x, m),
        new double[3]);
    if (best == null) {
      return ModelFit.failed("no parameters give a finite log-likelihood on these " + repeat.size() + " repeat customers");
    }
    double p = Math.exp(best[0]);
    double q = Math.exp(best[1]);
    double g = Math.exp(best[2]);
    double ll = logLikelihood(p, q, g, x, m);
    if (!BgNbdModel.usable(p) || !BgNbdModel.usable(q) || !BgNbdModel.usable(g) || !Double.isFinite(ll)) {
      return ModelFit.failed("the fit on " + repeat.size() + " repeat customers ran off to p=" + p + ", q=" + q + ", gamma=" + g
          + " (log-likelihood " + ll + "): the data do not determine the parameters");
    }
    return ModelFit.of(new GammaGammaModel(p, q, g, ll));
  }

  /** The posterior mean spend {@link #expectedSpend} exists only for q &gt; 1. */
  public boolean hasFiniteMeanSpend() {
    return q > 1;
  }

  static double logLikelihood(double p, double q, double gamma, double[] x, double[] m) {
    double sum = 0;
    double lgQ = logGamma(q);
    for (int i = 0; i < x.length; i++) {
      double px = p * x[i];
      sum += logGamma(px + q) - logGamma(px) - lgQ + q * Math.log(gamma) + (px - 1) * Math.log(m[i]) + px * Math.log(x[i])
          - (px + q) * Math.log(x[i] * m[i] + gamma);
    }
    return sum;
  }

  /** Expected mean transaction value of a customer with this history (the model's posterior mean). */
  public double expectedSpend(CustomerHistory c) {
    double x = c.frequency();
    double m = c.monetary().doubleValue();
    return (gamma + m * x) * p / (p * x + q - 1);
  }
}
