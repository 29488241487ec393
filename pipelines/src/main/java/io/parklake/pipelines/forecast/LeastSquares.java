package io.parklake.pipelines.forecast;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Minimises a sum of squared one-step errors over smoothing parameters scaled to the unit cube, with
 * Powell's BOBYQA (bound-constrained, derivative-free). For models with additive Gaussian errors
 * minimum SSE is the maximum-likelihood estimate. Each model maps [0, 1] onto its own admissible
 * range, so the optimiser only ever sees one shape of bounds.
 */
final class LeastSquares {
  private static final double INFEASIBLE = 1e100;
  private static final int MAX_EVALUATIONS = 3_000;

  private LeastSquares() {}

  /**
   * The best point found from each start in turn. Several starts because the SSE surface of seasonal
   * models often has a second valley (a fast level with a slow season, or the other way round).
   */
  static double[] minimise(ToDoubleFunction<double[]> sse, double[]... starts) {
    int d = starts[0].length;
    double[] lower = new double[d];
    double[] upper = new double[d];
    Arrays.fill(upper, 1.0);
    // The best point evaluated so far: BOBYQA can crawl along a flat valley until its evaluation budget
    // runs out; what it found by then is kept rather than thrown away with the exception.
    double[][] best = {null};
    double[] bestValue = {Double.POSITIVE_INFINITY};
    ObjectiveFunction objective = new ObjectiveFunction(x -> {
      double v = sse.applyAsDouble(x);
      // An explosive recursion overflows: tell the optimiser it is a bad place, not NaN.
      v = Double.isFinite(v) ? v : INFEASIBLE;
      if (v < bestValue[0]) {
        bestValue[0] = v;
        best[0] = x.clone();
      }
      return v;
    });
    for (double[] start : starts) {
      BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * d + 1, 0.2, 1e-6);
      try {
        optimizer.optimize(new MaxEval(MAX_EVALUATIONS), objective, GoalType.MINIMIZE, new InitialGuess(start),
            new SimpleBounds(lower, upper));
      } catch (TooManyEvaluationsException e) {
        // Keep the best point seen (above).
      }
    }
    return best[0];
  }

  /** Maps a unit-cube coordinate onto [lo, hi]. */
  static double scale(double unit, double lo, double hi) {
    return lo + Math.min(1, Math.max(0, unit)) * (hi - lo);
  }

  /** The inverse of {@link #scale}. */
  static double unit(double value, double lo, double hi) {
    return (value - lo) / (hi - lo);
  }
}
