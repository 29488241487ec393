package io.parklake.pipelines.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: eight weeks of hourly values, all zero but two ones (a facility that almost never sees a
 * car), crashed the nightly: BOBYQA stopped with "trust region step has failed to reduce Q" on the flat
 * SSE surface and the exception went through {@link Forecaster#choose}. The two placements below are
 * ones that threw before the fix: the first in the 4 × 168 backtest and in the CLI's 3 × 24 one, the
 * second in the seasonal profile's fit on the whole series.
 */
class SparseSeriesRegressionTest {
  private static final int HOURS = 8 * 168;

  private static double[] twoOnes(int first, int second) {
    double[] y = new double[HOURS];
    y[first] = 1;
    y[second] = 1;
    return y;
  }

  private static final List<double[]> SERIES = List.of(twoOnes(500, 1300), twoOnes(100, 900));

  @Test
  void given_a_series_of_zeros_but_two_ones_when_choosing_by_the_nightly_backtest_then_the_choice_is_finite() {
    for (double[] y : SERIES) {
      Forecaster.Choice choice = Forecaster.standard(24, 168).choose(y, 4, 168);

      assertThat(choice.backtests()).isNotEmpty();
      assertThat(choice.winnerBacktest()).isNotNull();
      for (Backtest b : choice.backtests()) {
        assertThat(b.mae()).as(b.model()).isFinite();
        assertThat(b.coverage80()).as(b.model()).isBetween(0.0, 1.0);
        assertThat(b.coverage95()).as(b.model()).isBetween(0.0, 1.0);
      }
      // Two ones in 1,344 hours: every model's typical error is a small fraction of a car per hour.
      assertThat(choice.winnerBacktest().mae()).isLessThan(0.1);
    }
  }

  @Test
  void given_a_series_of_zeros_but_two_ones_when_choosing_as_the_command_line_does_then_the_choice_is_finite() {
    for (double[] y : SERIES) {
      Forecaster.Choice choice = Forecaster.standard(24, 168).choose(y, 3, 24);

      assertThat(choice.winnerBacktest().mae()).isFinite();
    }
  }

  @Test
  void given_a_series_of_zeros_but_two_ones_when_each_model_forecasts_a_week_then_every_value_is_finite_and_within_the_data() {
    for (double[] y : SERIES) {
      for (ForecastModel m : Forecaster.standard(24, 168).candidates()) {
        Forecast f = m.forecast(y, 168);

        for (double[] values : List.of(f.mean(), f.lo80(), f.hi80(), f.lo95(), f.hi95())) {
          assertThat(values).as(m.name()).hasSize(168);
          assertThat(Arrays.stream(values).allMatch(Double::isFinite)).as("%s: %s", m.name(), Arrays.toString(values)).isTrue();
        }
        // Within the range of the data (naive-168 repeats the one of the last week).
        assertThat(Arrays.stream(f.mean()).map(Math::abs).max().orElseThrow()).as(m.name()).isLessThanOrEqualTo(1.0);
      }
    }
  }
}
