package io.parklake.pipelines.forecast;

/** Argument checks shared by the models, so that each fails with the same message. */
final class Checks {
  private Checks() {}

  static void fit(ForecastModel model, double[] y, int horizon) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
    }
    if (y.length < model.minimumLength()) {
      throw new IllegalArgumentException(model + " needs at least " + model.minimumLength() + " values, got " + y.length);
    }
    finite(y);
  }

  /** Every value finite: a NaN is a missing step the caller should have filled, not a model's problem. */
  static void finite(double[] y) {
    for (int t = 0; t < y.length; t++) {
      if (!Double.isFinite(y[t])) {
        throw new IllegalArgumentException("value " + t + " is " + y[t] + "; fill missing steps first (RegularSeries)");
      }
    }
  }
}
