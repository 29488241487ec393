package io.parklake.reports.csv;

import io.parklake.reports.table.ReportTable;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** RFC 4180 CSV: UTF-8, CRLF line ends, a header row, ISO dates, plain decimal money. */
public final class CsvWriter {
  private CsvWriter() {}

  public static void write(ReportTable table, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(table, w);
    }
  }

  public static void write(ReportTable table, Writer w) throws IOException {
    for (int i = 0; i < table.columns().size(); i++) {
      if (i > 0) {
        w.write(',');
      }
      w.write(field(table.columns().get(i).name()));
    }
    w.write("\r\n");
    for (Object[] row : table.rows()) {
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          w.write(',');
        }
        w.write(field(row[i]));
      }
      w.write("\r\n");
    }
  }

  /** Streams a Spark result row by row (no collect); returns the number of data rows. */
  public static long write(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows, Path file) throws IOException {
    long n = 0;
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      String[] names = rows.columns();
      for (int i = 0; i < names.length; i++) {
        w.write((i > 0 ? "," : "") + field(names[i]));
      }
      w.write("\r\n");
      java.util.Iterator<org.apache.spark.sql.Row> it = rows.toLocalIterator();
      while (it.hasNext()) {
        org.apache.spark.sql.Row r = it.next();
        for (int i = 0; i < names.length; i++) {
          w.write((i > 0 ? "," : "") + field(r.isNullAt(i) ? null : r.get(i)));
        }
        w.write("\r\n");
        n++;
      }
    }
    return n;
  }

  static String field(Object value) {
    if (value == null) {
      return "";
    }
    String s = value instanceof BigDecimal d ? d.toPlainString()
        : value instanceof java.sql.Timestamp t ? t.toInstant().toString()
        : value.toString();
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
