/**
 * Demand forecasting in plain Java (no Spark), for any series at a regular step.
 *
 * <ul>
 *   <li>{@link io.parklake.pipelines.forecast.RegularSeries} puts timestamped readings on a grid;
 *       missing steps take the value one season earlier (before a full season: linear interpolation)
 *       and are counted.
 *   <li>{@link io.parklake.pipelines.forecast.ForecastModel}: seasonal naive, damped Holt-Winters
 *       ETS(A,Ad,A) with an AR(1) error adjustment, and a seasonal profile with a damped level. The
 *       fitted models' parameters minimise the one-step SSE (Gaussian maximum likelihood) with BOBYQA.
 *   <li>Prediction intervals are analytic, not bootstrapped: each model's in-sample one-step residual
 *       variance, scaled to h steps by the model's own innovations weights (seasonal naive: the number
 *       of seasons ahead), with Gaussian quantiles. Backtest coverage shows how well that holds.
 *   <li>{@link io.parklake.pipelines.forecast.Backtest}: rolling origins, MAE, MASE (scaled by in-sample
 *       seasonal naive) and coverage; {@link io.parklake.pipelines.forecast.Forecaster} picks the
 *       lowest MASE per series, seasonal naive always among the candidates.
 *   <li>No model fails a series: an optimiser that gives up keeps its best finite point; a model with
 *       no finite fit, or whose forecast or backtest MAE is NaN or infinite, is left out of the choice
 *       and reported with its reason ({@link io.parklake.pipelines.forecast.Forecaster.Choice#failures()}),
 *       and a chosen model that cannot be refitted on the whole series gives way to seasonal naive
 *       ({@link io.parklake.pipelines.forecast.Forecaster#forecast}). Callers log one line per series.
 * </ul>
 *
 * <p>Run from the command line with {@code ./parklake forecast --input F.csv --horizon H --season P[,Q]
 * --out G.csv [--backtest K]}.
 */
package io.parklake.pipelines.forecast;
