package io.parklake.reports.catalog;

import io.parklake.reports.table.ReportTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Small conveniences report definitions share when shaping mart rows into tables. */
public final class Tables {
  private Tables() {}

  /** The same table with {@code columns} shown as percentages (their values are ratios, 0.25 = 25 %). */
  public static ReportTable percent(ReportTable table, String... columns) {
    List<ReportTable.Column> cols = new ArrayList<>(table.columns());
    for (String c : columns) {
      int i = table.indexOf(c);
      cols.set(i, new ReportTable.Column(c, ReportTable.Kind.PERCENT));
    }
    List<Object[]> rows = new ArrayList<>();
    for (Object[] r : table.rows()) {
      Object[] copy = r.clone();
      for (String c : columns) {
        int i = table.indexOf(c);
        if (copy[i] instanceof BigDecimal d) {
          copy[i] = d.doubleValue();
        }
      }
      rows.add(copy);
    }
    return new ReportTable(List.copyOf(cols), rows);
  }

  /**
   * The same table with {@code columns} (money averages such as an average ticket) shown as plain
   * numbers, so that no totals row adds them up: a sum of averages means nothing.
   */
  public static ReportTable nonAdditive(ReportTable table, String... columns) {
    List<ReportTable.Column> cols = new ArrayList<>(table.columns());
    for (String c : columns) {
      cols.set(table.indexOf(c), new ReportTable.Column(c, ReportTable.Kind.NUMBER));
    }
    return new ReportTable(List.copyOf(cols), table.rows());
  }

  /** Sum of a MONEY column over the rows whose {@code keyColumn} equals {@code key} (exact). */
  public static BigDecimal sum(ReportTable table, String moneyColumn, String keyColumn, String key) {
    int m = table.indexOf(moneyColumn);
    int k = keyColumn == null ? -1 : table.indexOf(keyColumn);
    BigDecimal total = BigDecimal.ZERO.setScale(2);
    for (Object[] r : table.rows()) {
      if ((k < 0 || key.equals(r[k])) && r[m] != null) {
        total = total.add((BigDecimal) r[m]);
      }
    }
    return total;
  }

  public static long sumLong(ReportTable table, String column) {
    int i = table.indexOf(column);
    long total = 0;
    for (Object[] r : table.rows()) {
      if (r[i] != null) {
        total += ((Number) r[i]).longValue();
      }
    }
    return total;
  }

  /** The distinct values of a column in row order. */
  public static List<String> distinct(ReportTable table, String column) {
    int i = table.indexOf(column);
    List<String> out = new ArrayList<>();
    for (Object[] r : table.rows()) {
      String v = String.valueOf(r[i]);
      if (!out.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }
}
