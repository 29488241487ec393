package io.parklake.pipelines.forecast;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * What a model predicts for the steps after the end of a series: the point forecast and the 80% and
 * 95% prediction intervals, index 0 being one step ahead. Every interval contains the point forecast
 * and the 80% interval lies inside the 95% one.
 *
 * <p>The arrays are the record's own and must not be modified.
 */
public record Forecast(String model, double[] mean, double[] lo80, double[] hi80, double[] lo95, double[] hi95) {
  private static final double Z80 = new NormalDistribution().inverseCumulativeProbability(0.90);
  private static final double Z95 = new NormalDistribution().inverseCumulativeProbability(0.975);

  public int horizon() {
    return mean.length;
  }

  /**
   * The first NaN or infinite value of this forecast, as "hi95 at step 3 is Infinity" (steps from 1),
   * or null when every value is finite. A model fitted to a degenerate series can overflow; callers
   * treat such a forecast as the model's failure and fall back to another one.
   */
  public String nonFinite() {
    String[] names = {"mean", "lo80", "hi80", "lo95", "hi95"};
    double[][] all = {mean, lo80, hi80, lo95, hi95};
    for (int h = 0; h < mean.length; h++) {
      for (int i = 0; i < all.length; i++) {
        if (!Double.isFinite(all[i][h])) {
          return names[i] + " at step " + (h + 1) + " is " + all[i][h];
        }
      }
    }
    return null;
  }

  /**
   * Gaussian intervals around {@code mean} with standard deviation {@code sd[h]} at step h. A
   * non-finite or negative deviation (a model that could not estimate one) gives a zero-width interval
   * rather than NaN bounds, so the nesting always holds.
   */
  static Forecast normal(String model, double[] mean, double[] sd) {
    int n = mean.length;
    double[] lo80 = new double[n];
    double[] hi80 = new double[n];
    double[] lo95 = new double[n];
    double[] hi95 = new double[n];
    for (int h = 0; h < n; h++) {
      double s = Double.isFinite(sd[h]) && sd[h] > 0 ? sd[h] : 0;
      lo80[h] = mean[h] - Z80 * s;
      hi80[h] = mean[h] + Z80 * s;
      lo95[h] = mean[h] - Z95 * s;
      hi95[h] = mean[h] + Z95 * s;
    }
    return new Forecast(model, mean, lo80, hi80, lo95, hi95);
  }
}
