package io.parklake.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.jobs.batch.RunRange;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.UserError;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@code run} reads its dates and what {@code --dry-run} says the one run would do. */
class RunCommandTest {
  private static final ParkLakeSettings SETTINGS = ParkLakeSettings.fromEnvironment(Map.of("PARKLAKE_HOME", "/tmp/parklake-plan"));

  @Test
  void given_date_and_range_options_then_they_make_one_date_or_one_range_or_a_one_line_refusal() {
    assertThat(RunCommand.range(LocalDate.of(2026, 11, 21), null, null)).isEqualTo(RunRange.of(LocalDate.of(2026, 11, 21)));
    assertThat(RunCommand.range(null, LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 30)))
        .isEqualTo(new RunRange(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 30)));
    assertThatThrownBy(() -> RunCommand.range(LocalDate.of(2026, 11, 21), LocalDate.of(2026, 10, 1), null))
        .isInstanceOf(UserError.class).hasMessage("--date: give either --date or --from/--to, not both");
    assertThatThrownBy(() -> RunCommand.range(null, LocalDate.of(2026, 10, 1), null))
        .isInstanceOf(UserError.class).hasMessage("--to: a backfill needs both --from and --to");
  }

  @Test
  void given_a_thirty_day_range_then_the_dry_run_describes_one_run_step_by_step() {
    List<String> plan = RunCommand.plan("nightly", new RunRange(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 30)), SETTINGS);

    assertThat(plan.get(0)).isEqualTo("would run nightly once (one job execution) for 2026-10-01..2026-10-30 (30 dates), as of 2026-10-30:");
    assertThat(plan).contains(
        "  deletes      hard-delete scan of business dates 2026-08-27..2026-10-30",
        "  marts        every mart: the partitions of 2026-10-01..2026-10-30 and of every date the changes touch, once; "
            + "the marts replaced whole (customer, forecast) once, as of 2026-10-30",
        "  report       64 report(s): daily_operations x30 (2026-10-01..2026-10-30), forecast_accuracy x30 (2026-10-01..2026-10-30), "
            + "weekly_revenue x4 (2026-W40..2026-W43)",
        "               computed again as of an earlier date for its reports: forecast_accuracy (29 dates)");
  }

  @Test
  void given_one_date_then_the_dry_run_names_it_and_computes_nothing_as_of_another_date() {
    List<String> plan = RunCommand.plan("nightly", RunRange.of(LocalDate.of(2026, 10, 31)), SETTINGS);

    assertThat(plan.get(0)).isEqualTo("would run nightly once (one job execution) for 2026-10-31:");
    assertThat(plan).contains("  report       3 report(s): daily_operations 2026-10-31, forecast_accuracy 2026-10-31, "
        + "monthly_executive 2026-10");
    assertThat(plan).noneMatch(l -> l.contains("computed again"));
  }
}
