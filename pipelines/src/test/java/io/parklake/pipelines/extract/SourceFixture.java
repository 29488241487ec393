package io.parklake.pipelines.extract;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.meta.MetadataSchema;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.source.SyntheticSource;
import io.parklake.warehouse.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A seeded operator database (25 days ending 2026-11-20, with metadata schema) made once per JVM and
 * copied per test with {@code CREATE DATABASE ... TEMPLATE}, so every test mutates its own source.
 */
final class SourceFixture {
  static final SeedOptions OPTIONS = new SeedOptions(1500, 5, 25, LocalDate.of(2026, 10, 27));
  private static DatabaseAddress template;

  private SourceFixture() {}

  static synchronized DatabaseAddress copy(String purpose) {
    if (template == null) {
      template = TestPostgres.freshDatabase("extract_template");
      SourceSchema.migrate(template);
      MetadataSchema.migrate(template);
      try {
        new SyntheticSource(OPTIONS).writeTo(template, n -> {});
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return TestPostgres.copyOf(template, purpose);
  }

  static long scalar(DatabaseAddress db, String sql) throws SQLException {
    return Long.parseLong(text(db, sql));
  }

  static String text(DatabaseAddress db, String sql) throws SQLException {
    try (Connection c = db.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }

  static int exec(DatabaseAddress db, String sql) throws SQLException {
    try (Connection c = db.open();
        Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  /**
   * The source rows of {@code table} the lake must hold, as sorted lines of key, change time
   * (microseconds) and money, leaving out {@code excludedKeys}.
   */
  static List<String> sourceRows(DatabaseAddress db, SourceTable table, List<String> excludedKeys) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT t.id::text || '|' || (extract(epoch FROM t." + table.changeColumn()
        + ") * 1000000)::bigint");
    for (String m : table.moneyColumns()) {
      sql.append(" || '|' || coalesce(t.").append(m).append("::text, 'null')");
    }
    sql.append(" FROM ").append(table.tableName()).append(" t");
    List<String> rows = new ArrayList<>();
    try (Connection c = db.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql.toString())) {
      while (r.next()) {
        String line = r.getString(1);
        if (!excludedKeys.contains(line.substring(0, line.indexOf('|')))) {
          rows.add(line);
        }
      }
    }
    rows.sort(null);
    return rows;
  }
}
