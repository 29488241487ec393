package io.parklake.reports.publish;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams Spark rows into one table with {@code COPY ... FROM STDIN (FORMAT csv)}, a megabyte at a
 * time, so a mart of any size passes through the driver one partition at a time. Every value is
 * written in a form PostgreSQL parses back to exactly the same value: decimals as plain text (never
 * through double), instants in ISO form with {@code Z}, doubles so that they round-trip bit for bit
 * (including NaN and the infinities).
 */
final class CsvCopy {
  private static final int FLUSH_CHARS = 1 << 20;

  private CsvCopy() {}

  /**
   * Copies every row into {@code table}, which must have been created in the connection's current
   * transaction (FREEZE needs that). Returns the number of rows PostgreSQL reports it loaded.
   */
  static long copy(Connection connection, String table, List<PgColumn> columns, Iterator<Row> rows)
      throws SQLException {
    StringBuilder names = new StringBuilder();
    for (PgColumn c : columns) {
      names.append(names.length() == 0 ? "" : ", ").append(Sql.identifier(c.name()));
    }
    // FREEZE writes the rows already visible to every snapshot: besides saving the later
    // freeze-vacuum, a reader in an older REPEATABLE READ snapshot that first touches the table after
    // the swap sees all of it rather than an empty table (plain MVCC would hide rows newer than its snapshot).
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
        .copyIn("COPY " + table + " (" + names + ") FROM STDIN (FORMAT csv, FREEZE true)");
    StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 64 * 1024);
    PgColumn.Kind[] kinds = columns.stream().map(PgColumn::kind).toArray(PgColumn.Kind[]::new);
    try {
      while (rows.hasNext()) {
        Row row = rows.next();
        for (int i = 0; i < kinds.length; i++) {
          if (i > 0) {
            buffer.append(',');
          }
          if (!row.isNullAt(i)) { // an unquoted empty field is NULL in CSV COPY
            append(buffer, kinds[i], row.get(i));
          }
        }
        buffer.append('\n');
        if (buffer.length() >= FLUSH_CHARS) {
          write(copy, buffer);
        }
      }
      write(copy, buffer);
      return copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy(); // leaves the connection usable for the rollback that follows
      }
    }
  }

  private static void write(CopyIn copy, StringBuilder buffer) throws SQLException {
    if (buffer.length() > 0) {
      byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
      copy.writeToCopy(bytes, 0, bytes.length);
      buffer.setLength(0);
    }
  }

  static void append(StringBuilder out, PgColumn.Kind kind, Object value) {
    switch (kind) {
      case TEXT -> quoted(out, value.toString());
      case DATE -> out.append(value instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) value);
      case TIMESTAMP -> out.append(value instanceof java.sql.Timestamp t ? t.toInstant() : (Instant) value);
      case DECIMAL -> out.append(((BigDecimal) value).toPlainString());
      case BIGINT, INTEGER -> out.append(value);
      case DOUBLE -> out.append(doubleText((Double) value));
      case BOOLEAN -> out.append((Boolean) value ? 't' : 'f');
      default -> throw new IllegalStateException("unhandled column kind " + kind);
    }
  }

  /**
   * Text that PostgreSQL's correctly rounded float input turns back into exactly {@code d}. Java 17's
   * {@link Double#toString} (JDK-4511638) is not always the shortest text, and in rare cases not the
   * nearest either; when it does not parse back to the same bits, the exact decimal expansion is used.
   * NaN, Infinity and -Infinity are spelled as PostgreSQL reads them.
   */
  static String doubleText(double d) {
    String text = Double.toString(d);
    if (Double.isNaN(d) || Double.isInfinite(d)
        || Double.doubleToRawLongBits(Double.parseDouble(text)) == Double.doubleToRawLongBits(d)) {
      return text;
    }
    return new BigDecimal(d).toString();
  }

  /**
   * Every text value is quoted: that keeps the empty string apart from NULL, and a lone {@code \.}
   * (the end-of-data marker) from ending the COPY early.
   */
  private static void quoted(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        out.append('"');
      }
      out.append(c);
    }
    out.append('"');
  }
}
