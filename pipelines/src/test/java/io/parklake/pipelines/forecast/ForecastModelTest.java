package io.parklake.pipelines.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The models on series whose continuation is known exactly. */
class ForecastModelTest {
  private static final double[] SEASON = {3, 7, 12, 15, 11, 6, 2, 1, 4, 9, 14, 8};

  @Test
  void given_an_exactly_seasonal_series_when_seasonal_naive_forecasts_then_it_repeats_the_season_with_no_error() {
    double[] y = seasonalWithTrend(5 * SEASON.length, 100, 0, 0, 0);
    Forecast f = ForecastModel.seasonalNaive(SEASON.length).forecast(y, 30);

    double[] truth = seasonalWithTrend(5 * SEASON.length + 30, 100, 0, 0, 0);
    for (int h = 0; h < 30; h++) {
      assertThat(f.mean()[h]).isEqualTo(truth[y.length + h]);
      // No in-sample error, so no uncertainty either.
      assertThat(f.lo95()[h]).isEqualTo(f.mean()[h]);
      assertThat(f.hi95()[h]).isEqualTo(f.mean()[h]);
    }
  }

  @Test
  void given_seasonal_naive_when_the_horizon_spans_seasons_then_the_interval_widens_with_the_square_root_of_the_seasons() {
    // Hand-worked: y = 1,2,3, 2,4,3, 4,4,5 with P = 3; seasonal differences 1,2,0, 2,0,2: σ² = 13/6.
    double[] y = {1, 2, 3, 2, 4, 3, 4, 4, 5};
    Forecast f = ForecastModel.seasonalNaive(3).forecast(y, 7);

    assertThat(f.mean()).containsExactly(4, 4, 5, 4, 4, 5, 4);
    double sigma = Math.sqrt(13.0 / 6);
    double z95 = 1.959963984540054;
    assertThat(f.hi95()[0] - f.mean()[0]).isCloseTo(z95 * sigma, within(1e-12));
    assertThat(f.hi95()[3] - f.mean()[3]).isCloseTo(z95 * sigma * Math.sqrt(2), within(1e-12));
    assertThat(f.hi95()[6] - f.mean()[6]).isCloseTo(z95 * sigma * Math.sqrt(3), within(1e-12));
  }

  @Test
  void given_a_linear_trend_plus_season_when_holt_winters_fits_then_it_recovers_slope_and_season() {
    // 100 + 0.5 t + season (amplitude 7), ten seasons, no noise.
    double[] y = seasonalWithTrend(10 * SEASON.length, 100, 0.5, 0, 0);
    double[] truth = seasonalWithTrend(10 * SEASON.length + 12, 100, 0.5, 0, 0);
    DampedHoltWinters.Fit fit = new DampedHoltWinters(SEASON.length).fit(y);
    Forecast f = ForecastModel.dampedHoltWinters(SEASON.length).forecast(y, 12);
    System.out.printf("HW on trend+season: alpha=%.4f beta=%.4f gamma=%.4f phi=%.4f lambda=%.4f trend=%.6f sse=%.3g%n",
        fit.alpha(), fit.beta(), fit.gamma(), fit.phi(), fit.lambda(), fit.trend(), fit.sse());

    assertThat(fit.trend()).isCloseTo(0.5, within(0.001));
    // The damped trend adds slope·(φ + … + φ^h) instead of slope·h, so h steps ahead the forecast may lag
    // the line by slope·(h − φ_h) (0.72 at h = 12); the season itself must come out exact.
    double dampedSum = 0;
    for (int h = 1; h <= 12; h++) {
      dampedSum += Math.pow(fit.phi(), h);
      double lag = 0.5 * (h - dampedSum);
      assertThat(f.mean()[h - 1]).as("step %d", h).isBetween(truth[y.length + h - 1] - lag - 0.02, truth[y.length + h - 1] + 0.02);
    }
  }

  @Test
  void given_a_noisy_trend_plus_season_when_holt_winters_fits_then_its_errors_are_near_the_noise() {
    double[] y = seasonalWithTrend(20 * SEASON.length, 50, 0.2, 1.0, 7);
    double[] truth = seasonalWithTrend(20 * SEASON.length + 12, 50, 0.2, 0, 0);
    Forecast f = ForecastModel.dampedHoltWinters(SEASON.length).forecast(y, 12);

    double mae = 0;
    for (int h = 0; h < 12; h++) {
      mae += Math.abs(f.mean()[h] - truth[y.length + h]) / 12;
    }
    // Noise sd 1: a model that learnt season and trend is off by about the noise, not the season (amplitude 7).
    assertThat(mae).isLessThan(1.5);
  }

  @Test
  void given_a_weekly_profile_with_a_shifted_day_when_the_profile_model_fits_then_it_forecasts_the_weekly_shape() {
    // 7 "days" of 6 slots; day 5 and 6 (the weekend) are busier. Period 42, noise sd 0.5.
    int day = 6;
    int week = 7 * day;
    Random random = new Random(3);
    double[] y = new double[10 * week];
    double[] truth = new double[10 * week + week];
    for (int t = 0; t < truth.length; t++) {
      int d = (t / day) % 7;
      truth[t] = 20 + 10 * Math.sin(Math.PI * (t % day) / (day - 1)) + (d >= 5 ? 15 : 0);
      if (t < y.length) {
        y[t] = truth[t] + 0.5 * random.nextGaussian();
      }
    }
    Forecast profile = ForecastModel.seasonalProfile(week).forecast(y, week);
    Forecast dailyNaive = ForecastModel.seasonalNaive(day).forecast(y, week);

    double profileMae = 0;
    double naiveMae = 0;
    for (int h = 0; h < week; h++) {
      profileMae += Math.abs(profile.mean()[h] - truth[y.length + h]) / week;
      naiveMae += Math.abs(dailyNaive.mean()[h] - truth[y.length + h]) / week;
    }
    assertThat(profileMae).isLessThan(0.6);
    // Daily seasonal naive cannot know that the weekend differs.
    assertThat(naiveMae).isGreaterThan(3);
  }

  @Test
  void given_any_model_and_noisy_data_when_it_forecasts_then_80_percent_intervals_nest_inside_95_percent_ones() {
    double[] y = seasonalWithTrend(8 * SEASON.length, 10, -0.1, 2.0, 11);
    for (ForecastModel m : List.of(ForecastModel.seasonalNaive(12), ForecastModel.dampedHoltWinters(12),
        ForecastModel.seasonalProfile(12))) {
      Forecast f = m.forecast(y, 40);
      assertThat(f.horizon()).isEqualTo(40);
      for (int h = 0; h < 40; h++) {
        assertThat(f.lo95()[h]).as("%s step %d", m, h).isLessThan(f.lo80()[h]);
        assertThat(f.lo80()[h]).as("%s step %d", m, h).isLessThan(f.mean()[h]);
        assertThat(f.mean()[h]).as("%s step %d", m, h).isLessThan(f.hi80()[h]);
        assertThat(f.hi80()[h]).as("%s step %d", m, h).isLessThan(f.hi95()[h]);
        if (h > 0) {
          assertThat(f.hi95()[h] - f.lo95()[h]).as("%s step %d", m, h).isGreaterThanOrEqualTo(f.hi95()[h - 1] - f.lo95()[h - 1] - 1e-9);
        }
      }
    }
  }

  @Test
  void given_too_short_a_history_when_a_model_forecasts_then_it_says_how_many_values_it_needs() {
    assertThatThrownBy(() -> ForecastModel.dampedHoltWinters(12).forecast(new double[30], 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("damped Holt-Winters (P=12) needs at least 36 values, got 30");
    assertThatThrownBy(() -> ForecastModel.seasonalNaive(12).forecast(new double[20], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("horizon must be at least 1, got 0");
  }

  /** level + slope·t + SEASON + Gaussian noise with this sd (seeded). */
  static double[] seasonalWithTrend(int n, double level, double slope, double noise, long seed) {
    Random random = new Random(seed);
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = level + slope * t + SEASON[t % SEASON.length] + noise * random.nextGaussian();
    }
    return y;
  }
}
