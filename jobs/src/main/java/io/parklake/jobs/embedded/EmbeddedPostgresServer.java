package io.parklake.jobs.embedded;

import io.parklake.warehouse.db.DatabaseAddress;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL 15 server started from the binaries packaged in zonky's jar (they run even as
 * root), with its data kept in {@code PARKLAKE_HOME/postgres} between runs.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedPostgresServer start(Path home) throws IOException {
    Path data = Files.createDirectories(home.resolve("postgres/data"));
    Path work = Files.createDirectories(home.resolve("postgres/bin"));
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(work.toFile())
        .setPGStartupWait(Duration.ofSeconds(30))
        .setServerConfig("max_connections", "50")
        .setServerConfig("shared_buffers", "256MB")
        .setServerConfig("fsync", "off")
        .setServerConfig("full_page_writes", "off")
        .setServerConfig("max_wal_size", "4GB")
        .start();
    return new EmbeddedPostgresServer(pg);
  }

  public DatabaseAddress address() {
    return new DatabaseAddress("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", "postgres");
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
