package io.parklake.reports.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A report that queried several periods at once splits its rows by period without reordering them. */
class TablesSplitTest {
  private static final LocalDate D1 = LocalDate.of(2026, 10, 31);
  private static final LocalDate D2 = LocalDate.of(2026, 11, 1);
  private static final LocalDate D3 = LocalDate.of(2026, 11, 2);

  private static ReportTable table(Object[]... rows) {
    return new ReportTable(List.of(new Column("facility_name", Kind.TEXT), new Column("day", Kind.DATE),
        new Column("net", Kind.MONEY)), new ArrayList<>(List.of(rows)));
  }

  @Test
  void each_key_gets_its_rows_in_order_without_the_key_column_and_a_key_without_rows_an_empty_table() {
    ReportTable all = table(
        new Object[] {"Zeta", D1, new BigDecimal("1.00")},
        new Object[] {"Alpha", D1, new BigDecimal("2.50")},
        new Object[] {"Mid", D3, null});
    Map<LocalDate, ReportTable> split = Tables.split(all, "day", List.of(D1, D2, D3));

    assertThat(split.keySet()).containsExactly(D1, D2, D3);
    for (ReportTable t : split.values()) {
      assertThat(t.columns()).containsExactly(new Column("facility_name", Kind.TEXT), new Column("net", Kind.MONEY));
    }
    assertThat(split.get(D1).rows()).containsExactly(new Object[] {"Zeta", new BigDecimal("1.00")},
        new Object[] {"Alpha", new BigDecimal("2.50")});
    assertThat(split.get(D2).rows()).isEmpty();
    assertThat(split.get(D3).rows()).containsExactly(new Object[] {"Mid", null});
  }

  @Test
  void a_row_of_a_key_not_asked_for_fails_naming_it() {
    ReportTable all = table(new Object[] {"Zeta", D2, BigDecimal.ONE});
    assertThatThrownBy(() -> Tables.split(all, "day", List.of(D1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("day 2026-11-01");
  }
}
