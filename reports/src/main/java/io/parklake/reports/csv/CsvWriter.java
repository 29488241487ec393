package io.parklake.reports.csv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.parklake.reports.table.ReportTable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * RFC 4180 CSV: UTF-8, CRLF line ends, a header row, ISO dates, plain decimal money, timestamps as
 * UTC instants ({@code 2026-11-21T06:30:00Z}), binary as Base64.
 *
 * <p>A nested value is one field holding JSON, then CSV-quoted like any other text, so a spreadsheet
 * shows it whole and any JSON parser reads it back: an array column (Spark hands it over as a Scala
 * {@code Seq}) is a JSON array, e.g. a quarantined row's {@code _rules} is
 * {@code "[""unknown_fk:user_id"",""end_before_start""]"} in the file; a map is a JSON object (keys as
 * text, in the map's iteration order); a struct is a JSON object of its fields by name, or a JSON
 * array of its values when the row carries no schema. Inside JSON, strings are JSON-escaped, numbers
 * and booleans are JSON numbers and booleans (decimals plain; NaN and infinities as strings), nulls are
 * {@code null}, and dates, timestamps and binary are strings in the same forms as top-level fields.
 * A top-level null is an empty field.
 */
public final class CsvWriter {
  private static final JsonFactory JSON = new JsonFactory();

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
    String s = isNested(value) ? json(value) : scalar(value);
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static boolean isNested(Object value) {
    return value instanceof Row || value instanceof scala.collection.Iterable<?> || value instanceof Iterable<?>
        || value instanceof java.util.Map<?, ?>;
  }

  private static String scalar(Object value) {
    return value instanceof BigDecimal d ? d.toPlainString()
        : value instanceof java.sql.Timestamp t ? t.toInstant().toString()
        : value instanceof byte[] b ? Base64.getEncoder().encodeToString(b)
        : value.toString();
  }

  private static String json(Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writeJson(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as JSON", e);
    }
    return out.toString();
  }

  private static void writeJson(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof Row row) {
      StructType schema = row.schema();
      if (schema == null) {
        g.writeStartArray();
        for (int i = 0; i < row.length(); i++) {
          writeJson(g, row.isNullAt(i) ? null : row.get(i));
        }
        g.writeEndArray();
      } else {
        g.writeStartObject();
        for (int i = 0; i < row.length(); i++) {
          g.writeFieldName(schema.fields()[i].name());
          writeJson(g, row.isNullAt(i) ? null : row.get(i));
        }
        g.writeEndObject();
      }
    } else if (value instanceof scala.collection.Map<?, ?> map) {
      g.writeStartObject();
      scala.collection.Iterator<? extends scala.Tuple2<?, ?>> entries = map.iterator();
      while (entries.hasNext()) {
        scala.Tuple2<?, ?> e = entries.next();
        g.writeFieldName(key(e._1()));
        writeJson(g, e._2());
      }
      g.writeEndObject();
    } else if (value instanceof java.util.Map<?, ?> map) {
      g.writeStartObject();
      for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName(key(e.getKey()));
        writeJson(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof scala.collection.Iterable<?> items) {
      g.writeStartArray();
      scala.collection.Iterator<?> it = items.iterator();
      while (it.hasNext()) {
        writeJson(g, it.next());
      }
      g.writeEndArray();
    } else if (value instanceof Iterable<?> items) {
      g.writeStartArray();
      for (Object item : items) {
        writeJson(g, item);
      }
      g.writeEndArray();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof BigDecimal d) {
      g.writeNumber(d.toPlainString());
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        g.writeNumber(value.toString());
      } else {
        g.writeString(value.toString());
      }
    } else if (value instanceof Number n) {
      g.writeNumber(n.toString());
    } else {
      g.writeString(scalar(value));
    }
  }

  private static String key(Object key) {
    return key == null ? "null" : isNested(key) ? json(key) : scalar(key);
  }
}
