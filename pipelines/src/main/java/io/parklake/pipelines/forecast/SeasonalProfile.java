package io.parklake.pipelines.forecast;

/**
 * A seasonal profile with a damped level: the second candidate beside Holt-Winters, meant for a long
 * season (hour of the week, 168 for hourly data) where a trend is not worth its noise. Each position
 * k of the season keeps its own mean m(k), moved towards every new value at k with weight ω (an
 * exponentially weighted mean over past seasons); a level L carries the current deviation from the
 * profile (a busier day than usual) to the next steps and fades with φ:
 *
 * <pre>
 *   ŷ(t) = m(t mod Q) + φ·L(t−1)        e(t) = y(t) − ŷ(t)
 *   L(t) = φ·L(t−1) + α·e(t)
 *   m(t mod Q) ← m(t mod Q) + ω·e(t)
 * </pre>
 *
 * <p>α, ω ∈ (0, 1) and φ ∈ [0, 0.99] minimise the one-step SSE with BOBYQA. The profile starts as the
 * mean of the first two seasons, the level at zero; the SSE counts the errors after those two seasons.
 * Intervals as for Holt-Winters, the same innovations form: variance σ²·(1 + Σ_{j&lt;h} c_j²) with
 * c_j = α·φ^j + ω·[Q divides j] and σ² = SSE / (errors − 3).
 */
final class SeasonalProfile implements ForecastModel {
  private static final double MIN_RATE = 1e-4;
  private static final double MAX_RATE = 1 - 1e-4;
  private static final double PHI_HI = 0.99;

  private final int period;

  SeasonalProfile(int period) {
    if (period < 2) {
      throw new IllegalArgumentException("a seasonal profile needs a season of at least 2, got " + period);
    }
    this.period = period;
  }

  @Override
  public String name() {
    return "profile-" + period;
  }

  @Override
  public int minimumLength() {
    return 2 * period + Math.max(period, 10);
  }

  @Override
  public Forecast forecast(double[] y, int horizon) {
    Checks.fit(this, y, horizon);
    Fit fit = fit(y);
    double sigma2 = fit.sse / Math.max(1, fit.errors - 3);
    double[] mean = new double[horizon];
    double[] sd = new double[horizon];
    double variance = 0;
    double phiPower = 1;
    int n = y.length;
    for (int h = 1; h <= horizon; h++) {
      phiPower *= fit.phi;
      mean[h - 1] = fit.profile[(n - 1 + h) % period] + phiPower * fit.level;
      sd[h - 1] = Math.sqrt(sigma2 * (1 + variance));
      double c = fit.alpha * phiPower + (h % period == 0 ? fit.omega : 0);
      variance += c * c;
    }
    return Forecast.normal(name(), mean, sd);
  }

  record Fit(double alpha, double omega, double phi, double level, double[] profile, double sse, int errors) {}

  /**
   * The least-squares fit; the optimiser's own failures are absorbed by {@link LeastSquares#minimise}.
   *
   * @throws ArithmeticException when no parameters give a finite SSE (values so large that every
   *     recursion overflows): there is no fit, and the caller falls back to another model
   */
  Fit fit(double[] y) {
    double[] best = LeastSquares.minimise(u -> run(y, u).sse,
        new double[] {0.3, 0.2, 0.9}, new double[] {0.7, 0.05, 0.5});
    if (best == null) {
      throw new ArithmeticException(this + ": no smoothing parameters give a finite one-step SSE on these " + y.length
          + " values (the recursion overflows everywhere)");
    }
    return run(y, best);
  }

  private Fit run(double[] y, double[] u) {
    double alpha = LeastSquares.scale(u[0], MIN_RATE, MAX_RATE);
    double omega = LeastSquares.scale(u[1], MIN_RATE, MAX_RATE);
    double phi = LeastSquares.scale(u[2], 0, PHI_HI);
    int q = period;
    double[] m = new double[q];
    for (int k = 0; k < q; k++) {
      m[k] = (y[k] + y[q + k]) / 2;
    }
    double level = 0;
    double sse = 0;
    for (int t = 0; t < y.length; t++) {
      double e = y[t] - (m[t % q] + phi * level);
      level = phi * level + alpha * e;
      m[t % q] += omega * e;
      if (t >= 2 * q) {
        sse += e * e;
      }
    }
    return new Fit(alpha, omega, phi, level, m, sse, y.length - 2 * q);
  }

  @Override
  public String toString() {
    return "seasonal profile (Q=" + period + ")";
  }
}
