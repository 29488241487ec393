package io.parklake.warehouse.meta;

import io.parklake.warehouse.db.DatabaseAddress;
import org.flywaydb.core.Flyway;

/**
 * ParkLake's own metadata schema {@code parklake} (Spring Batch job repository, extraction
 * watermarks, later the archive catalogue), created or upgraded on every start.
 */
public final class MetadataSchema {
  public static final String SCHEMA = "parklake";

  private MetadataSchema() {}

  public static int migrate(DatabaseAddress db) {
    return Flyway.configure()
        .dataSource(db.url(), db.user(), db.password())
        .schemas(SCHEMA)
        .createSchemas(true)
        .locations("classpath:db/parklake")
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
