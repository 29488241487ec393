package io.parklake.warehouse.source;

import io.parklake.warehouse.db.DatabaseAddress;
import org.flywaydb.core.Flyway;

/**
 * The operator's schema as versioned migrations ({@code db/source}). ParkLake applies them only to
 * databases it owns: the embedded demo source and test sources. A real operator database is read,
 * never migrated.
 */
public final class SourceSchema {
  private SourceSchema() {}

  /** Creates or upgrades the operator schema in {@code public}; returns the number of migrations applied. */
  public static int migrate(DatabaseAddress db) {
    return Flyway.configure()
        .dataSource(db.url(), db.user(), db.password())
        .locations("classpath:db/source")
        .table("parklake_source_schema_history")
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
