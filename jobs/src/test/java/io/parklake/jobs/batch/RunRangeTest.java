package io.parklake.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.jobs.config.UserError;
import io.parklake.reports.catalog.Reports;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a range covers, which jobs take one, and which marts its earlier dates' reports need as of their date. */
class RunRangeTest {
  private static final LocalDate OCT_29 = LocalDate.of(2026, 10, 29);
  private static final LocalDate NOV_2 = LocalDate.of(2026, 11, 2);

  @Test
  void given_a_range_then_its_dates_are_every_day_from_first_to_last_and_its_label_counts_them() {
    RunRange range = new RunRange(OCT_29, NOV_2);

    assertThat(range.isRange()).isTrue();
    assertThat(range.dates()).containsExactly(OCT_29, OCT_29.plusDays(1), OCT_29.plusDays(2), OCT_29.plusDays(3), NOV_2);
    assertThat(range.label()).isEqualTo("2026-10-29..2026-11-02 (5 dates)");
    assertThat(RunRange.of(NOV_2).isRange()).isFalse();
    assertThat(RunRange.of(NOV_2).label()).isEqualTo("2026-11-02");
  }

  @Test
  void given_a_last_date_before_the_first_then_it_is_refused_naming_the_option() {
    assertThatThrownBy(() -> new RunRange(NOV_2, OCT_29)).isInstanceOf(UserError.class)
        .hasMessage("--to: 2026-10-29 is before --from 2026-11-02");
  }

  @Test
  void given_a_range_then_hourly_and_rebuild_marts_refuse_it_with_one_line_and_nightly_takes_it() {
    RunRange range = new RunRange(OCT_29, NOV_2);

    assertThatThrownBy(() -> range.checkJob("hourly")).isInstanceOf(UserError.class)
        .hasMessage("--from: hourly takes no range: it extracts what changed since each table's watermark, whatever the dates; "
            + "for a backfill run nightly --from 2026-10-29 --to 2026-11-02");
    assertThatThrownBy(() -> range.checkJob("rebuild-marts")).isInstanceOf(UserError.class)
        .hasMessage("--from: rebuild-marts takes no range: it recomputes every date silver holds; give --date 2026-11-02 "
            + "(the as-of date of the customer and forecast marts)");
    range.checkJob("nightly");
    RunRange.of(NOV_2).checkJob("hourly");
  }

  @Test
  void given_a_range_over_a_month_end_and_a_sunday_then_every_date_has_its_reports_due() {
    Map<LocalDate, List<Reports.Due>> due = new RunRange(OCT_29, NOV_2).reportsDue();

    assertThat(due).hasSize(5);
    assertThat(due.get(LocalDate.of(2026, 10, 31)).stream().map(d -> d.report().name() + " " + d.period().label()))
        .containsExactly("daily_operations 2026-10-31", "forecast_accuracy 2026-10-31", "monthly_executive 2026-10");
    assertThat(due.get(LocalDate.of(2026, 11, 1)).stream().map(d -> d.report().name() + " " + d.period().label()))
        .containsExactly("daily_operations 2026-11-01", "forecast_accuracy 2026-11-01", "weekly_revenue 2026-W44");
  }

  @Test
  void given_earlier_dates_then_only_the_marts_replaced_whole_that_their_reports_read_are_computed_as_of_them() {
    Map<LocalDate, List<String>> asOf = new RunRange(OCT_29, NOV_2).asOfMarts();

    // The last date reads gold itself; daily_operations and weekly_revenue read only date-partitioned marts.
    assertThat(asOf.keySet()).containsExactly(OCT_29, OCT_29.plusDays(1), OCT_29.plusDays(2), OCT_29.plusDays(3));
    assertThat(asOf.get(OCT_29)).containsExactly("forecast_accuracy");
    // monthly_executive reads customer_segments (which reads customer_value) and demand_forecast (which
    // reads forecast_accuracy): each computed before what reads it.
    assertThat(asOf.get(LocalDate.of(2026, 10, 31)))
        .containsExactly("customer_value", "customer_segments", "forecast_accuracy", "demand_forecast");
    assertThat(RunRange.of(NOV_2).asOfMarts()).isEmpty();
  }
}
