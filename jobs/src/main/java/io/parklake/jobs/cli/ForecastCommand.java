package io.parklake.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.jobs.config.UserError;
import io.parklake.pipelines.forecast.Backtest;
import io.parklake.pipelines.forecast.Forecast;
import io.parklake.pipelines.forecast.Forecaster;
import io.parklake.pipelines.forecast.RegularSeries;
import io.parklake.pipelines.forecast.RegularSeries.Reading;
import io.parklake.reports.csv.CsvWriter;
import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parklake forecast}: forecasts every series of a CSV file with the model that backtests best. */
@Command(
    name = "forecast",
    mixinStandardHelpOptions = true,
    description = {
      "Forecast each series of a CSV file (columns series_id,timestamp,value) --horizon steps ahead, with 80%% and 95%% "
          + "prediction intervals, by the model with the lowest backtest MASE: seasonal naive, damped Holt-Winters "
          + "(per season) or a seasonal profile (longer season).",
      "Timestamps are ISO local date-times or dates. The step is each series' most common gap; readings go to the "
          + "nearest step, several on one step are averaged, a missing step (or an empty value) takes the value one "
          + "(longer) season earlier. Needs no database, lake or Spark.",
      "Writes series_id,timestamp,forecast,lo80,hi80,lo95,hi95 (RFC 4180, values rounded to 4 decimals) and prints "
          + "the model used for each series; with --backtest K also every candidate's backtest.",
      "A model that fails on a series (its optimiser gives up, or it forecasts NaN or infinity) is left out and "
          + "named with its reason; if the winner cannot be refitted on the whole series, seasonal naive forecasts it."
    })
public class ForecastCommand implements Callable<Integer> {
  /** Origins of the backtest that chooses the model when --backtest is not given (fewer if the series is short). */
  static final int DEFAULT_ORIGINS = 3;

  private final CliEnvironment cli;

  @Option(names = "--input", required = true, paramLabel = "F.csv", description = "series_id,timestamp,value with a header row")
  Path input;

  @Option(names = "--horizon", required = true, paramLabel = "H", description = "steps to forecast")
  int horizon;

  @Option(names = "--season", required = true, split = ",", paramLabel = "P[,Q]",
      description = "seasonal period in steps, optionally a longer second one: 24,168 for hourly data")
  List<Integer> seasons;

  @Option(names = "--out", required = true, paramLabel = "G.csv", description = "forecast file to write (replaced atomically)")
  Path out;

  @Option(names = "--backtest", paramLabel = "K",
      description = "rolling-origin backtest with K origins of H steps (default " + DEFAULT_ORIGINS + ") and print its table")
  Integer backtest;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  public ForecastCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  /**
   * One series' outcome: the backtest choice and the forecast actually written, whose model is the
   * winner or, when the winner could not be refitted on the whole series, seasonal naive.
   */
  private record Result(String id, RegularSeries series, Forecaster.Choice choice, Forecaster.Used used) {
    Forecast forecast() {
      return used.forecast();
    }

    String model() {
      return used.model().name();
    }

    /** Every model that failed on this series: those left out of the backtest, and a winner that could not be refitted. */
    List<Forecaster.Failure> failures() {
      List<Forecaster.Failure> all = new ArrayList<>(choice.failures());
      if (used.failure() != null) {
        all.add(used.failure());
      }
      return all;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (horizon < 1) {
      throw new UserError("--horizon", "must be at least 1, got " + horizon);
    }
    if (seasons.size() > 2 || seasons.stream().anyMatch(p -> p < 2)) {
      throw new UserError("--season", "one or two periods of at least 2 steps (e.g. 24 or 24,168), got " + seasons);
    }
    int season = seasons.get(0);
    int longSeason = seasons.get(seasons.size() - 1);
    if (longSeason < season) {
      throw new UserError("--season", "the second period must be the longer one, got " + seasons);
    }
    if (backtest != null && backtest < 1) {
      throw new UserError("--backtest", "must be at least 1, got " + backtest);
    }
    Input data = read();
    Forecaster forecaster = Forecaster.standard(season, longSeason);
    List<Result> results = new ArrayList<>();
    for (Map.Entry<String, List<Reading>> e : data.series.entrySet()) {
      results.add(forecast(forecaster, e.getKey(), e.getValue()));
    }
    write(results, data.datesOnly);
    if (json) {
      printJson(results, forecaster);
    } else {
      printText(results, forecaster);
    }
    return 0;
  }

  private Result forecast(Forecaster forecaster, String id, List<Reading> readings) {
    Duration step;
    try {
      step = RegularSeries.typicalStep(readings.stream().map(Reading::time).toList());
    } catch (IllegalArgumentException e) {
      throw new UserError("--input", input + ": series '" + id + "' has readings at one time only; a forecast needs a step");
    }
    RegularSeries series;
    try {
      // Gaps take the longer season's shape: last week's Tuesday 10:00 rather than yesterday's.
      series = RegularSeries.of(readings, step, seasons.get(seasons.size() - 1));
    } catch (IllegalArgumentException e) {
      throw new UserError("--input", input + ": series '" + id + "': " + e.getMessage());
    }
    int n = series.size();
    int needed = forecaster.season() + 1; // seasonal naive, the candidate with the shortest history
    int origins = backtest != null ? backtest : Math.min(DEFAULT_ORIGINS, (n - needed) / horizon);
    if (origins < 1 || n < needed + origins * horizon) {
      throw new UserError(backtest != null ? "--backtest" : "--input", input + ": series '" + id + "' has " + n + " steps of "
          + step + "; choosing a model by a backtest of " + Math.max(origins, 1) + " x " + horizon + " steps with season "
          + forecaster.season() + " needs at least " + (needed + Math.max(origins, 1) * horizon));
    }
    Forecaster.Choice choice = forecaster.choose(series.values(), origins, horizon);
    return new Result(id, series, choice, forecaster.forecast(choice.winner(), series.values(), horizon));
  }

  private record Input(Map<String, List<Reading>> series, boolean datesOnly) {}

  private Input read() {
    Map<String, List<Reading>> series = new LinkedHashMap<>();
    boolean datesOnly = true;
    try (CsvInput csv = CsvInput.open("--input", input, "series_id", "timestamp", "value")) {
      for (CsvInput.Record r = csv.next(); r != null; r = csv.next()) {
        String id = r.get(0);
        if (id.isEmpty()) {
          throw csv.error(r.line(), "empty series_id");
        }
        String ts = r.get(1);
        LocalDateTime time;
        try {
          if (ts.length() <= 10) {
            time = LocalDate.parse(ts).atStartOfDay();
          } else {
            // ISO, also with a space for the T as databases write it.
            time = LocalDateTime.parse(ts.replace(' ', 'T'));
            datesOnly = false;
          }
        } catch (DateTimeParseException e) {
          throw csv.error(r.line(), "timestamp '" + ts + "' is not an ISO date-time (2026-11-03T14:00) or date (2026-11-03)");
        }
        List<Reading> readings = series.computeIfAbsent(id, k -> new ArrayList<>());
        String value = r.get(2);
        if (value.isEmpty()) {
          continue; // a missing reading: filled like a missing step
        }
        try {
          readings.add(new Reading(time, new BigDecimal(value).doubleValue()));
        } catch (NumberFormatException e) {
          throw csv.error(r.line(), "value '" + value + "' is not a number");
        }
      }
    }
    if (series.isEmpty()) {
      throw new UserError("--input", input + ": no data rows");
    }
    for (Map.Entry<String, List<Reading>> e : series.entrySet()) {
      if (e.getValue().isEmpty()) {
        throw new UserError("--input", input + ": series '" + e.getKey() + "' has no values");
      }
    }
    return new Input(series, datesOnly);
  }

  private void write(List<Result> results, boolean datesOnly) throws IOException {
    List<Object[]> rows = new ArrayList<>();
    for (Result r : results) {
      Forecast f = r.forecast();
      for (int h = 0; h < f.horizon(); h++) {
        LocalDateTime t = r.series.time(r.series.size() + h);
        rows.add(new Object[] {r.id, datesOnly ? t.toLocalDate().toString() : t.toString(), decimal(f.mean()[h]),
            decimal(f.lo80()[h]), decimal(f.hi80()[h]), decimal(f.lo95()[h]), decimal(f.hi95()[h])});
      }
    }
    ReportTable table = new ReportTable(List.of(new Column("series_id", Kind.TEXT), new Column("timestamp", Kind.TEXT),
        new Column("forecast", Kind.NUMBER), new Column("lo80", Kind.NUMBER), new Column("hi80", Kind.NUMBER),
        new Column("lo95", Kind.NUMBER), new Column("hi95", Kind.NUMBER)), rows);
    Path target = out.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    CsvWriter.write(table, tmp);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Rounding is monotone, so rounded bounds still nest around the rounded forecast. */
  private static BigDecimal decimal(double v) {
    return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros();
  }

  private void printText(List<Result> results, Forecaster forecaster) {
    var o = cli.out();
    o.printf("%-24s %7s %-10s %6s  %s%n", "series", "steps", "step", "filled", "model");
    for (Result r : results) {
      o.printf("%-24s %7d %-10s %6d  %s%n", r.id, r.series.size(), r.series.step(), r.series.filled(), r.model());
    }
    for (Result r : results) {
      if (!r.choice.failures().isEmpty()) {
        o.printf("%s: %d model(s) failed and were left out of the choice: %s%n", r.id, r.choice.failures().size(),
            r.choice.failureSummary());
      }
      if (r.used.fellBack()) {
        o.printf("%s: %s won the backtest but failed, forecast by %s instead: %s%n", r.id, r.used.failure().model(), r.model(),
            r.used.failure().reason());
      }
    }
    if (backtest != null) {
      o.println();
      o.printf("Backtest: %d origins x %d steps; MASE scaled by in-sample seasonal naive with season %d (* = chosen)%n", backtest,
          horizon, forecaster.season());
      o.printf("%-24s %-12s %12s %8s %10s %10s%n", "series", "model", "MAE", "MASE", "coverage80", "coverage95");
      for (Result r : results) {
        for (Backtest b : r.choice.backtests()) {
          o.printf("%-24s %-12s %12.4f %8.3f %10.2f %10.2f%n", r.id, b.model() + (b.model().equals(r.model()) ? " *" : ""),
              b.mae(), b.mase(), b.coverage80(), b.coverage95());
        }
      }
      o.printf("average MASE over %d series: chosen %.3f, seasonal naive %.3f%n", results.size(), averageChosen(results),
          averageNaive(results));
    }
    o.println("wrote " + results.size() * horizon + " forecasts (" + results.size() + " series x " + horizon + " steps) to "
        + out.toAbsolutePath());
  }

  private void printJson(List<Result> results, Forecaster forecaster) throws IOException {
    List<Map<String, Object>> series = new ArrayList<>();
    for (Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("series_id", r.id);
      m.put("steps", r.series.size());
      m.put("step", r.series.step().toString());
      m.put("filled", r.series.filled());
      m.put("model", r.model());
      List<Map<String, Object>> bts = new ArrayList<>();
      for (Backtest b : r.choice.backtests()) {
        Map<String, Object> bt = new LinkedHashMap<>();
        bt.put("model", b.model());
        bt.put("mae", finite(b.mae()));
        bt.put("mase", finite(b.mase()));
        bt.put("coverage80", b.coverage80());
        bt.put("coverage95", b.coverage95());
        bts.add(bt);
      }
      m.put("backtest", bts);
      List<Map<String, Object>> failed = new ArrayList<>();
      for (Forecaster.Failure f : r.failures()) {
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("model", f.model());
        fm.put("reason", f.reason());
        failed.add(fm);
      }
      m.put("failed", failed);
      series.add(m);
    }
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("out", out.toAbsolutePath().toString());
    all.put("horizon", horizon);
    all.put("season", forecaster.season());
    all.put("series", series);
    all.put("average_mase", finite(averageChosen(results)));
    all.put("average_mase_seasonal_naive", finite(averageNaive(results)));
    cli.out().println(new ObjectMapper().writeValueAsString(all));
  }

  private static double averageChosen(List<Result> results) {
    // The model written: the winner, or seasonal naive (always backtested) when the winner could not be refitted.
    return results.stream().mapToDouble(r -> r.choice.backtest(r.model()).mase()).average().orElse(Double.NaN);
  }

  private static double averageNaive(List<Result> results) {
    // Seasonal naive with the first season is always the first candidate.
    return results.stream().mapToDouble(r -> r.choice.backtests().get(0).mase()).average().orElse(Double.NaN);
  }

  /** JSON has no NaN: an undefined MASE (a series with no seasonal variation) is null. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
