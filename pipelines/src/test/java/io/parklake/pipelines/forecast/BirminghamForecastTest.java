package io.parklake.pipelines.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forecaster on real car-park occupancy: the UCI "Parking Birmingham" readings (about every 30
 * minutes, 08:00–16:30, October–December 2016; see the README beside the data).
 *
 * <p>Regularisation: each reading goes to its nearest half hour; the 18 slots 08:00 … 16:30 of every
 * calendar day from a car park's first to its last reading make its series (nights are not steps:
 * nothing is read then). Several readings in one slot are averaged, readings that round to a slot
 * outside the day are dropped, and so are negative occupancies (a sensor fault; the quarantine rules
 * reject them too). Over-capacity readings are kept: they are what the car park reported. Missing
 * slots (whole days are missing for every car park) take the value one week earlier. A day has 18
 * slots, a week 126: seasonal naive and Holt-Winters use the daily season, the profile the weekly one.
 *
 * <p>Backtest: the last 7 days, one origin per day, each forecasting the whole next day (18 steps)
 * from everything before it. The model chosen for a car park is chosen on the 7 days before those,
 * with the same backtest, so that the winner's figures are out of sample, not its own selection.
 */
class BirminghamForecastTest {
  private static final Path CSV = Path.of("src", "test", "resources", "data", "birmingham", "dataset.csv");
  private static final Path REPORT = Path.of("target", "birmingham-forecast.txt");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final int SLOTS = 18;
  private static final int WEEK = 7 * SLOTS;
  private static final int DAYS = 7;
  /** Days with readings a car park needs: the selection backtest of the weekly profile takes 3 weeks + 2 × 7 days. */
  private static final int MIN_DAYS = 35;

  private record CarPark(String name, double[] occupancy, int daysRead, int filled) {}

  /** One car park: which model won on the week before, and every candidate's backtest on the last week. */
  private record Row(CarPark park, String chosen, Forecaster.Choice evaluation) {
    Backtest of(String model) {
      return evaluation.backtest(model);
    }

    Backtest winner() {
      return of(chosen);
    }
  }

  private static final List<Row> rows = new ArrayList<>();
  private static final List<String> dropped = new ArrayList<>();
  private static int outsideDay;
  private static int negative;

  @BeforeAll
  static void backtestEveryCarPark() throws Exception {
    Forecaster forecaster = Forecaster.standard(SLOTS, WEEK);
    for (CarPark park : readCarParks()) {
      if (park.daysRead < MIN_DAYS) {
        dropped.add(park.name + " (" + park.daysRead + " days)");
        continue;
      }
      double[] y = park.occupancy;
      Forecaster.Choice selection = forecaster.choose(Arrays.copyOf(y, y.length - DAYS * SLOTS), DAYS, SLOTS);
      Forecaster.Choice evaluation = forecaster.choose(y, DAYS, SLOTS);
      assertThat(evaluation.backtests()).hasSize(forecaster.candidates().size());
      rows.add(new Row(park, selection.winner().name(), evaluation));
    }
    String table = table();
    System.out.print(table);
    Files.createDirectories(REPORT.getParent());
    Files.writeString(REPORT, table);
  }

  @Test
  void the_car_parks_with_enough_data_are_all_forecast_and_the_two_short_ones_are_dropped() {
    assertThat(rows).hasSize(28);
    assertThat(dropped).containsExactly("BHMBRTARC01 (5 days)", "NIA North (9 days)");
    assertThat(negative).isEqualTo(12);
    assertThat(outsideDay).isEqualTo(30);
  }

  @Test
  void the_model_chosen_on_the_previous_week_beats_seasonal_naive_on_average_over_car_parks() {
    assertThat(average(Row::winner)).isLessThan(average(r -> r.of("naive-18")));
  }

  @Test
  void holt_winters_with_the_weekly_season_beats_seasonal_naive_on_average_over_car_parks() {
    assertThat(average(r -> r.of("hw-126"))).isLessThan(average(r -> r.of("naive-18")));
  }

  @Test
  void the_chosen_models_intervals_cover_roughly_their_nominal_share() {
    double coverage80 = rows.stream().mapToDouble(r -> r.winner().coverage80()).average().orElseThrow();
    double coverage95 = rows.stream().mapToDouble(r -> r.winner().coverage95()).average().orElseThrow();
    assertThat(coverage95).isGreaterThanOrEqualTo(coverage80);
    assertThat(coverage80).isBetween(0.6, 0.95);
    assertThat(coverage95).isBetween(0.8, 1.0);
  }

  private static double average(Function<Row, Backtest> model) {
    return rows.stream().mapToDouble(r -> model.apply(r).mase()).average().orElseThrow();
  }

  private static List<CarPark> readCarParks() throws Exception {
    Map<String, TreeMap<LocalDate, double[][]>> sums = new TreeMap<>();
    List<String> lines = Files.readAllLines(CSV);
    assertThat(lines.get(0)).isEqualTo("SystemCodeNumber,Capacity,Occupancy,LastUpdated");
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      int occupancy = Integer.parseInt(f[2]);
      if (occupancy < 0) {
        negative++;
        continue;
      }
      // LocalDateTime, not the JVM's zone: the readings are Birmingham wall-clock times.
      LocalDateTime t = LocalDateTime.parse(f[3], TIME);
      long secondsAfterEight = t.toLocalTime().toSecondOfDay() - 8 * 3600L;
      int slot = (int) Math.round(secondsAfterEight / 1800.0);
      if (slot < 0 || slot >= SLOTS) {
        outsideDay++;
        continue;
      }
      double[][] day = sums.computeIfAbsent(f[0], k -> new TreeMap<>()).computeIfAbsent(t.toLocalDate(),
          d -> new double[2][SLOTS]);
      day[0][slot] += occupancy;
      day[1][slot]++;
    }
    List<CarPark> parks = new ArrayList<>();
    sums.forEach((name, days) -> {
      LocalDate first = days.firstKey();
      int n = (int) ChronoUnit.DAYS.between(first, days.lastKey()) + 1;
      double[] y = new double[n * SLOTS];
      Arrays.fill(y, Double.NaN);
      days.forEach((date, day) -> {
        int offset = (int) ChronoUnit.DAYS.between(first, date) * SLOTS;
        for (int s = 0; s < SLOTS; s++) {
          if (day[1][s] > 0) {
            y[offset + s] = day[0][s] / day[1][s];
          }
        }
      });
      int filled = RegularSeries.fillGaps(y, WEEK);
      parks.add(new CarPark(name, y, days.size(), filled));
    });
    return parks;
  }

  private static String table() {
    List<String> models = List.of("naive-18", "hw-18", "naive-126", "hw-126", "profile-126");
    StringBuilder b = new StringBuilder();
    b.append(String.format("Birmingham car parks: backtest of the last %d days, one origin a day, %d half-hour slots ahead.%n", DAYS,
        SLOTS));
    b.append(String.format("MASE scaled by in-sample seasonal naive with P = %d (a day); 'won' = lowest MASE on the %d days before,"
        + " its MASE and coverage here are out of sample.%n%n", SLOTS, DAYS));
    b.append(String.format("%-17s %5s %6s %-12s", "car park", "n", "filled", "won"));
    models.forEach(m -> b.append(String.format(" %11s", m)));
    b.append(String.format(" %8s %6s %6s%n", "chosen", "cov80", "cov95"));
    for (Row r : rows) {
      b.append(String.format("%-17s %5d %6d %-12s", r.park.name, r.park.occupancy.length, r.park.filled, r.chosen));
      models.forEach(m -> b.append(String.format(" %11.3f", r.of(m).mase())));
      b.append(String.format(" %8.3f %6.2f %6.2f%n", r.winner().mase(), r.winner().coverage80(), r.winner().coverage95()));
    }
    b.append(String.format("%-17s %5s %6s %-12s", "average", "", "", ""));
    models.forEach(m -> b.append(String.format(" %11.3f", average(r -> r.of(m)))));
    b.append(String.format(" %8.3f %6.2f %6.2f%n", average(Row::winner),
        rows.stream().mapToDouble(r -> r.winner().coverage80()).average().orElseThrow(),
        rows.stream().mapToDouble(r -> r.winner().coverage95()).average().orElseThrow()));
    b.append(String.format("%nwins: %s%n", rows.stream().collect(Collectors.groupingBy(Row::chosen, TreeMap::new,
        Collectors.counting()))));
    b.append(String.format("dropped (fewer than %d days with readings): %s; readings dropped: %d negative, %d outside 08:00-16:30%n",
        MIN_DAYS, String.join(", ", dropped), negative, outsideDay));
    return b.toString();
  }
}
