package io.parklake.reports.table;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * A small, typed, in-memory table that renderers (Excel, CSV, HTML) share: column names with a kind
 * that decides the cell format, and rows of plain Java values (String, LocalDate, BigDecimal, Long).
 */
public record ReportTable(List<Column> columns, List<Object[]> rows) {

  /** How a column is shown. MONEY is a BigDecimal with two decimals, never a double. */
  public enum Kind { TEXT, DATE, MONEY, INTEGER, NUMBER, PERCENT }

  public record Column(String name, Kind kind) {}

  public int indexOf(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column '" + column + "' in " + columns.stream().map(Column::name).toList());
  }

  /** Collects a (small) Spark result; decimals of scale 2 are money. */
  public static ReportTable fromDataset(Dataset<Row> dataset) {
    List<Column> columns = new ArrayList<>();
    for (StructField f : dataset.schema().fields()) {
      columns.add(new Column(f.name(), kindOf(f.dataType())));
    }
    List<Object[]> rows = new ArrayList<>();
    Iterator<Row> it = dataset.toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      Object[] values = new Object[columns.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = toJava(r.isNullAt(i) ? null : r.get(i));
      }
      rows.add(values);
    }
    return new ReportTable(List.copyOf(columns), rows);
  }

  private static Kind kindOf(DataType type) {
    if (type instanceof DecimalType d) {
      return d.scale() == 2 ? Kind.MONEY : Kind.NUMBER;
    }
    if (type.equals(DataTypes.DateType)) {
      return Kind.DATE;
    }
    if (type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType) || type.equals(DataTypes.ShortType)) {
      return Kind.INTEGER;
    }
    if (type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType)) {
      return Kind.NUMBER;
    }
    return Kind.TEXT;
  }

  private static Object toJava(Object v) {
    if (v instanceof Date d) {
      return d.toLocalDate();
    }
    if (v instanceof LocalDate || v instanceof BigDecimal || v instanceof String || v == null) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short) {
      return ((Number) v).longValue();
    }
    return v instanceof Number ? v : v.toString();
  }
}
