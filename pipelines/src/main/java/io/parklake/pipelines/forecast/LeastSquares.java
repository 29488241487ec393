package io.parklake.pipelines.forecast;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
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
  /**
   * Above this the SSE is shown to the optimiser divided by the first one it evaluated. On a series of
   * huge values (a single spike of 1e55..1e75 gives an SSE of 1e110..1e150) BOBYQA's internal products
   * overflow and it loops for ever inside its trust-region step, where no evaluation budget stops it.
   * Dividing by a constant leaves the minimiser where it was; below the threshold (all real demand data)
   * nothing is divided, so those fits stay exactly as they were.
   */
  private static final double LARGE = 1e20;

  private LeastSquares() {}

  /**
   * The best point found from each start in turn. Several starts because the SSE surface of seasonal
   * models often has a second valley (a fast level with a slow season, or the other way round).
   *
   * <p>Never throws because the optimiser failed: BOBYQA stops with an exception when it runs out of
   * evaluations, and also when its quadratic model degenerates (on a series that is almost all zeros
   * the SSE surface is flat and it reports "trust region step has failed to reduce Q"). Either way the
   * best point evaluated so far is kept and the next start is tried.
   *
   * @return the evaluated point with the lowest finite SSE over all starts, or {@code null} when no
   *     evaluated point had a finite SSE (every recursion overflowed): the caller has no fit then and
   *     must say so, not forecast with NaN parameters
   */
  static double[] minimise(ToDoubleFunction<double[]> sse, double[]... starts) {
    int d = starts[0].length;
    double[] lower = new double[d];
    double[] upper = new double[d];
    Arrays.fill(upper, 1.0);
    double[][] best = {null};
    double[] bestValue = {Double.POSITIVE_INFINITY};
    double[] scale = {0};
    ObjectiveFunction objective = new ObjectiveFunction(x -> {
      double v;
      try {
        v = sse.applyAsDouble(x);
      } catch (RuntimeException e) {
        throw new ObjectiveFailed(e);
      }
      if (!Double.isFinite(v)) {
        // An explosive recursion overflows: tell the optimiser it is a bad place, not NaN.
        return INFEASIBLE;
      }
      if (v < bestValue[0]) {
        bestValue[0] = v;
        best[0] = x.clone();
      }
      if (scale[0] == 0) {
        scale[0] = v > LARGE ? v : 1;
      }
      return v / scale[0];
    });
    for (double[] start : starts) {
      BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * d + 1, 0.2, 1e-6);
      try {
        optimizer.optimize(new MaxEval(MAX_EVALUATIONS), objective, GoalType.MINIMIZE, new InitialGuess(start),
            new SimpleBounds(lower, upper));
      } catch (ObjectiveFailed e) {
        // A bug in the model's own recursion is not an optimiser failure: let it surface.
        throw e.cause;
      } catch (RuntimeException e) {
        // TooManyEvaluationsException, MathIllegalStateException ("trust region step has failed to reduce
        // Q") or any other commons-math failure of this start: keep the best point seen (above).
      }
    }
    return best[0];
  }

  /** Carries an exception of the SSE function itself through the optimiser, to tell it from the optimiser's own. */
  private static final class ObjectiveFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final RuntimeException cause;

    ObjectiveFailed(RuntimeException cause) {
      super(cause);
      this.cause = cause;
    }
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
