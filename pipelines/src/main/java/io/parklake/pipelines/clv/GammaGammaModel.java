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

  public static GammaGammaModel fit(List<CustomerHistory> customers) {
    List<CustomerHistory> repeat = customers.stream().filter(c -> c.frequency() > 0 && c.monetary().signum() > 0).toList();
    double[] x = repeat.stream().mapToDouble(CustomerHistory::frequency).toArray();
    double[] m = repeat.stream().mapToDouble(c -> c.monetary().doubleValue()).toArray();
    double[] best = MaximumLikelihood.maximise(v -> logLikelihood(Math.exp(v[0]), Math.exp(v[1]), Math.exp(v[2]), x, m),
        new double[3]);
    double p = Math.exp(best[0]);
    double q = Math.exp(best[1]);
    double g = Math.exp(best[2]);
    return new GammaGammaModel(p, q, g, logLikelihood(p, q, g, x, m));
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
