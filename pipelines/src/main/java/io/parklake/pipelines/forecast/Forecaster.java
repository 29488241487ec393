package io.parklake.pipelines.forecast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses, per series, the candidate model with the lowest backtest MASE. Seasonal naive is always the
 * first candidate, so a series where no model beats it is forecast by it, and ties go to it.
 */
public final class Forecaster {
  private final int season;
  private final List<ForecastModel> candidates;

  /**
   * @param season the period P that scales MASE, and seasonal naive's period
   * @param others the candidates beside seasonal naive
   */
  public Forecaster(int season, List<ForecastModel> others) {
    List<ForecastModel> all = new ArrayList<>();
    all.add(ForecastModel.seasonalNaive(season));
    all.addAll(others);
    this.season = season;
    this.candidates = List.copyOf(all);
  }

  /**
   * The candidates for a series with one or two seasons (for hourly data 24 and 168; pass
   * {@code season} twice when there is one): seasonal naive and damped Holt-Winters with each period,
   * and the seasonal profile with the longer one. MASE is scaled by seasonal naive with {@code season}.
   */
  public static Forecaster standard(int season, int longSeason) {
    if (longSeason == season) {
      return new Forecaster(season, List.of(ForecastModel.dampedHoltWinters(season), ForecastModel.seasonalProfile(season)));
    }
    return new Forecaster(season, List.of(ForecastModel.dampedHoltWinters(season), ForecastModel.seasonalNaive(longSeason),
        ForecastModel.dampedHoltWinters(longSeason), ForecastModel.seasonalProfile(longSeason)));
  }

  public int season() {
    return season;
  }

  public List<ForecastModel> candidates() {
    return candidates;
  }

  /** Which model won, and every candidate's backtest (those a series is too short for are left out). */
  public record Choice(ForecastModel winner, List<Backtest> backtests) {
    public Backtest backtest(String model) {
      return backtests.stream().filter(b -> b.model().equals(model)).findFirst().orElse(null);
    }

    public Backtest winnerBacktest() {
      return backtest(winner.name());
    }
  }

  /**
   * Backtests every candidate that can be fitted at the first origin and picks the lowest MASE (the
   * lowest MAE when MASE is undefined because a training set had no seasonal variation).
   *
   * @throws IllegalArgumentException when the series is too short even for seasonal naive
   */
  public Choice choose(double[] y, int origins, int horizon) {
    int first = Backtest.firstOrigin(y.length, origins, horizon);
    List<Backtest> results = new ArrayList<>();
    List<ForecastModel> tried = new ArrayList<>();
    for (ForecastModel m : candidates) {
      // The first candidate is seasonal naive: always run, so that a too-short series fails loudly.
      if (tried.isEmpty() || first >= m.minimumLength()) {
        results.add(Backtest.run(m, y, origins, horizon, season));
        tried.add(m);
      }
    }
    boolean maseDefined = results.stream().allMatch(b -> Double.isFinite(b.mase()));
    Comparator<Backtest> order = Comparator.comparingDouble(maseDefined ? Backtest::mase : Backtest::mae);
    int best = 0;
    for (int i = 1; i < results.size(); i++) {
      if (order.compare(results.get(i), results.get(best)) < 0) {
        best = i;
      }
    }
    return new Choice(tried.get(best), List.copyOf(results));
  }
}
