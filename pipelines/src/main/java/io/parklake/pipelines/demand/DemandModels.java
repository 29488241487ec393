package io.parklake.pipelines.demand;

import io.parklake.pipelines.forecast.Backtest;
import io.parklake.pipelines.forecast.Forecaster;
import java.util.ArrayList;
import java.util.List;

/**
 * The choice of demand model per facility and target, by a rolling-origin backtest over the last
 * {@value #ORIGINS} weeks: {@value #ORIGINS} origins one week apart, each forecasting the following
 * week ({@value #HORIZON} hours) from everything before it. Candidates are those of
 * {@link Forecaster#standard} with daily (24) and weekly (168) seasonality; MASE is scaled by the
 * seasonal naive forecast one day back.
 */
final class DemandModels {
  static final int ORIGINS = 4;
  static final int HORIZON = 168;
  static final int DAY = 24;
  static final int WEEK = 168;
  static final List<String> TARGETS = List.of("arrivals", "utilisation");

  /** One facility × target backtest result of one model. */
  record Accuracy(DemandHistory.Series series, String target, Backtest backtest, boolean chosen) {}

  private DemandModels() {}

  static double[] values(DemandHistory.Series s, String target) {
    return "arrivals".equals(target) ? s.arrivals() : s.utilisation();
  }

  /** Backtests every candidate on each facility's arrivals and utilisation, in parallel over series. */
  static List<Accuracy> backtest(List<DemandHistory.Series> series) {
    Forecaster forecaster = Forecaster.standard(DAY, WEEK);
    List<Accuracy> out = new ArrayList<>();
    List<Object[]> jobs = new ArrayList<>();
    for (DemandHistory.Series s : series) {
      for (String target : TARGETS) {
        jobs.add(new Object[] {s, target});
      }
    }
    List<List<Accuracy>> results = jobs.parallelStream().map(j -> {
      DemandHistory.Series s = (DemandHistory.Series) j[0];
      String target = (String) j[1];
      double[] y = values(s, target);
      if (y.length < DAY + 1 + ORIGINS * HORIZON) {
        return List.<Accuracy>of();
      }
      Forecaster.Choice choice = forecaster.choose(y, ORIGINS, HORIZON);
      List<Accuracy> rows = new ArrayList<>();
      for (Backtest b : choice.backtests()) {
        rows.add(new Accuracy(s, target, b, b.model().equals(choice.winner().name())));
      }
      return rows;
    }).toList();
    results.forEach(out::addAll);
    return out;
  }
}
