package io.parklake.pipelines.forecast;

/**
 * A forecasting method: fitted afresh on every history it is given (no state between calls), so one
 * instance serves any number of series and backtest origins. A history is a series at a regular step,
 * oldest first, with no missing values (see {@link RegularSeries}).
 */
public interface ForecastModel {

  /** Short name with the period, for tables and output: {@code naive-24}, {@code hw-24}, {@code profile-168}. */
  String name();

  /** The fewest values this model can be fitted on. */
  int minimumLength();

  /** Fits the model on {@code history} and forecasts the next {@code horizon} steps. */
  Forecast forecast(double[] history, int horizon);

  /** The value one season ago: the baseline every other model must beat. */
  static ForecastModel seasonalNaive(int period) {
    return new SeasonalNaive(period);
  }

  /** Additive Holt-Winters with a damped trend, ETS(A,Ad,A), plus an AR(1) error term; fitted by least squares. */
  static ForecastModel dampedHoltWinters(int period) {
    return new DampedHoltWinters(period);
  }

  /**
   * A seasonal profile (for hourly data with {@code period} 168: the mean of each hour of the week,
   * exponentially weighted towards recent weeks) plus a damped level that carries the current
   * deviation from the profile forward.
   */
  static ForecastModel seasonalProfile(int period) {
    return new SeasonalProfile(period);
  }
}
