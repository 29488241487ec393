package io.parklake.pipelines.forecast;

/**
 * Additive Holt-Winters with a damped trend, in the innovations state-space form ETS(A,Ad,A) of
 * Hyndman, Koehler, Ord &amp; Snyder (2008), with Taylor's (2003) first-order autoregressive adjustment
 * of its errors:
 *
 * <pre>
 *   e(t) = y(t) − (l(t−1) + φ·b(t−1) + s(t−P))      the Holt-Winters error
 *   e(t) = λ·e(t−1) + ε(t)                          ε the innovation, Gaussian
 *   l(t) = l(t−1) + φ·b(t−1) + α·e(t)
 *   b(t) = φ·b(t−1) + β·e(t)
 *   s(t) = s(t−P) + γ·e(t)
 * </pre>
 *
 * <p>Why λ: on half-hourly or hourly data consecutive errors are strongly correlated (a busy morning
 * stays busy), and a one-step fit without λ explains that by α ≈ 1, a level that chases every value
 * and a season that no longer learns; a day ahead such a model extrapolates the last reading. With λ
 * the persistence goes into a term that fades, and α, γ are left to describe level and season.
 * λ = 0 is plain ETS(A,Ad,A).
 *
 * <p>α, β, γ, φ and λ minimise the SSE of the one-step innovations ε (the Gaussian maximum
 * likelihood) with BOBYQA inside the usual admissible region 0 &lt; β &lt; α &lt; 1, 0 &lt; γ &lt;
 * 1 − α, 0.8 ≤ φ ≤ 0.98 (the damping range of R's {@code forecast::ets}), 0 ≤ λ ≤ 0.99. The initial
 * states are not optimised but set by the classical heuristic from the first two seasons: a straight
 * line through the two seasonal means gives level and trend, the mean deviation from it at each
 * position gives the season (centred on zero). The SSE counts only the errors after those two seasons,
 * which the heuristic has already seen.
 *
 * <p>Forecasts run the recursion forward with each future e at its expectation λ^h·e(T). Intervals:
 * the variance h steps ahead is σ²·Σ_{k&lt;h} ψ_k² with ψ_0 = 1, ψ_k = λ·ψ_{k−1} + c_k and c_k = α + β·(φ
 * + … + φ^k) + γ·[P divides k] (for λ = 0 this is Hyndman et al.'s Table 6.1, class 1), σ² = SSE /
 * (errors − 5).
 */
final class DampedHoltWinters implements ForecastModel {
  private static final double PHI_LO = 0.8;
  private static final double PHI_HI = 0.98;
  private static final double MIN_RATE = 1e-4;
  private static final double MAX_RATE = 1 - 1e-4;
  private static final double LAMBDA_HI = 0.99;

  private final int period;

  DampedHoltWinters(int period) {
    if (period < 2) {
      throw new IllegalArgumentException("Holt-Winters needs a season of at least 2, got " + period);
    }
    this.period = period;
  }

  @Override
  public String name() {
    return "hw-" + period;
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
    double sigma2 = fit.sse / Math.max(1, fit.errors - 5);
    double[] mean = new double[horizon];
    double[] sd = new double[horizon];
    double level = fit.level;
    double trend = fit.trend;
    double[] s = fit.seasonal.clone();
    double e = fit.lastError;
    double dampedSum = 0; // φ + … + φ^k
    double phiPower = 1;
    double psi = 1; // ψ_k, the weight of the innovation k steps back
    double variance = 0; // Σ ψ²
    int n = y.length;
    for (int h = 1; h <= horizon; h++) {
      int phase = (n - 1 + h) % period;
      e *= fit.lambda;
      mean[h - 1] = level + fit.phi * trend + s[phase] + e;
      level = level + fit.phi * trend + fit.alpha * e;
      trend = fit.phi * trend + fit.beta * e;
      s[phase] += fit.gamma * e;

      variance += psi * psi;
      sd[h - 1] = Math.sqrt(sigma2 * variance);
      phiPower *= fit.phi;
      dampedSum += phiPower;
      double c = fit.alpha + fit.beta * dampedSum + (h % period == 0 ? fit.gamma : 0);
      psi = fit.lambda * psi + c;
    }
    return Forecast.normal(name(), mean, sd);
  }

  /** The fitted parameters, the states after the last value and its error e(T). */
  record Fit(double alpha, double beta, double gamma, double phi, double lambda, double level, double trend,
      double[] seasonal, double lastError, double sse, int errors) {}

  /**
   * The least-squares fit; the optimiser's own failures are absorbed by {@link LeastSquares#minimise}.
   *
   * @throws ArithmeticException when no parameters give a finite SSE (values so large that every
   *     recursion overflows): there is no fit, and the caller falls back to another model
   */
  Fit fit(double[] y) {
    double[] best = LeastSquares.minimise(u -> run(y, u).sse,
        new double[] {0.2, 0.05, 0.1, LeastSquares.unit(0.9, PHI_LO, PHI_HI), 0.5},
        new double[] {0.6, 0.02, 0.3, LeastSquares.unit(0.95, PHI_LO, PHI_HI), 0.0});
    if (best == null) {
      throw new ArithmeticException(this + ": no smoothing parameters give a finite one-step SSE on these " + y.length
          + " values (the recursion overflows everywhere)");
    }
    return run(y, best);
  }

  /** Runs the recursion with unit-cube parameters {@code u}. */
  private Fit run(double[] y, double[] u) {
    double alpha = LeastSquares.scale(u[0], MIN_RATE, MAX_RATE);
    double beta = LeastSquares.scale(u[1], MIN_RATE, MAX_RATE) * alpha;
    double gamma = LeastSquares.scale(u[2], MIN_RATE, MAX_RATE) * (1 - alpha);
    double phi = LeastSquares.scale(u[3], PHI_LO, PHI_HI);
    double lambda = LeastSquares.scale(u[4], 0, LAMBDA_HI);
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
    double previous = 0;
    double sse = 0;
    for (int t = 0; t < y.length; t++) {
      double e = y[t] - (level + phi * trend + s[t % p]);
      level = level + phi * trend + alpha * e;
      trend = phi * trend + beta * e;
      s[t % p] += gamma * e;
      if (t >= 2 * p) {
        double innovation = e - lambda * previous;
        sse += innovation * innovation;
      }
      previous = e;
    }
    return new Fit(alpha, beta, gamma, phi, lambda, level, trend, s, previous, sse, y.length - 2 * p);
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
