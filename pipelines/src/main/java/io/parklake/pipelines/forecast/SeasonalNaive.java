package io.parklake.pipelines.forecast;

/**
 * ŷ(T+h) = y(T+h−kP), the last observed value at the same position in the season. Its errors are a
 * seasonal random walk's: h steps ahead lie ⌈h/P⌉ seasons away, so the variance is that many times
 * the in-sample one-step (one-season) variance (Hyndman &amp; Athanasopoulos, FPP3 §5.5).
 */
final class SeasonalNaive implements ForecastModel {
  private final int period;

  SeasonalNaive(int period) {
    if (period < 1) {
      throw new IllegalArgumentException("season must be at least 1, got " + period);
    }
    this.period = period;
  }

  @Override
  public String name() {
    return "naive-" + period;
  }

  @Override
  public int minimumLength() {
    return period + 1;
  }

  @Override
  public Forecast forecast(double[] y, int horizon) {
    Checks.fit(this, y, horizon);
    int n = y.length;
    double sse = 0;
    for (int t = period; t < n; t++) {
      double e = y[t] - y[t - period];
      sse += e * e;
    }
    double sigma = Math.sqrt(sse / (n - period));
    double[] mean = new double[horizon];
    double[] sd = new double[horizon];
    for (int h = 1; h <= horizon; h++) {
      int seasonsAhead = (h - 1) / period + 1;
      mean[h - 1] = y[n - period + (h - 1) % period];
      sd[h - 1] = sigma * Math.sqrt(seasonsAhead);
    }
    return Forecast.normal(name(), mean, sd);
  }

  @Override
  public String toString() {
    return "seasonal naive (P=" + period + ")";
  }
}
