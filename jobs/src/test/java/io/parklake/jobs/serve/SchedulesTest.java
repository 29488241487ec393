package io.parklake.jobs.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.jobs.config.ServeSettings;
import io.parklake.jobs.config.UserError;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class SchedulesTest {
  private static final TimeZone BERLIN = TimeZone.getTimeZone("Europe/Berlin");

  @Test
  void a_nightly_fired_late_after_a_misfire_stands_for_the_latest_0200_it_missed() {
    // Down from 1 Dec to 3 Dec 10:00 Berlin time; 02:00 nightlies were missed on 2 and 3 Dec.
    Instant now = Instant.parse("2026-12-03T09:00:00Z");
    Instant missed = Schedules.latestFireAtOrBefore("0 0 2 * * ?", BERLIN, now);
    assertThat(missed).isEqualTo(Instant.parse("2026-12-03T01:00:00Z"));
    assertThat(Schedules.runArguments("nightly", missed, ZoneId.of("Europe/Berlin")))
        .containsExactly("run", "nightly", "--date", "2026-12-02", "--json");
  }

  @Test
  void started_at_0100_the_missed_nightly_is_the_one_of_the_day_before_so_its_date_is_two_days_back() {
    Instant now = Instant.parse("2026-12-03T00:00:00Z"); // 01:00 in Berlin, before today's 02:00
    Instant missed = Schedules.latestFireAtOrBefore("0 0 2 * * ?", BERLIN, now);
    assertThat(missed).isEqualTo(Instant.parse("2026-12-02T01:00:00Z"));
    assertThat(Schedules.runArguments("nightly", missed, ZoneId.of("Europe/Berlin")).get(3)).isEqualTo("2026-12-01");
  }

  @Test
  void an_on_time_fire_is_its_own_latest_fire_and_the_hourly_gets_the_local_day() {
    Instant onTime = Instant.parse("2026-03-29T00:05:00Z"); // 01:05 in Berlin, the night clocks go forward
    assertThat(Schedules.latestFireAtOrBefore("0 5 * * * ?", BERLIN, onTime)).isEqualTo(onTime);
    assertThat(Schedules.runArguments("hourly", onTime, ZoneId.of("Europe/Berlin")).get(3)).isEqualTo("2026-03-29");
    assertThat(Schedules.runArguments("hourly", onTime, ZoneId.of("America/Los_Angeles")).get(3)).isEqualTo("2026-03-28");
  }

  @Test
  void a_cron_that_never_fired_before_leaves_the_time_as_it_is() {
    Instant at = Instant.parse("2026-12-03T09:00:00Z");
    assertThat(Schedules.latestFireAtOrBefore("0 0 2 1 1 ? 2030", BERLIN, at)).isEqualTo(at);
  }

  @Test
  void a_bad_cron_expression_names_its_setting() {
    ServeSettings d = ServeSettings.defaults();
    ServeSettings bad = new ServeSettings(d.address(), d.port(), d.keystore(), d.keystorePassword(), d.tokens(), d.zone(),
        Map.of("nightly", new ServeSettings.Schedule("nightly", "nightly", "0 0 25 * * ?", true)), d.overlap(), d.overlapWait(),
        d.historyMaxAge(), d.clusterCheckin());
    assertThatThrownBy(() -> Schedules.validate(bad)).isInstanceOf(UserError.class)
        .hasMessageStartingWith("schedules.nightly.cron: '0 0 25 * * ?' is not a Quartz cron expression");
  }
}
