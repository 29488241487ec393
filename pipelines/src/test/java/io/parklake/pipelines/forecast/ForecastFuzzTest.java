package io.parklake.pipelines.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The forecaster on hundreds of generated degenerate series (fixed seed): all zeros, constant, sparse
 * spikes, just long enough, huge values, step changes, alternating signs, negative values, gaps filled
 * with zeros. Whatever the series, choosing and forecasting never throw, every backtest MAE and every
 * forecast value is finite, the intervals nest, and when seasonal naive is used its forecast is the
 * last season repeated, checked here by hand. MASE may be NaN (a training set without seasonal
 * variation: documented, stored as null), nothing else.
 */
class ForecastFuzzTest {
  private static final int SERIES_PER_KIND = 20;

  /** A kind of degenerate series: (random, length) → values. */
  private record Kind(String name, BiFunction<Random, Integer, double[]> make) {}

  private static final List<Kind> KINDS = List.of(
      new Kind("zeros", (r, n) -> new double[n]),
      new Kind("constant", (r, n) -> filled(n, (r.nextInt(3) - 1) * Math.pow(10, r.nextInt(12) - 3))),
      new Kind("sparse spikes", (r, n) -> {
        double[] y = new double[n];
        for (int k = r.nextInt(3) + 1; k > 0; k--) {
          y[r.nextInt(n)] = 1 + r.nextInt(3);
        }
        return y;
      }),
      new Kind("single huge spike", (r, n) -> {
        double[] y = new double[n];
        y[r.nextInt(n)] = Math.pow(10, 50 + r.nextInt(200));
        return y;
      }),
      new Kind("huge values", (r, n) -> {
        double scale = Math.pow(10, 100 + r.nextInt(150));
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
          y[t] = scale * (r.nextDouble() * 2 - 1);
        }
        return y;
      }),
      new Kind("step change", (r, n) -> {
        double[] y = new double[n];
        int at = r.nextInt(n);
        double height = Math.pow(10, r.nextInt(8));
        for (int t = at; t < n; t++) {
          y[t] = height;
        }
        return y;
      }),
      new Kind("alternating", (r, n) -> {
        double a = Math.pow(10, r.nextInt(10));
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
          y[t] = t % 2 == 0 ? a : -a;
        }
        return y;
      }),
      new Kind("negative noise", (r, n) -> {
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
          y[t] = -50 - 10 * r.nextGaussian();
        }
        return y;
      }),
      new Kind("seasonal with gaps filled by zeros", (r, n) -> {
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
          y[t] = 20 + 10 * Math.sin(2 * Math.PI * t / 4) + r.nextGaussian();
        }
        int gap = r.nextInt(n);
        Arrays.fill(y, gap, Math.min(n, gap + 1 + r.nextInt(n / 2 + 1)), 0);
        return y;
      }),
      new Kind("tiny values", (r, n) -> {
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
          y[t] = 1e-300 * r.nextInt(3);
        }
        return y;
      }));

  private static double[] filled(int n, double v) {
    double[] y = new double[n];
    Arrays.fill(y, v);
    return y;
  }

  @Test
  void given_hundreds_of_degenerate_series_when_choosing_and_forecasting_then_nothing_throws_and_every_value_is_finite() {
    long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    Random random = new Random(20261103);
    List<Forecaster> forecasters = List.of(Forecaster.standard(4, 8), Forecaster.standard(3, 3), Forecaster.standard(2, 6));
    int cases = 0;
    int failures = 0;
    int naiveForecasts = 0;
    List<String> failedKinds = new ArrayList<>();
    for (Kind kind : KINDS) {
      for (int i = 0; i < SERIES_PER_KIND; i++) {
        Forecaster forecaster = forecasters.get(random.nextInt(forecasters.size()));
        int origins = 1 + random.nextInt(3);
        int horizon = 1 + random.nextInt(6);
        // From just long enough for seasonal naive to long enough for every model.
        int n = forecaster.seasonalNaive().minimumLength() + origins * horizon + random.nextInt(40);
        double[] y = kind.make().apply(random, n);
        String label = kind.name() + " #" + i + " n=" + n + " " + origins + "x" + horizon + " " + Arrays.toString(y);

        Forecaster.Choice choice = forecaster.choose(y, origins, horizon);
        Forecaster.Used used = forecaster.forecast(choice.winner(), y, horizon + random.nextInt(10));
        cases++;

        assertThat(choice.backtests()).as(label).isNotEmpty();
        assertThat(choice.backtests().get(0).model()).as(label).isEqualTo(forecaster.seasonalNaive().name());
        for (Backtest b : choice.backtests()) {
          assertThat(b.mae()).as("%s %s", label, b.model()).isFinite();
          assertThat(Double.isNaN(b.mase()) || Double.isFinite(b.mase())).as("%s %s MASE %s", label, b.model(), b.mase()).isTrue();
          assertThat(b.coverage80()).as(label).isBetween(0.0, 1.0);
          assertThat(b.coverage95()).as(label).isBetween(b.coverage80(), 1.0);
        }
        assertThat(choice.failures()).extracting(Forecaster.Failure::model).as(label)
            .doesNotContainAnyElementsOf(choice.backtests().stream().map(Backtest::model).toList());
        assertThat(choice.winnerBacktest()).as(label).isNotNull();
        if (!choice.failures().isEmpty()) {
          failures += choice.failures().size();
          failedKinds.add(kind.name());
        }

        Forecast f = used.forecast();
        assertThat(f.nonFinite()).as(label).isNull();
        for (int h = 0; h < f.horizon(); h++) {
          assertThat(f.lo95()[h]).as(label).isLessThanOrEqualTo(f.lo80()[h]);
          assertThat(f.lo80()[h]).as(label).isLessThanOrEqualTo(f.mean()[h]);
          assertThat(f.mean()[h]).as(label).isLessThanOrEqualTo(f.hi80()[h]);
          assertThat(f.hi80()[h]).as(label).isLessThanOrEqualTo(f.hi95()[h]);
        }
        if (used.model().name().startsWith("naive-")) {
          naiveForecasts++;
          int p = Integer.parseInt(used.model().name().substring("naive-".length()));
          double[] byHand = new double[f.horizon()];
          for (int h = 0; h < byHand.length; h++) {
            byHand[h] = y[n - p + h % p];
          }
          assertThat(f.mean()).as(label).containsExactly(byHand);
        }
      }
    }
    System.out.printf("forecast fuzz: %d series, %d candidate failures (in %s), %d forecast by seasonal naive, %.1f s CPU%n", cases,
        failures, failedKinds.stream().distinct().toList(), naiveForecasts,
        (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9);
    assertThat(cases).isEqualTo(KINDS.size() * SERIES_PER_KIND);
    // The huge values must have made some models fail and fall back, or this test would prove nothing about fallback.
    assertThat(failedKinds).contains("huge values");
  }
}
