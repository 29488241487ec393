package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parklake forecast} on a synthetic hourly CSV with a daily and a weekly season: the output
 * file's shape and values, the interval nesting, the backtest table, JSON, and bad input refused with
 * exit code 2 and one line. None of it starts a service: PARKLAKE_HOME is never created.
 */
class ForecastCommandIT {
  private static final LocalDateTime T0 = LocalDateTime.parse("2026-10-05T00:00"); // a Monday
  private static final int HOURS = 5 * 168;
  private static final String QUOTED_ID = "south, \"B\"";

  @TempDir static Path tmp;
  private static Path input;
  private static Map<String, String> env;

  /** The noise-free occupancy of a series at hour t: a daytime peak, quieter weekends. */
  private static double truth(int series, int t) {
    int hour = t % 24;
    int day = (t / 24) % 7;
    double daytime = hour >= 7 && hour <= 19 ? 40 * Math.sin(Math.PI * (hour - 7) / 12.0) : 0;
    return (series == 0 ? 100 : 60) + daytime * (day >= 5 ? 0.4 : 1.0) + 0.02 * t;
  }

  @BeforeAll
  static void writeInput() throws Exception {
    Random noise = new Random(7);
    List<String> lines = new ArrayList<>();
    lines.add("series_id,timestamp,value");
    for (int s = 0; s < 2; s++) {
      String id = s == 0 ? "north" : '"' + QUOTED_ID.replace("\"", "\"\"") + '"';
      for (int t = 0; t < HOURS; t++) {
        double v = truth(s, t) + 2 * noise.nextGaussian();
        if (s == 0 && t >= 300 && t < 303) {
          continue; // three missing hours
        }
        lines.add(id + "," + T0.plusHours(t) + "," + (s == 1 && t == 500 ? "" : String.format("%.2f", v)));
      }
    }
    input = Files.write(tmp.resolve("hourly.csv"), lines);
    env = Map.of("PARKLAKE_HOME", tmp.resolve("home").toString());
  }

  @Test
  void forecast_writes_every_series_times_horizon_rows_with_nested_intervals_near_the_truth() throws Exception {
    Path out = tmp.resolve("out").resolve("forecast.csv");
    CliRun run = CliRun.run(env, "forecast", "--input", input.toString(), "--horizon", "24", "--season", "24,168", "--out",
        out.toString(), "--backtest", "3");

    assertThat(run.exitCode()).isEqualTo(0);
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\n\n").contains("\r\n");
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).isEqualTo("series_id,timestamp,forecast,lo80,hi80,lo95,hi95");
    assertThat(lines).hasSize(1 + 2 * 24);
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      int series = i <= 24 ? 0 : 1;
      int h = (i - 1) % 24;
      // The id may be quoted (RFC 4180); the six fields after it never are.
      assertThat(line).startsWith(series == 0 ? "north," : "\"south, \"\"B\"\"\",");
      String[] f = line.substring(line.length() - tail(line).length()).split(",");
      assertThat(f[0]).isEqualTo(T0.plusHours(HOURS + h).toString());
      double forecast = Double.parseDouble(f[1]);
      double lo80 = Double.parseDouble(f[2]);
      double hi80 = Double.parseDouble(f[3]);
      double lo95 = Double.parseDouble(f[4]);
      double hi95 = Double.parseDouble(f[5]);
      assertThat(lo95).as(line).isLessThanOrEqualTo(lo80);
      assertThat(lo80).as(line).isLessThanOrEqualTo(forecast);
      assertThat(forecast).as(line).isLessThanOrEqualTo(hi80);
      assertThat(hi80).as(line).isLessThanOrEqualTo(hi95);
      // Noise has sd 2: a model that learnt the seasons is within a few of it.
      assertThat(forecast).as(line).isBetween(truth(series, HOURS + h) - 8, truth(series, HOURS + h) + 8);
    }
    assertThat(run.out()).contains("north ").contains("south, \"B\"").contains("     3 ") // 3 filled hours in north
        .contains("Backtest: 3 origins x 24 steps").containsPattern("average MASE over 2 series: chosen \\d\\.\\d{3}, seasonal naive");
    assertThat(tmp.resolve("home")).doesNotExist();
  }

  @Test
  void forecast_with_json_prints_one_object_with_the_model_and_backtest_of_every_series() throws Exception {
    Path out = tmp.resolve("json.csv");
    CliRun run = CliRun.run(env, "forecast", "--input", input.toString(), "--horizon", "12", "--season", "24,168", "--out",
        out.toString(), "--json");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out().strip().lines()).hasSize(1);
    JsonNode m = new ObjectMapper().readTree(run.out());
    assertThat(m.get("series")).hasSize(2);
    JsonNode north = m.get("series").get(0);
    assertThat(north.get("series_id").asText()).isEqualTo("north");
    assertThat(north.get("steps").asInt()).isEqualTo(HOURS);
    assertThat(north.get("step").asText()).isEqualTo("PT1H");
    assertThat(north.get("filled").asInt()).isEqualTo(3);
    assertThat(m.get("series").get(1).get("filled").asInt()).isEqualTo(1);
    List<String> models = new ArrayList<>();
    north.get("backtest").forEach(b -> models.add(b.get("model").asText()));
    assertThat(models).containsExactly("naive-24", "hw-24", "naive-168", "hw-168", "profile-168");
    assertThat(models).contains(north.get("model").asText());
    assertThat(m.get("average_mase").asDouble()).isLessThanOrEqualTo(m.get("average_mase_seasonal_naive").asDouble());
    assertThat(Files.readAllLines(out)).hasSize(1 + 2 * 12);
  }

  @Test
  void dates_in_give_dates_out() throws Exception {
    List<String> lines = new ArrayList<>(List.of("series_id,timestamp,value"));
    LocalDate d0 = LocalDate.parse("2026-01-05");
    for (int t = 0; t < 70; t++) {
      lines.add("daily," + d0.plusDays(t) + "," + (t % 7 >= 5 ? 20 : 50 + t % 7));
    }
    Path daily = Files.write(tmp.resolve("daily.csv"), lines);
    Path out = tmp.resolve("daily-out.csv");
    CliRun run = CliRun.run(env, "forecast", "--input", daily.toString(), "--horizon", "7", "--season", "7", "--out", out.toString());

    assertThat(run.exitCode()).isEqualTo(0);
    List<String> rows = Files.readAllLines(out);
    assertThat(rows).hasSize(8);
    // An exactly weekly series: seasonal naive repeats the last week with no error.
    assertThat(rows.get(1)).isEqualTo("daily,2026-03-16,50,50,50,50,50");
    assertThat(rows.get(7)).isEqualTo("daily,2026-03-22,20,20,20,20,20");
  }

  @Test
  void a_series_of_zeros_but_two_ones_is_forecast_and_the_model_used_is_printed() throws Exception {
    // Issue 11: eight weeks of hourly zeros with two ones failed with "forecast failed: MathIllegalStateException".
    List<String> lines = new ArrayList<>(List.of("series_id,timestamp,value"));
    for (int t = 0; t < 8 * 168; t++) {
      lines.add("sparse," + T0.plusHours(t) + "," + (t == 500 || t == 1300 ? 1 : 0));
    }
    Path sparse = Files.write(tmp.resolve("sparse.csv"), lines);
    Path out = tmp.resolve("sparse-out.csv");
    CliRun run = CliRun.run(env, "forecast", "--input", sparse.toString(), "--horizon", "24", "--season", "24,168", "--out",
        out.toString(), "--json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    JsonNode series = new ObjectMapper().readTree(run.out()).get("series").get(0);
    // Every candidate now runs (the optimiser keeps its best point); last week's values backtest best.
    assertThat(series.get("model").asText()).isEqualTo("naive-168");
    assertThat(series.get("failed")).isEmpty();
    List<String> backtested = new ArrayList<>();
    series.get("backtest").forEach(b -> backtested.add(b.get("model").asText()));
    assertThat(backtested).containsExactly("naive-24", "hw-24", "naive-168", "hw-168", "profile-168");
    series.get("backtest").forEach(b -> assertThat(b.get("mae").isNumber()).as(b.toString()).isTrue());
    // By hand: the same hours last week (1176..1199) are all zero; the seasonal differences are 1 at hours
    // 500 and 1300 and -1 at 668, so sigma = sqrt(3 / 1176), and a day ahead is one season ahead.
    double sigma = Math.sqrt(3.0 / 1176);
    String half80 = decimal(1.2815515655446004 * sigma);
    String half95 = decimal(1.959963984540054 * sigma);
    List<String> rows = Files.readAllLines(out);
    assertThat(rows).hasSize(1 + 24);
    for (int h = 0; h < 24; h++) {
      assertThat(rows.get(1 + h)).isEqualTo("sparse," + T0.plusHours(8 * 168 + h) + ",0,-" + half80 + "," + half80 + ",-" + half95
          + "," + half95);
    }
    CliRun text = CliRun.run(env, "forecast", "--input", sparse.toString(), "--horizon", "24", "--season", "24,168", "--out",
        out.toString());
    assertThat(text.exitCode()).isEqualTo(0);
    assertThat(text.out()).containsPattern("sparse +1344 PT1H +0  naive-168\\n").doesNotContain("failed");
  }

  @Test
  void a_series_too_large_for_the_smoothing_models_is_forecast_by_seasonal_naive_naming_the_models_that_failed() throws Exception {
    List<String> lines = new ArrayList<>(List.of("series_id,timestamp,value"));
    double[] y = new double[10 * 24];
    for (int t = 0; t < y.length; t++) {
      y[t] = 1e200 * ((t * 7) % 11 - 5); // its squares overflow: no smoothing parameters give a finite error
      lines.add("huge," + T0.plusHours(t) + "," + BigDecimal.valueOf(y[t]).toPlainString());
    }
    Path huge = Files.write(tmp.resolve("huge.csv"), lines);
    Path out = tmp.resolve("huge-out.csv");
    CliRun run = CliRun.run(env, "forecast", "--input", huge.toString(), "--horizon", "24", "--season", "24", "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(run.out()).containsPattern("huge +240 PT1H +0  naive-24\\n")
        .contains("huge: 2 model(s) failed and were left out of the choice: hw-24 at origin 1 of 3 (fitted on 168 values): "
            + "ArithmeticException: damped Holt-Winters (P=24): no smoothing parameters give a finite one-step SSE on these 168 "
            + "values (the recursion overflows everywhere); profile-24 at origin 1 of 3 (fitted on 168 values): "
            + "ArithmeticException: seasonal profile (Q=24): no smoothing parameters give a finite one-step SSE on these 168 "
            + "values (the recursion overflows everywhere)\n");
    List<String> rows = Files.readAllLines(out);
    assertThat(rows).hasSize(1 + 24);
    for (int h = 0; h < 24; h++) {
      // Seasonal naive: the last day repeated.
      assertThat(Double.parseDouble(rows.get(1 + h).split(",")[2])).isEqualTo(y[y.length - 24 + h]);
    }
  }

  /** As the command writes numbers: 4 decimals, half-even, no trailing zeros. */
  private static String decimal(double v) {
    return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }

  @Test
  void a_value_that_is_not_a_number_is_refused_naming_file_and_line() throws Exception {
    Path bad = Files.writeString(tmp.resolve("letters.csv"), "series_id,timestamp,value\na,2026-01-01T00:00,1\na,2026-01-01T01:00,12o\n");
    CliRun run = runForecast(bad, "24");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("parklake: --input: " + bad + ":3: value '12o' is not a number");
  }

  @Test
  void a_missing_column_is_refused_naming_it_and_the_header() throws Exception {
    Path bad = Files.writeString(tmp.resolve("cols.csv"), "series_id,time,value\na,2026-01-01T00:00,1\n");
    CliRun run = runForecast(bad, "24");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("parklake: --input: " + bad + ": no column 'timestamp' in the header (series_id,time,value)");
  }

  @Test
  void a_horizon_below_one_is_refused() {
    CliRun run = runForecast(input, "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("parklake: --horizon: must be at least 1, got 0");
  }

  @Test
  void a_missing_file_is_refused_naming_it() {
    Path missing = tmp.resolve("nowhere.csv");
    CliRun run = runForecast(missing, "24");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("parklake: --input: " + missing + ": no such file");
  }

  @Test
  void a_series_too_short_for_a_backtest_is_refused_saying_how_long_it_must_be() throws Exception {
    List<String> lines = new ArrayList<>(List.of("series_id,timestamp,value"));
    for (int t = 0; t < 30; t++) {
      lines.add("short," + T0.plusHours(t) + "," + t);
    }
    Path shortSeries = Files.write(tmp.resolve("short.csv"), lines);
    CliRun run = runForecast(shortSeries, "24");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("parklake: --input: " + shortSeries
        + ": series 'short' has 30 steps of PT1H; choosing a model by a backtest of 1 x 24 steps with season 24 needs at least 49");
  }

  private static CliRun runForecast(Path in, String horizon) {
    return CliRun.run(env, "forecast", "--input", in.toString(), "--horizon", horizon, "--season", "24", "--out",
        tmp.resolve("never.csv").toString());
  }

  /** The last six fields of an output line: timestamp and the five numbers. */
  private static String tail(String line) {
    int commas = 0;
    for (int i = line.length() - 1; i >= 0; i--) {
      if (line.charAt(i) == ',' && ++commas == 6) {
        return line.substring(i + 1);
      }
    }
    throw new AssertionError("fewer than 7 fields: " + line);
  }
}
