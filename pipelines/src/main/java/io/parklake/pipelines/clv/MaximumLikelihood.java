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
  private MaximumLikelihood() {}

  static double[] maximise(ToDoubleFunction<double[]> logLikelihood, double[] start) {
    MultivariateFunction f = point -> {
      double v = logLikelihood.applyAsDouble(point);
      return Double.isFinite(v) ? v : -1e300;
    };
    double[] point = start.clone();
    double previous = Double.NEGATIVE_INFINITY;
    // Nelder-Mead restarted from its own optimum until the likelihood stops improving: a single run
    // can stall on a ridge, a restart with a fresh simplex moves on.
    for (int round = 0; round < 20; round++) {
      SimplexOptimizer optimizer = new SimplexOptimizer(1e-12, 1e-12);
      PointValuePair best = optimizer.optimize(new MaxEval(20_000), new ObjectiveFunction(f), GoalType.MAXIMIZE,
          new InitialGuess(point), new NelderMeadSimplex(point.length, 0.5));
      point = best.getPoint();
      if (best.getValue() - previous < 1e-9) {
        break;
      }
      previous = best.getValue();
    }
    return point;
  }
}
