package io.parklake.reports.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.reports.table.ReportTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeriodTest {

  @Test
  void iso_weeks_belong_to_their_week_based_year() {
    // 2026-12-31 is a Thursday: its week 53 runs to Sunday 2027-01-03; 2027-01-04 starts week 1.
    assertThat(Period.week(LocalDate.of(2027, 1, 2)).label()).isEqualTo("2026-W53");
    assertThat(Period.week(LocalDate.of(2027, 1, 4)).label()).isEqualTo("2027-W01");
    Period w = Period.parse("2026-W43");
    assertThat(w.start()).isEqualTo(LocalDate.of(2026, 10, 19));
    assertThat(w.end()).isEqualTo(LocalDate.of(2026, 10, 25));
    assertThat(w.previous().label()).isEqualTo("2026-W42");
  }

  @Test
  void months_and_days_parse_and_know_their_bounds() {
    Period feb = Period.parse("2028-02");
    assertThat(feb.kind()).isEqualTo(Period.Kind.MONTH);
    assertThat(feb.end()).isEqualTo(LocalDate.of(2028, 2, 29));
    assertThat(feb.days()).isEqualTo(29);
    assertThat(Period.parse("2026-11-21").kind()).isEqualTo(Period.Kind.DAY);
    assertThat(Period.month(LocalDate.of(2026, 3, 1)).previous().label()).isEqualTo("2026-02");
  }

  @Test
  void a_bad_period_says_what_forms_are_accepted() {
    assertThatThrownBy(() -> Period.parse("2026-13")).hasMessageContaining("'2026-13' is not a day (2026-11-21), an ISO week");
    assertThatThrownBy(() -> Period.parse("2026-W54")).hasMessage("'2026-W54': 2026 has no ISO week 54");
    assertThatThrownBy(() -> Period.parse("yesterday")).hasMessageContaining("is not a day");
  }

  @Test
  void the_nightly_renders_weekly_reports_on_sundays_and_monthly_ones_on_the_last_day() {
    List<String> sunday = Reports.dueAfter(LocalDate.of(2026, 11, 29)).stream()
        .map(d -> d.report().name() + " " + d.period().label()).toList();
    assertThat(sunday).contains("weekly_revenue 2026-W48", "daily_operations 2026-11-29").noneMatch(s -> s.startsWith("monthly"));
    List<String> monthEnd = Reports.dueAfter(LocalDate.of(2026, 11, 30)).stream()
        .map(d -> d.report().name() + " " + d.period().label()).toList();
    assertThat(monthEnd).contains("monthly_executive 2026-11").noneMatch(s -> s.startsWith("weekly"));
  }

  @Test
  void a_long_table_pivots_to_one_column_per_series_for_excel_line_charts() {
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {LocalDate.of(2026, 11, 1), "Berlin", new BigDecimal("10.00")});
    rows.add(new Object[] {LocalDate.of(2026, 11, 1), "Paris", new BigDecimal("20.00")});
    rows.add(new Object[] {LocalDate.of(2026, 11, 2), "Paris", new BigDecimal("5.50")});
    ReportTable table = new ReportTable(List.of(new ReportTable.Column("day", ReportTable.Kind.DATE),
        new ReportTable.Column("facility", ReportTable.Kind.TEXT), new ReportTable.Column("net", ReportTable.Kind.MONEY)), rows);

    ReportTable wide = ReportRenderer.pivot(table, "day", "facility", "net");

    assertThat(wide.columns().stream().map(ReportTable.Column::name)).containsExactly("day", "Berlin", "Paris");
    assertThat(wide.columns().get(1).kind()).isEqualTo(ReportTable.Kind.MONEY);
    assertThat(wide.rows()).hasSize(2);
    assertThat(wide.rows().get(1)).containsExactly(LocalDate.of(2026, 11, 2), null, new BigDecimal("5.50"));
  }

  @Test
  void headline_figures_read_as_people_write_them() {
    assertThat(Headline.money("Net", new BigDecimal("12345.6"), "EUR").formatted()).isEqualTo("12,345.60 EUR");
    assertThat(Headline.count("Payments", 1204).formatted()).isEqualTo("1,204");
    assertThat(Headline.percent("Share", 0.2534).formatted()).isEqualTo("25.3 %");
    assertThat(Headline.percent("Share", null).formatted()).isEqualTo("n/a");
  }
}
