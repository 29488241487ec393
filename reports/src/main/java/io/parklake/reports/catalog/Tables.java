package io.parklake.reports.catalog;

import io.parklake.reports.table.ReportTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * One table per value of {@code keyColumn}, without that column, each holding the rows of its key in
   * the order they had; every key of {@code keys} gets a table, an empty one when no row has it. A
   * report that queried several periods at once splits its rows by period with this.
   */
  public static <K> Map<K, ReportTable> split(ReportTable table, String keyColumn, Collection<K> keys) {
    int k = table.indexOf(keyColumn);
    List<ReportTable.Column> columns = new ArrayList<>(table.columns());
    columns.remove(k);
    Map<K, List<Object[]>> rows = new LinkedHashMap<>();
    keys.forEach(key -> rows.put(key, new ArrayList<>()));
    for (Object[] r : table.rows()) {
      List<Object[]> into = rows.get(r[k]);
      if (into == null) {
        throw new IllegalStateException(keyColumn + " " + r[k] + " is not one of the keys asked for: " + keys);
      }
      Object[] rest = new Object[r.length - 1];
      System.arraycopy(r, 0, rest, 0, k);
      System.arraycopy(r, k + 1, rest, k, r.length - k - 1);
      into.add(rest);
    }
    Map<K, ReportTable> out = new LinkedHashMap<>();
    rows.forEach((key, rs) -> out.put(key, new ReportTable(List.copyOf(columns), rs)));
    return out;
  }
}
