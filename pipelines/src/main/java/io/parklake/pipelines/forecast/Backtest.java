package io.parklake.pipelines.forecast;

import java.util.Arrays;

/**
 * How one model did in a rolling-origin backtest: at each of K origins, spaced H steps apart and
 * ending with the series, the model is fitted on everything before the origin and forecasts the next
 * H values, which it has not seen.
 *
 * <p>{@code mae} is the mean absolute error over all K·H forecasts. {@code mase} is Hyndman &amp;
 * Koehler's (2006) mean absolute scaled error: each error divided by the in-sample MAE of the
 * seasonal naive forecast (period P) on that origin's training data, averaged; below 1 beats what
 * seasonal naive did in sample, NaN when a training set has no seasonal variation at all. The
 * coverages are the shares of actual values inside the 80% and 95% intervals.
 */
public record Backtest(String model, int origins, int horizon, double mae, double mase, double coverage80,
    double coverage95) {

  /**
   * Backtests {@code model} on {@code y} with MASE scaled by seasonal naive with period {@code season}.
   *
   * @throws IllegalArgumentException when {@code y} is too short for this backtest
   * @throws IllegalStateException when the model fails at an origin (the message names the origin and
   *     the model's exception, which is the cause)
   * @throws ArithmeticException when the model forecasts a NaN or infinite value at an origin
   */
  public static Backtest run(ForecastModel model, double[] y, int origins, int horizon, int season) {
    if (origins < 1 || horizon < 1) {
      throw new IllegalArgumentException("a backtest needs at least one origin and one step, got " + origins + " x " + horizon);
    }
    int first = firstOrigin(y.length, origins, horizon);
    int needed = Math.max(model.minimumLength(), season + 1);
    if (first < needed) {
      throw new IllegalArgumentException(model + ": a backtest of " + origins + " origins x " + horizon + " steps needs at least "
          + (needed + origins * horizon) + " values, got " + y.length);
    }
    double absSum = 0;
    double scaledSum = 0;
    int in80 = 0;
    int in95 = 0;
    for (int k = 0; k < origins; k++) {
      int origin = first + k * horizon;
      double[] train = Arrays.copyOf(y, origin);
      Forecast f;
      try {
        f = model.forecast(train, horizon);
      } catch (RuntimeException e) {
        throw new IllegalStateException(where(model, k, origins, origin) + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
      }
      String bad = f.nonFinite();
      if (bad != null) {
        throw new ArithmeticException(where(model, k, origins, origin) + "forecast " + bad);
      }
      double scale = seasonalNaiveMae(train, season);
      for (int h = 0; h < horizon; h++) {
        double actual = y[origin + h];
        double abs = Math.abs(actual - f.mean()[h]);
        absSum += abs;
        scaledSum += scale > 0 ? abs / scale : Double.NaN;
        in80 += f.lo80()[h] <= actual && actual <= f.hi80()[h] ? 1 : 0;
        in95 += f.lo95()[h] <= actual && actual <= f.hi95()[h] ? 1 : 0;
      }
    }
    double count = (double) origins * horizon;
    return new Backtest(model.name(), origins, horizon, absSum / count, scaledSum / count, in80 / count, in95 / count);
  }

  private static String where(ForecastModel model, int k, int origins, int origin) {
    return model.name() + " at origin " + (k + 1) + " of " + origins + " (fitted on " + origin + " values): ";
  }

  static int firstOrigin(int length, int origins, int horizon) {
    return length - origins * horizon;
  }

  /** Mean |y(t) − y(t−P)| over the series: the scale of MASE. */
  static double seasonalNaiveMae(double[] y, int season) {
    double sum = 0;
    for (int t = season; t < y.length; t++) {
      sum += Math.abs(y[t] - y[t - season]);
    }
    return sum / (y.length - season);
  }
}
