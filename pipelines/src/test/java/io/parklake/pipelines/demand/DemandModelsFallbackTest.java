package io.parklake.pipelines.demand;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.pipelines.forecast.ForecastModel;
import io.parklake.pipelines.forecast.Forecaster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The demand models on degenerate facility histories, without Spark: a facility that almost never sees
 * a car (issue 11, which crashed the nightly), one whose values overflow every smoothing model, and
 * one too new to backtest. None throws; a failed model has no accuracy row, the chosen row is one that
 * ran, and the forecast falls back to seasonal naive (24) where the winner cannot be refitted.
 */
class DemandModelsFallbackTest {
  private static final int HOURS = 8 * 168;

  private static DemandHistory.Series series(String id, double[] arrivals, double[] utilisation) {
    Instant[] hours = new Instant[arrivals.length];
    for (int i = 0; i < hours.length; i++) {
      hours[i] = Instant.parse("2026-09-07T03:00:00Z").plus(Duration.ofHours(i));
    }
    return new DemandHistory.Series(id, "facility " + id, "America/Sao_Paulo", hours, arrivals, utilisation);
  }

  /** Too large for any smoothing recursion (its squares overflow), not periodic. */
  private static double[] huge(int n) {
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = 1e200 * ((t * 7) % 11 - 5);
    }
    return y;
  }

  @Test
  void given_a_facility_with_two_arrivals_in_eight_weeks_when_backtested_then_each_target_has_one_chosen_row_that_ran() {
    double[] arrivals = new double[HOURS];
    arrivals[500] = 1;
    arrivals[1300] = 1;
    DemandModels.Backtests b = DemandModels.backtest(List.of(series("sparse", arrivals, new double[HOURS])));

    assertThat(b.seriesFailed()).isZero();
    assertThat(b.tooShort()).isZero();
    Map<String, List<DemandModels.Accuracy>> byTarget = b.rows().stream().collect(Collectors.groupingBy(DemandModels.Accuracy::target));
    assertThat(byTarget).containsOnlyKeys("arrivals", "utilisation");
    for (List<DemandModels.Accuracy> rows : byTarget.values()) {
      assertThat(rows.stream().filter(DemandModels.Accuracy::chosen)).hasSize(1);
      assertThat(rows).allSatisfy(a -> assertThat(a.backtest().mae()).isFinite());
      assertThat(rows.get(0).backtest().model()).isEqualTo("naive-24");
    }
    // Utilisation is zero throughout: every model is exact and the tie goes to seasonal naive.
    assertThat(byTarget.get("utilisation").stream().filter(DemandModels.Accuracy::chosen).findFirst().orElseThrow().backtest().model())
        .isEqualTo("naive-24");
  }

  @Test
  void given_values_that_overflow_every_smoothing_model_when_backtested_then_those_models_are_counted_and_have_no_rows() {
    DemandModels.Backtests b = DemandModels.backtest(List.of(series("huge", huge(HOURS), new double[HOURS])));

    // hw-24, hw-168 and profile-168 fail on arrivals; utilisation (zeros) has no failures.
    assertThat(b.failedCandidates()).isEqualTo(3);
    assertThat(b.seriesWithFailures()).isEqualTo(1);
    List<DemandModels.Accuracy> arrivals = b.rows().stream().filter(a -> a.target().equals("arrivals")).toList();
    assertThat(arrivals).extracting(a -> a.backtest().model()).containsExactly("naive-24", "naive-168");
    assertThat(arrivals.stream().filter(DemandModels.Accuracy::chosen).map(a -> a.backtest().model()).toList())
        .hasSize(1).first().isIn("naive-24", "naive-168");
  }

  @Test
  void given_a_facility_too_new_for_a_backtest_when_backtested_then_it_is_counted_as_too_short_with_no_rows() {
    DemandModels.Backtests b = DemandModels.backtest(List.of(series("new", new double[100], new double[100])));

    assertThat(b.rows()).isEmpty();
    assertThat(b.tooShort()).isEqualTo(2);
  }

  @Test
  void given_a_winner_that_cannot_be_refitted_on_the_whole_history_when_forecast_then_seasonal_naive_24_forecasts() {
    double[] y = huge(HOURS);
    Forecaster forecaster = Forecaster.standard(DemandModels.DAY, DemandModels.WEEK);

    Forecaster.Used used = DemandForecastMart.forecast(forecaster, ForecastModel.dampedHoltWinters(168), y, 336);

    assertThat(used.model().name()).isEqualTo("naive-24");
    assertThat(used.failure().model()).isEqualTo("hw-168");
    assertThat(used.failure().reason()).isEqualTo("hw-168 refitted on all 1344 values: ArithmeticException: damped Holt-Winters (P=168): "
        + "no smoothing parameters give a finite one-step SSE on these 1344 values (the recursion overflows everywhere)");
    // By hand: the last day repeated, 14 times.
    for (int h = 0; h < 336; h++) {
      assertThat(used.forecast().mean()[h]).isEqualTo(y[HOURS - 24 + h % 24]);
    }
  }

  @Test
  void given_a_history_shorter_than_the_winner_needs_when_forecast_then_seasonal_naive_24_forecasts_without_a_failure() {
    double[] y = new double[100];
    for (int t = 0; t < y.length; t++) {
      y[t] = t % 24;
    }
    Forecaster.Used used = DemandForecastMart.forecast(Forecaster.standard(24, 168), ForecastModel.seasonalProfile(168), y, 48);

    assertThat(used.model().name()).isEqualTo("naive-24");
    assertThat(used.failure()).isNull();
    assertThat(used.forecast().mean()[0]).isEqualTo(100 % 24);
    assertThat(DemandForecastMart.forecast(Forecaster.standard(24, 168), ForecastModel.seasonalNaive(24), new double[24], 48)).isNull();
  }
}
