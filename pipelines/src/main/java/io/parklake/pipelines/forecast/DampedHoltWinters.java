package io.parklake.pipelines.forecast;

/**
 * Additive Holt-Winters with a damped trend, in the innovations state-space form ETS(A,Ad,A) of
 * Hyndman, Koehler, Ord &amp; Snyder (2008):
 *
 * <pre>
 *   ŷ(t) = l(t−1) + φ·b(t−1) + s(t−P)        e(t) = y(t) − ŷ(t)
 *   l(t) = l(t−1) + φ·b(t−1) + α·e(t)
 *   b(t) = φ·b(t−1) + β·e(t)
 *   s(t) = s(t−P) + γ·e(t)
 * </pre>
 *
 * <p>α, β, γ and φ minimise the one-step SSE (the Gaussian maximum likelihood) with BOBYQA inside the
 * usual admissible region 0 &lt; β &lt; α &lt; 1, 0 &lt; γ &lt; 1 − α, 0.8 ≤ φ ≤ 0.98 (the damping
 * range of R's {@code forecast::ets}). The initial states are not optimised but set by the classical
 * heuristic from the first two seasons: a straight line through the two seasonal means gives level and
 * trend, the mean deviation from it at each position gives the season (centred on zero). The SSE counts
 * only the errors after those two seasons, which the heuristic has already seen.
 *
 * <p>Intervals: the h-step variance is σ²·(1 + Σ_{j&lt;h} c_j²) with c_j = α + β·(φ + … + φ^j) + γ·[P
 * divides j] (ibid., Table 6.1, class 1) and σ² = SSE / (errors − 4).
 */
final class DampedHoltWinters implements ForecastModel {
  private static final double PHI_LO = 0.8;
  private static final double PHI_HI = 0.98;
  private static final double MIN_RATE = 1e-4;
  private static final double MAX_RATE = 1 - 1e-4;

  private final int period;

  DampedHoltWinters(int period) {
    if (period < 2) {
      throw new IllegalArgumentException("Holt-Winters needs a season of at least 2, got " + period);
    }
    this.period = period;
  }

  @Override
  public String name() {
    return "hw";
  }

  @Override
  public int minimumLength() {
    // Two seasons for the initial states, at least one more (and at least 10 errors) to fit on.
    return 2 * period + Math.max(period, 10);
  }

  @Override
  public Forecast forecast(double[] y, int horizon) {
    Checks.fit(this, y, horizon);
    Fit fit = fit(y);
    double[] mean = new double[horizon];
    double[] sd = new double[horizon];
    double sigma2 = fit.sse / Math.max(1, fit.errors - 4);
    double dampedSum = 0; // φ + φ² + … + φ^h
    double variance = 0; // Σ_{j<h} c_j²
    double phiPower = 1;
    int n = y.length;
    for (int h = 1; h <= horizon; h++) {
      phiPower *= fit.phi;
      dampedSum += phiPower;
      mean[h - 1] = fit.level + dampedSum * fit.trend + fit.seasonal[(n - 1 + h) % period];
      sd[h - 1] = Math.sqrt(sigma2 * (1 + variance));
      // c_h joins the sum for the steps after h.
      double c = fit.alpha + fit.beta * dampedSum + (h % period == 0 ? fit.gamma : 0);
      variance += c * c;
    }
    return Forecast.normal(name(), mean, sd);
  }

  /** The fitted parameters and the states after the last value. */
  record Fit(double alpha, double beta, double gamma, double phi, double level, double trend, double[] seasonal,
      double sse, int errors) {}

  Fit fit(double[] y) {
    double[] best = LeastSquares.minimise(u -> run(y, u).sse,
        new double[] {0.2, 0.05, 0.1, LeastSquares.unit(0.9, PHI_LO, PHI_HI)},
        new double[] {0.6, 0.02, 0.3, LeastSquares.unit(0.95, PHI_LO, PHI_HI)});
    return run(y, best);
  }

  /** Runs the recursion with unit-cube parameters {@code u}. */
  private Fit run(double[] y, double[] u) {
    double alpha = LeastSquares.scale(u[0], MIN_RATE, MAX_RATE);
    double beta = LeastSquares.scale(u[1], MIN_RATE, MAX_RATE) * alpha;
    double gamma = LeastSquares.scale(u[2], MIN_RATE, MAX_RATE) * (1 - alpha);
    double phi = LeastSquares.scale(u[3], PHI_LO, PHI_HI);
    int p = period;
    double mean1 = mean(y, 0, p);
    double mean2 = mean(y, p, 2 * p);
    double trend = (mean2 - mean1) / p;
    double centre = (p - 1) / 2.0;
    double[] s = new double[p];
    double total = 0;
    for (int j = 0; j < p; j++) {
      s[j] = ((y[j] - (mean1 + trend * (j - centre))) + (y[p + j] - (mean2 + trend * (j - centre)))) / 2;
      total += s[j];
    }
    for (int j = 0; j < p; j++) {
      s[j] -= total / p;
    }
    double level = mean1 - trend * (centre + 1); // the line one step before the first value
    double sse = 0;
    for (int t = 0; t < y.length; t++) {
      double e = y[t] - (level + phi * trend + s[t % p]);
      level = level + phi * trend + alpha * e;
      trend = phi * trend + beta * e;
      s[t % p] += gamma * e;
      if (t >= 2 * p) {
        sse += e * e;
      }
    }
    return new Fit(alpha, beta, gamma, phi, level, trend, s, sse, y.length - 2 * p);
  }

  private static double mean(double[] y, int from, int to) {
    double sum = 0;
    for (int t = from; t < to; t++) {
      sum += y[t];
    }
    return sum / (to - from);
  }

  @Override
  public String toString() {
    return "damped Holt-Winters (P=" + period + ")";
  }
}
