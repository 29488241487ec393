package io.parklake.pipelines.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model that fails on a series is left out of the choice with its reason, and a winner that cannot
 * be refitted gives way to seasonal naive. The failing models here are hand-written fakes that fail
 * on purpose; the last tests use the real models on values too large for their recursions.
 */
class ForecasterFallbackTest {
  /** Twelve seasons of four: 1, 5, 2, 8 plus the season number, so seasonal naive is off by one every step. */
  private static double[] rising() {
    double[] y = new double[48];
    double[] season = {1, 5, 2, 8};
    for (int t = 0; t < y.length; t++) {
      y[t] = season[t % 4] + t / 4;
    }
    return y;
  }

  /** A model that throws as BOBYQA did on issue 11's series. */
  private static final ForecastModel THROWS = new ForecastModel() {
    @Override
    public String name() {
      return "throws-4";
    }

    @Override
    public int minimumLength() {
      return 5;
    }

    @Override
    public Forecast forecast(double[] history, int horizon) {
      throw new IllegalStateException("trust region step has failed to reduce Q");
    }
  };

  /** A model that forecasts NaN from the third step, as an overflowing recursion would. */
  private static final ForecastModel NAN = new ForecastModel() {
    @Override
    public String name() {
      return "nan-4";
    }

    @Override
    public int minimumLength() {
      return 5;
    }

    @Override
    public Forecast forecast(double[] history, int horizon) {
      double[] mean = new double[horizon];
      Arrays.fill(mean, 2, horizon, Double.NaN);
      return Forecast.normal(name(), mean, new double[horizon]);
    }
  };

  @Test
  void given_candidates_that_throw_or_forecast_nan_when_choosing_then_they_are_left_out_with_their_reasons() {
    double[] y = rising();
    Forecaster.Choice choice = new Forecaster(4, List.of(THROWS, NAN)).choose(y, 2, 4);

    assertThat(choice.winner().name()).isEqualTo("naive-4");
    assertThat(choice.backtests()).extracting(Backtest::model).containsExactly("naive-4");
    assertThat(choice.failures()).containsExactly(
        new Forecaster.Failure("throws-4", "throws-4 at origin 1 of 2 (fitted on 40 values): IllegalStateException: "
            + "trust region step has failed to reduce Q"),
        new Forecaster.Failure("nan-4", "nan-4 at origin 1 of 2 (fitted on 40 values): forecast mean at step 3 is NaN"));
    assertThat(choice.failureSummary()).isEqualTo("throws-4 at origin 1 of 2 (fitted on 40 values): "
        + "IllegalStateException: trust region step has failed to reduce Q; nan-4 at origin 1 of 2 (fitted on 40 "
        + "values): forecast mean at step 3 is NaN");
    // Seasonal naive is off by exactly one (a season's rise) at every step.
    assertThat(choice.winnerBacktest().mae()).isEqualTo(1.0);
  }

  @Test
  void given_a_winner_that_cannot_be_refitted_when_forecasting_then_seasonal_naive_forecasts_and_the_failure_is_named() {
    double[] y = rising();
    Forecaster forecaster = new Forecaster(4, List.of(THROWS));

    Forecaster.Used used = forecaster.forecast(THROWS, y, 6);

    assertThat(used.model().name()).isEqualTo("naive-4");
    assertThat(used.fellBack()).isTrue();
    assertThat(used.failure()).isEqualTo(new Forecaster.Failure("throws-4",
        "throws-4 refitted on all 48 values: IllegalStateException: trust region step has failed to reduce Q"));
    // By hand: the last season is 12, 16, 13, 19; naive repeats it.
    assertThat(used.forecast().mean()).containsExactly(12, 16, 13, 19, 12, 16);
  }

  @Test
  void given_a_winner_whose_refit_forecasts_nan_when_forecasting_then_seasonal_naive_forecasts() {
    Forecaster.Used used = new Forecaster(4, List.of(NAN)).forecast(NAN, rising(), 4);

    assertThat(used.model().name()).isEqualTo("naive-4");
    assertThat(used.failure().reason()).isEqualTo("nan-4 refitted on all 48 values: forecast mean at step 3 is NaN");
    assertThat(used.forecast().mean()).containsExactly(12, 16, 13, 19);
  }

  @Test
  void given_a_winner_that_refits_when_forecasting_then_it_is_used_and_nothing_fell_back() {
    double[] y = rising();
    ForecastModel hw = ForecastModel.dampedHoltWinters(4);
    Forecaster.Used used = Forecaster.standard(4, 4).forecast(hw, y, 4);

    assertThat(used.model()).isSameAs(hw);
    assertThat(used.failure()).isNull();
    assertThat(used.forecast().mean()).containsExactly(hw.forecast(y, 4).mean());
  }

  @Test
  void given_values_too_large_for_any_smoothing_recursion_when_choosing_then_only_the_seasonal_naives_run() {
    // 1e200 squared overflows: no parameters give a finite SSE, so Holt-Winters and the profile have no fit.
    double[] y = new double[60];
    for (int t = 0; t < y.length; t++) {
      y[t] = 1e200 * ((t * 7) % 11 - 5);
    }
    Forecaster forecaster = Forecaster.standard(4, 8);
    Forecaster.Choice choice = forecaster.choose(y, 2, 4);

    assertThat(choice.backtests()).extracting(Backtest::model).containsExactly("naive-4", "naive-8");
    assertThat(choice.failures()).extracting(Forecaster.Failure::model).containsExactly("hw-4", "hw-8", "profile-8");
    assertThat(choice.failures()).allSatisfy(f -> assertThat(f.reason()).contains(
        "ArithmeticException: ").contains("no smoothing parameters give a finite one-step SSE on these 52 values"));
    assertThat(choice.winner().name()).isIn("naive-4", "naive-8");
    assertThat(choice.backtests()).allSatisfy(b -> assertThat(b.mae()).isFinite().isGreaterThan(1e199));

    Forecaster.Used used = forecaster.forecast(ForecastModel.dampedHoltWinters(4), y, 4);
    assertThat(used.model().name()).isEqualTo("naive-4");
    assertThat(used.failure().reason()).isEqualTo("hw-4 refitted on all 60 values: ArithmeticException: damped Holt-Winters (P=4): "
        + "no smoothing parameters give a finite one-step SSE on these 60 values (the recursion overflows everywhere)");
    assertThat(used.forecast().mean()).containsExactly(y[56], y[57], y[58], y[59]);
  }

  @Test
  void given_a_single_spike_of_1e60_when_the_smoothing_models_fit_then_they_finish_with_a_finite_forecast() {
    // An SSE near 1e120 made BOBYQA loop for ever inside its trust-region step (no evaluation budget
    // stops that loop); the optimiser now sees the SSE divided by its first value.
    double[] y = new double[41];
    y[17] = 1e60;
    for (ForecastModel m : List.of(ForecastModel.dampedHoltWinters(4), ForecastModel.dampedHoltWinters(3),
        ForecastModel.seasonalProfile(8))) {
      Forecast f = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> m.forecast(y, 3), m.name());

      assertThat(f.nonFinite()).as(m.name()).isNull();
    }
  }

  @Test
  void given_a_series_with_a_nan_when_choosing_then_it_is_refused_as_a_missing_step_not_counted_as_a_model_failure() {
    double[] y = rising();
    y[17] = Double.NaN;

    assertThatThrownBy(() -> Forecaster.standard(4, 4).choose(y, 2, 4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value 17 is NaN; fill missing steps first (RegularSeries)");
    assertThatThrownBy(() -> Forecaster.standard(4, 4).forecast(ForecastModel.dampedHoltWinters(4), y, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("value 17 is NaN; fill missing steps first (RegularSeries)");
  }

  @Test
  void given_a_forecast_when_asked_for_its_first_non_finite_value_then_it_names_the_array_and_the_step() {
    Forecast ok = Forecast.normal("m", new double[] {1, 2}, new double[] {0.5, 0.5});
    Forecast bad = new Forecast("m", new double[] {1, 2}, new double[] {0, 1}, new double[] {2, 3}, new double[] {0, 1},
        new double[] {2, Double.POSITIVE_INFINITY});

    assertThat(ok.nonFinite()).isNull();
    assertThat(bad.nonFinite()).isEqualTo("hi95 at step 2 is Infinity");
  }
}
