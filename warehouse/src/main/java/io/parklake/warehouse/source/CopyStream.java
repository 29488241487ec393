package io.parklake.warehouse.source;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into one table with {@code COPY ... FROM STDIN (FORMAT csv)} on its own connection,
 * buffering about a megabyte at a time. One connection may hold only one COPY, so each table being
 * loaded in parallel gets its own stream.
 */
final class CopyStream implements AutoCloseable {
  private static final int FLUSH_BYTES = 1 << 20;

  private final Connection connection;
  private final CopyIn copy;
  private final StringBuilder buffer = new StringBuilder(FLUSH_BYTES + 4096);
  private long rows;

  CopyStream(Connection connection, String table, String columns) throws SQLException {
    this.connection = connection;
    this.copy =
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn("COPY " + table + " (" + columns + ") FROM STDIN (FORMAT csv)");
  }

  void row(Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        buffer.append(',');
      }
      appendCsv(values[i]);
    }
    buffer.append('\n');
    rows++;
    if (buffer.length() >= FLUSH_BYTES) {
      flush();
    }
  }

  long rows() {
    return rows;
  }

  private void appendCsv(Object value) {
    if (value == null) {
      return; // an unquoted empty field is NULL in CSV COPY
    }
    String text = value.toString();
    boolean quote = text.isEmpty();
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      buffer.append(text);
      return;
    }
    buffer.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        buffer.append('"');
      }
      buffer.append(c);
    }
    buffer.append('"');
  }

  private void flush() throws SQLException {
    if (buffer.length() == 0) {
      return;
    }
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    buffer.setLength(0);
  }

  /** Ends the COPY and commits; the rows become visible together. */
  @Override
  public void close() throws SQLException {
    try {
      flush();
      copy.endCopy();
      connection.commit();
    } finally {
      connection.close();
    }
  }

  void abort() {
    try {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
      connection.rollback();
    } catch (SQLException ignored) {
      // the load failed already; the original error is what the caller reports
    } finally {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // nothing more to release
      }
    }
  }
}
