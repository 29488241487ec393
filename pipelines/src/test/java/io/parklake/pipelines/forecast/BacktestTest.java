package io.parklake.pipelines.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rolling-origin backtests and the model choice, on hand-worked cases. */
class BacktestTest {

  @Test
  void given_one_origin_when_seasonal_naive_is_backtested_then_mae_and_mase_are_the_hand_worked_values() {
    // Train on 1,2,3, 2,4,3 (P = 3): forecast 2,4,3 for actual 4,4,5 → errors 2,0,2, MAE 4/3.
    // In-sample seasonal differences |2−1|, |4−2|, |3−3| = 1,2,0 → scale 1, MASE 4/3.
    double[] y = {1, 2, 3, 2, 4, 3, 4, 4, 5};
    Backtest b = Backtest.run(ForecastModel.seasonalNaive(3), y, 1, 3, 3);

    assertThat(b.mae()).isCloseTo(4.0 / 3, within(1e-12));
    assertThat(b.mase()).isCloseTo(4.0 / 3, within(1e-12));
    assertThat(b.origins()).isEqualTo(1);
    assertThat(b.horizon()).isEqualTo(3);
  }

  @Test
  void given_every_seasonal_difference_of_one_size_when_seasonal_naive_is_backtested_within_a_season_then_mase_is_exactly_one() {
    // y(t) − y(t−P) = ±c for every t, the sign flipping each season: in sample and out of sample,
    // seasonal naive is off by exactly c at every step up to P ahead, so MASE = c / c = 1 at every origin.
    int p = 4;
    double c = 2.5;
    double[] y = new double[60];
    for (int t = 0; t < y.length; t++) {
      y[t] = new double[] {5, 9, 1, 7}[t % p] + ((t / p) % 2 == 0 ? 0 : c);
    }
    for (int horizon = 1; horizon <= p; horizon++) {
      Backtest b = Backtest.run(ForecastModel.seasonalNaive(p), y, 5, horizon, p);
      assertThat(b.mase()).as("horizon %d", horizon).isCloseTo(1.0, within(1e-12));
      assertThat(b.mae()).as("horizon %d", horizon).isCloseTo(c, within(1e-12));
    }
  }

  @Test
  void given_an_exactly_seasonal_series_when_seasonal_naive_is_backtested_then_every_actual_is_inside_its_intervals() {
    double[] y = ForecastModelTest.seasonalWithTrend(60, 10, 0, 0, 0);
    Backtest b = Backtest.run(ForecastModel.seasonalNaive(12), y, 3, 12, 12);

    assertThat(b.mae()).isZero();
    // No seasonal variation to scale by: MASE is undefined, not a division by zero.
    assertThat(b.mase()).isNaN();
    assertThat(b.coverage80()).isEqualTo(1.0);
    assertThat(b.coverage95()).isEqualTo(1.0);
  }

  @Test
  void given_noisy_seasonal_data_when_holt_winters_is_backtested_then_coverage_is_near_the_nominal_level() {
    double[] y = ForecastModelTest.seasonalWithTrend(40 * 12, 50, 0.05, 1.0, 5);
    Backtest b = Backtest.run(ForecastModel.dampedHoltWinters(12), y, 20, 6, 12);

    assertThat(b.coverage80()).isBetween(0.70, 0.90);
    assertThat(b.coverage95()).isBetween(0.88, 1.0);
    assertThat(b.coverage95()).isGreaterThanOrEqualTo(b.coverage80());
  }

  @Test
  void given_a_trending_seasonal_series_when_choosing_then_holt_winters_beats_seasonal_naive_and_wins() {
    double[] y = ForecastModelTest.seasonalWithTrend(20 * 12, 50, 0.3, 0.5, 9);
    Forecaster.Choice choice = Forecaster.standard(12, 12).choose(y, 4, 12);

    assertThat(choice.backtests()).extracting(Backtest::model).containsExactly("naive-12", "hw-12", "profile-12");
    assertThat(choice.winner().name()).isEqualTo("hw-12");
    // Seasonal naive lags a whole season of trend (12 × 0.3 = 3.6); HW does not.
    assertThat(choice.backtest("naive-12").mae()).isCloseTo(3.6, within(0.5));
    assertThat(choice.winnerBacktest().mase()).isLessThan(choice.backtest("naive-12").mase());
  }

  @Test
  void given_an_exactly_seasonal_series_when_choosing_then_the_tie_goes_to_seasonal_naive() {
    double[] y = ForecastModelTest.seasonalWithTrend(10 * 12, 50, 0, 0, 0);
    Forecaster.Choice choice = new Forecaster(12, List.of(ForecastModel.seasonalProfile(12))).choose(y, 2, 12);

    assertThat(choice.winner().name()).isEqualTo("naive-12");
  }

  @Test
  void given_a_series_too_short_for_a_model_when_choosing_then_only_the_models_that_fit_are_backtested() {
    // 60 values, 2 origins of 12: training has 36 values, enough for naive (13, 25) and HW with season 12
    // (36) but not for HW or the profile with season 24 (2·24 + 24 = 72).
    double[] y = ForecastModelTest.seasonalWithTrend(60, 50, 0.1, 0.3, 1);
    Forecaster.Choice choice = Forecaster.standard(12, 24).choose(y, 2, 12);

    assertThat(choice.backtests()).extracting(Backtest::model).containsExactly("naive-12", "hw-12", "naive-24");
  }

  @Test
  void given_a_series_too_short_for_seasonal_naive_when_choosing_then_it_fails_naming_the_length_needed() {
    assertThatThrownBy(() -> Forecaster.standard(12, 12).choose(new double[30], 3, 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seasonal naive (P=12): a backtest of 3 origins x 6 steps needs at least 31 values, got 30");
  }
}
