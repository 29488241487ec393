package io.parklake.pipelines.occupancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalHoursTest {

  @Test
  void an_ordinary_day_has_24_hours_from_local_midnight() {
    List<LocalHours.Slot> s = LocalHours.of(ZoneId.of("Europe/Berlin"), LocalDate.of(2026, 10, 20));
    assertThat(s).hasSize(24);
    assertThat(s.get(0).start()).isEqualTo(Instant.parse("2026-10-19T22:00:00Z"));
    assertThat(s.get(23).end()).isEqualTo(Instant.parse("2026-10-20T22:00:00Z"));
    assertThat(s).extracting(LocalHours.Slot::localHour).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 24).boxed().toList());
  }

  @Test
  void the_fall_back_day_has_25_hours_and_its_repeated_hour_twice() {
    List<LocalHours.Slot> s = LocalHours.of(ZoneId.of("Europe/London"), LocalDate.of(2026, 10, 25));
    assertThat(s).hasSize(25);
    assertThat(s.get(1)).extracting(LocalHours.Slot::localHour, LocalHours.Slot::utcOffset, LocalHours.Slot::start)
        .containsExactly(1, "+01:00", Instant.parse("2026-10-25T00:00:00Z"));
    assertThat(s.get(2)).extracting(LocalHours.Slot::localHour, LocalHours.Slot::utcOffset, LocalHours.Slot::start)
        .containsExactly(1, "+00:00", Instant.parse("2026-10-25T01:00:00Z"));
    List<LocalHours.Slot> ny = LocalHours.of(ZoneId.of("America/New_York"), LocalDate.of(2026, 11, 1));
    assertThat(ny).hasSize(25);
    assertThat(ny.stream().filter(x -> x.localHour() == 1).map(LocalHours.Slot::utcOffset)).containsExactly("-04:00", "-05:00");
  }

  @Test
  void the_spring_forward_day_has_23_hours_without_the_skipped_one() {
    List<LocalHours.Slot> s = LocalHours.of(ZoneId.of("Europe/London"), LocalDate.of(2026, 3, 29));
    assertThat(s).hasSize(23);
    assertThat(s).extracting(LocalHours.Slot::localHour).doesNotContain(1).startsWith(0, 2, 3);
  }

  @Test
  void slots_tile_the_day_exactly_in_any_zone() {
    for (String zone : List.of("Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", "Australia/Sydney", "America/St_Johns", "UTC")) {
      for (LocalDate d = LocalDate.of(2026, 1, 1); d.getYear() == 2026; d = d.plusDays(1)) {
        List<LocalHours.Slot> s = LocalHours.of(ZoneId.of(zone), d);
        assertThat(s.get(0).start()).isEqualTo(d.atStartOfDay(ZoneId.of(zone)).toInstant());
        assertThat(s.get(s.size() - 1).end()).isEqualTo(d.plusDays(1).atStartOfDay(ZoneId.of(zone)).toInstant());
        for (int i = 0; i < s.size(); i++) {
          assertThat(s.get(i).hourSeq()).isEqualTo(i);
          assertThat(Duration.between(s.get(i).start(), s.get(i).end())).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(90));
          if (i > 0) {
            assertThat(s.get(i).start()).isEqualTo(s.get(i - 1).end());
          }
        }
      }
    }
    // Kolkata (+05:30, no DST): 24 hours starting at local :00, i.e. UTC :30.
    assertThat(LocalHours.of(ZoneId.of("Asia/Kolkata"), LocalDate.of(2026, 10, 25)).get(0).start())
        .isEqualTo(Instant.parse("2026-10-24T18:30:00Z"));
  }
}
