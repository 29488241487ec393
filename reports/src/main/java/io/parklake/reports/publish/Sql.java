package io.parklake.reports.publish;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Utils;

/** Quoting for the DDL the publisher builds (DDL takes no bind parameters) and one-statement execution. */
final class Sql {
  private Sql() {}

  static String identifier(String name) {
    try {
      return Utils.escapeIdentifier(null, name).toString();
    } catch (SQLException e) {
      throw new IllegalArgumentException("'" + name + "' cannot be a PostgreSQL identifier: " + e.getMessage(), e);
    }
  }

  static String qualified(String schema, String table) {
    return identifier(schema) + "." + identifier(table);
  }

  static String literal(Connection connection, String text) throws SQLException {
    if (text == null) {
      return "NULL";
    }
    boolean standard = connection.unwrap(BaseConnection.class).getStandardConformingStrings();
    return (standard ? "'" : "E'") + Utils.escapeLiteral(null, text, standard) + "'";
  }

  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }
}
