package io.parklake.pipelines.clv;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/** Maximises a log-likelihood over unconstrained (log-scale) parameters with Apache Commons Math. */
final class MaximumLikelihood {
  private static final double INFEASIBLE = -1e300;

  private MaximumLikelihood() {}

  /**
   * The maximum found by Nelder-Mead, restarted from its own optimum until the likelihood stops
   * improving. Never throws because the optimiser failed: if a round stops with an exception (its
   * evaluation budget ran out while the simplex walked off along a ridge of a degenerate sample), the
   * best point evaluated so far is kept and the search ends there.
   *
   * @return the point with the highest finite log-likelihood found, or {@code null} when no evaluated
   *     point had a finite one: the caller has no fit then, and must say so
   */
  static double[] maximise(ToDoubleFunction<double[]> logLikelihood, double[] start) {
    double[][] bestSeen = {null};
    double[] bestSeenValue = {Double.NEGATIVE_INFINITY};
    MultivariateFunction f = point -> {
      double v;
      try {
        v = logLikelihood.applyAsDouble(point);
      } catch (RuntimeException e) {
        throw new ObjectiveFailed(e);
      }
      if (!Double.isFinite(v)) {
        return INFEASIBLE;
      }
      if (v > bestSeenValue[0]) {
        bestSeenValue[0] = v;
        bestSeen[0] = point.clone();
      }
      return v;
    };
    double[] point = start.clone();
    double value = Double.NEGATIVE_INFINITY;
    double previous = Double.NEGATIVE_INFINITY;
    // Nelder-Mead restarted from its own optimum until the likelihood stops improving: a single run
    // can stall on a ridge, a restart with a fresh simplex moves on.
    for (int round = 0; round < 20; round++) {
      SimplexOptimizer optimizer = new SimplexOptimizer(1e-12, 1e-12);
      PointValuePair best;
      try {
        best = optimizer.optimize(new MaxEval(20_000), new ObjectiveFunction(f), GoalType.MAXIMIZE, new InitialGuess(point),
            new NelderMeadSimplex(point.length, 0.5));
      } catch (ObjectiveFailed e) {
        // A bug in the likelihood itself is not an optimiser failure: let it surface.
        throw e.cause;
      } catch (RuntimeException e) {
        // TooManyEvaluationsException or another commons-math failure: keep the best point seen.
        return bestSeen[0];
      }
      point = best.getPoint();
      value = best.getValue();
      if (value - previous < 1e-9) {
        break;
      }
      previous = value;
    }
    return value == INFEASIBLE || !Double.isFinite(value) ? bestSeen[0] : point;
  }

  /** Carries an exception of the likelihood itself through the optimiser, to tell it from the optimiser's own. */
  private static final class ObjectiveFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final RuntimeException cause;

    ObjectiveFailed(RuntimeException cause) {
      super(cause);
      this.cause = cause;
    }
  }
}
