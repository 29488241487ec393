package io.parklake.pipelines.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.pipelines.forecast.RegularSeries.Reading;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timestamped readings onto a regular grid. */
class RegularSeriesTest {
  private static final LocalDateTime T0 = LocalDateTime.parse("2018-11-03T22:00");

  @Test
  void given_hourly_readings_across_a_night_with_no_local_midnight_in_sao_paulo_then_every_hour_is_a_step() {
    // 2018-11-04 00:00 did not exist in America/Sao_Paulo (the test JVM's zone): local times carry no zone,
    // so the grid has no hole there.
    List<Reading> readings = List.of(r("2018-11-03T22:00", 1), r("2018-11-03T23:00", 2), r("2018-11-04T00:00", 3),
        r("2018-11-04T01:00", 4));
    RegularSeries s = RegularSeries.of(readings, RegularSeries.typicalStep(readings.stream().map(Reading::time).toList()), 1);

    assertThat(s.step()).isEqualTo(Duration.ofHours(1));
    assertThat(s.values()).containsExactly(1, 2, 3, 4);
    assertThat(s.filled()).isZero();
    assertThat(s.time(2)).isEqualTo(LocalDateTime.parse("2018-11-04T00:00"));
  }

  @Test
  void given_jittered_and_duplicated_readings_then_each_goes_to_its_nearest_step_and_duplicates_are_averaged() {
    List<Reading> readings = List.of(r("2018-11-03T22:00", 10), r("2018-11-03T23:29", 20), r("2018-11-03T22:40", 30),
        r("2018-11-04T00:10", 7));
    RegularSeries s = RegularSeries.of(readings, Duration.ofHours(1), 0);

    // 22:40 and 23:29 both round to 23:00.
    assertThat(s.values()).containsExactly(10, 25, 7);
    assertThat(s.start()).isEqualTo(T0);
  }

  @Test
  void given_missing_steps_then_they_take_the_value_one_season_earlier_or_the_straight_line_before_a_season_exists() {
    // Season 3. Steps 1 and 2 are missing before a season exists: interpolated between 0 and 6.
    // Step 4 is missing after: takes step 1's value (2).
    List<Reading> readings = List.of(r(0, 0), r(3, 6), r(5, 9), r(6, 1));
    RegularSeries s = RegularSeries.of(readings, Duration.ofHours(1), 3);

    assertThat(s.values()).containsExactly(0, 2, 4, 6, 2, 9, 1);
    assertThat(s.filled()).isEqualTo(3);
  }

  @Test
  void given_readings_at_one_time_only_then_there_is_no_step_to_infer() {
    assertThatThrownBy(() -> RegularSeries.typicalStep(List.of(T0, T0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("one distinct time gives no step");
  }

  @Test
  void given_gaps_of_several_sizes_then_the_typical_step_is_the_most_common_one() {
    List<LocalDateTime> times = List.of(T0, T0.plusHours(1), T0.plusHours(2), T0.plusHours(5), T0.plusHours(6));
    assertThat(RegularSeries.typicalStep(times)).isEqualTo(Duration.ofHours(1));
  }

  private static Reading r(String time, double value) {
    return new Reading(LocalDateTime.parse(time), value);
  }

  private static Reading r(int hour, double value) {
    return new Reading(T0.plusHours(hour), value);
  }
}
