package io.parklake.pipelines.demand;

import io.parklake.pipelines.forecast.Backtest;
import io.parklake.pipelines.forecast.Forecaster;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The choice of demand model per facility and target, by a rolling-origin backtest over the last
 * {@value #ORIGINS} weeks: {@value #ORIGINS} origins one week apart, each forecasting the following
 * week ({@value #HORIZON} hours) from everything before it. Candidates are those of
 * {@link Forecaster#standard} with daily (24) and weekly (168) seasonality; MASE is scaled by the
 * seasonal naive forecast one day back. A candidate that fails on a series is left out of its choice
 * and logged, one line per facility and target; it never fails the run.
 */
final class DemandModels {
  private static final Logger log = LoggerFactory.getLogger(DemandModels.class);
  static final int ORIGINS = 4;
  static final int HORIZON = 168;
  static final int DAY = 24;
  static final int WEEK = 168;
  static final List<String> TARGETS = List.of("arrivals", "utilisation");

  /** One facility × target backtest result of one model. */
  record Accuracy(DemandHistory.Series series, String target, Backtest backtest, boolean chosen) {}

  /**
   * Every backtest that ran, and what was counted (and logged) on the way: candidates left out
   * because they failed, and facility × target series with no backtest at all (too short, or a
   * failure outside any one model).
   */
  record Backtests(List<Accuracy> rows, int failedCandidates, int seriesWithFailures, int tooShort, int seriesFailed) {}

  private DemandModels() {}

  static double[] values(DemandHistory.Series s, String target) {
    return "arrivals".equals(target) ? s.arrivals() : s.utilisation();
  }

  /** One series' outcome: its rows, or none with the reason it has none. */
  private record Outcome(List<Accuracy> rows, Forecaster.Choice choice, boolean tooShort, String error) {}

  /** Backtests every candidate on each facility's arrivals and utilisation, in parallel over series. */
  static Backtests backtest(List<DemandHistory.Series> series) {
    Forecaster forecaster = Forecaster.standard(DAY, WEEK);
    List<Object[]> jobs = new ArrayList<>();
    for (DemandHistory.Series s : series) {
      for (String target : TARGETS) {
        jobs.add(new Object[] {s, target});
      }
    }
    List<Outcome> outcomes = jobs.parallelStream().map(j -> {
      DemandHistory.Series s = (DemandHistory.Series) j[0];
      String target = (String) j[1];
      double[] y = values(s, target);
      if (y.length < DAY + 1 + ORIGINS * HORIZON) {
        return new Outcome(List.of(), null, true, null);
      }
      Forecaster.Choice choice;
      try {
        choice = forecaster.choose(y, ORIGINS, HORIZON);
      } catch (RuntimeException e) {
        // Not a model's failure (those are in the choice): an unexpected one, e.g. a non-finite value in
        // the history. This series gets no rows, so demand_forecast uses seasonal naive for it.
        log.warn("forecast_accuracy: facility {} ({}) {}: no backtest: {}", s.facilityName(), s.facilityId(), target, e.toString());
        return new Outcome(List.of(), null, false, e.toString());
      }
      if (!choice.failures().isEmpty()) {
        log.warn("forecast_accuracy: facility {} ({}) {}: {} of {} candidates failed and were left out: {}; chosen {}",
            s.facilityName(), s.facilityId(), target, choice.failures().size(), choice.failures().size() + choice.backtests().size(),
            choice.failureSummary(), choice.winner().name());
      }
      List<Accuracy> rows = new ArrayList<>();
      for (Backtest b : choice.backtests()) {
        rows.add(new Accuracy(s, target, b, b.model().equals(choice.winner().name())));
      }
      return new Outcome(rows, choice, false, null);
    }).toList();
    List<Accuracy> rows = new ArrayList<>();
    int failedCandidates = 0;
    int seriesWithFailures = 0;
    int tooShort = 0;
    int seriesFailed = 0;
    for (Outcome o : outcomes) {
      rows.addAll(o.rows());
      tooShort += o.tooShort() ? 1 : 0;
      seriesFailed += o.error() != null ? 1 : 0;
      if (o.choice() != null && !o.choice().failures().isEmpty()) {
        failedCandidates += o.choice().failures().size();
        seriesWithFailures++;
      }
    }
    log.info("forecast_accuracy: {} facility x target series backtested, {} too short, {} without a backtest; {} candidate "
        + "failures in {} series (left out, see the warnings)", outcomes.size() - tooShort - seriesFailed, tooShort, seriesFailed,
        failedCandidates, seriesWithFailures);
    return new Backtests(List.copyOf(rows), failedCandidates, seriesWithFailures, tooShort, seriesFailed);
  }
}
