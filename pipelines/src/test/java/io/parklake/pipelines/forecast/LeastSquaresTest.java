package io.parklake.pipelines.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** {@link LeastSquares#minimise}: the optimiser's failures never escape, and no fit is never NaN. */
class LeastSquaresTest {

  @Test
  void given_a_smooth_bowl_when_minimised_then_the_minimum_is_found() {
    double[] best = LeastSquares.minimise(u -> Math.pow(u[0] - 0.3, 2) + Math.pow(u[1] - 0.7, 2), new double[] {0.5, 0.5});

    assertThat(best[0]).isCloseTo(0.3, within(1e-4));
    assertThat(best[1]).isCloseTo(0.7, within(1e-4));
  }

  @Test
  void given_an_sse_that_is_never_finite_when_minimised_then_there_is_no_point_rather_than_a_nan_one() {
    assertThat(LeastSquares.minimise(u -> Double.NaN, new double[] {0.5, 0.5}, new double[] {0.1, 0.9})).isNull();
    assertThat(LeastSquares.minimise(u -> Double.POSITIVE_INFINITY, new double[] {0.5, 0.5})).isNull();
  }

  @Test
  void given_an_sse_finite_only_in_one_corner_when_minimised_then_the_best_finite_point_is_kept() {
    double[] best = LeastSquares.minimise(u -> u[0] < 0.5 ? 1 + u[0] + u[1] : Double.NaN, new double[] {0.3, 0.5});

    assertThat(best).isNotNull();
    assertThat(best[0]).isLessThan(0.5);
    assertThat(1 + best[0] + best[1]).isLessThan(1.8); // better than the start
  }

  @Test
  void given_a_flat_sse_on_which_bobyqa_gives_up_when_minimised_then_it_returns_an_evaluated_point() {
    // Issue 11: zero SSE everywhere made BOBYQA throw "trust region step has failed to reduce Q".
    double[] best = LeastSquares.minimise(u -> 0.0, new double[] {0.3, 0.2, 0.9}, new double[] {0.7, 0.05, 0.5});

    assertThat(best).hasSize(3);
    for (double v : best) {
      assertThat(v).isBetween(0.0, 1.0);
    }
  }

  @Test
  void given_an_sse_function_that_throws_when_minimised_then_its_own_exception_surfaces() {
    assertThatThrownBy(() -> LeastSquares.minimise(u -> {
      throw new IndexOutOfBoundsException("season index 7 out of bounds for length 4");
    }, new double[] {0.5, 0.5})).isInstanceOf(IndexOutOfBoundsException.class).hasMessage("season index 7 out of bounds for length 4");
  }
}
