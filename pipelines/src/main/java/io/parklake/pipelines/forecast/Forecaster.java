package io.parklake.pipelines.forecast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Chooses, per series, the candidate model with the lowest backtest MASE. Seasonal naive is always the
 * first candidate, so a series where no model beats it is forecast by it, and ties go to it.
 *
 * <p>A model never fails a series: a candidate whose backtest throws (its optimiser gave up, its fit
 * overflowed) or yields a NaN or infinite forecast or MAE is left out of the choice and reported in
 * {@link Choice#failures()}, and {@link #forecast} falls back to seasonal naive when the chosen model
 * cannot be refitted on the whole series. Seasonal naive itself repeats observed values, so it is
 * finite on any finite series; it is the fallback of last resort.
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

  /** The fallback of last resort: seasonal naive with {@link #season()}, the first candidate. */
  public ForecastModel seasonalNaive() {
    return candidates.get(0);
  }

  /**
   * A candidate that could not be used on a series, and why: {@code reason} is a message that starts
   * with the model's name and says where it failed and how (the exception, or the non-finite value).
   */
  public record Failure(String model, String reason) {
    @Override
    public String toString() {
      return reason;
    }
  }

  /**
   * Which model won, every candidate's backtest (those a series is too short for are left out, and so
   * are those in {@code failures}), and the candidates that failed with their reasons.
   */
  public record Choice(ForecastModel winner, List<Backtest> backtests, List<Failure> failures) {
    public Backtest backtest(String model) {
      return backtests.stream().filter(b -> b.model().equals(model)).findFirst().orElse(null);
    }

    public Backtest winnerBacktest() {
      return backtest(winner.name());
    }

    /** The failed candidates' reasons on one line, separated by "; ", or "" when none failed. */
    public String failureSummary() {
      return failures.stream().map(Failure::toString).collect(Collectors.joining("; "));
    }
  }

  /**
   * Backtests every candidate that can be fitted at the first origin and picks the lowest MASE (the
   * lowest MAE when MASE is undefined because a training set had no seasonal variation). A candidate
   * whose backtest throws or has a non-finite MAE is left out and recorded in {@link Choice#failures()}.
   * Seasonal naive is always kept: its forecasts are observed values, and its MAE is infinite only when
   * the series' values are so large (beyond about 1e307) that their differences overflow; then it still
   * wins, with that MAE (stored as null by the marts).
   *
   * @throws IllegalArgumentException when the series is too short even for seasonal naive, or has a NaN
   *     or infinite value (fill missing steps first, {@link RegularSeries})
   */
  public Choice choose(double[] y, int origins, int horizon) {
    Checks.finite(y);
    int first = Backtest.firstOrigin(y.length, origins, horizon);
    List<Backtest> results = new ArrayList<>();
    List<ForecastModel> tried = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    // The first candidate is seasonal naive: always run, and not caught, so that a too-short series fails loudly.
    results.add(Backtest.run(candidates.get(0), y, origins, horizon, season));
    tried.add(candidates.get(0));
    for (ForecastModel m : candidates.subList(1, candidates.size())) {
      if (first < m.minimumLength()) {
        continue;
      }
      Backtest b;
      try {
        b = Backtest.run(m, y, origins, horizon, season);
      } catch (RuntimeException e) {
        failures.add(new Failure(m.name(), e.getMessage()));
        continue;
      }
      if (!Double.isFinite(b.mae())) {
        failures.add(new Failure(m.name(), m.name() + ": backtest MAE is " + b.mae()));
        continue;
      }
      results.add(b);
      tried.add(m);
    }
    boolean maseDefined = results.stream().allMatch(b -> Double.isFinite(b.mase()));
    Comparator<Backtest> order = Comparator.comparingDouble(maseDefined ? Backtest::mase : Backtest::mae);
    int best = 0;
    for (int i = 1; i < results.size(); i++) {
      if (order.compare(results.get(i), results.get(best)) < 0) {
        best = i;
      }
    }
    return new Choice(tried.get(best), List.copyOf(results), List.copyOf(failures));
  }

  /**
   * A forecast and the model that made it. {@code failure} says why the model asked for was not used
   * (it threw, or forecast a NaN or infinite value, when refitted on the whole series); null when it was.
   */
  public record Used(ForecastModel model, Forecast forecast, Failure failure) {
    public boolean fellBack() {
      return failure != null;
    }
  }

  /**
   * Forecasts {@code y} with {@code preferred} (typically {@link Choice#winner()}) refitted on the whole
   * series, or, when that fit throws or its forecast has a NaN or infinite value, with
   * {@link #seasonalNaive()}. Seasonal naive is finite on any finite series; its own argument errors
   * (a series shorter than a season plus one, a NaN value) are not caught.
   */
  public Used forecast(ForecastModel preferred, double[] y, int horizon) {
    ForecastModel fallback = seasonalNaive();
    if (preferred.name().equals(fallback.name())) {
      return new Used(fallback, fallback.forecast(y, horizon), null);
    }
    Checks.finite(y);
    String reason;
    try {
      Forecast f = preferred.forecast(y, horizon);
      reason = f.nonFinite();
      if (reason == null) {
        return new Used(preferred, f, null);
      }
      reason = preferred.name() + " refitted on all " + y.length + " values: forecast " + reason;
    } catch (RuntimeException e) {
      reason = preferred.name() + " refitted on all " + y.length + " values: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return new Used(fallback, fallback.forecast(y, horizon), new Failure(preferred.name(), reason));
  }
}
