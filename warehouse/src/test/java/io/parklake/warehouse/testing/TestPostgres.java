package io.parklake.warehouse.testing;

import io.parklake.warehouse.db.DatabaseAddress;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL 15 server per test JVM (zonky's packaged binaries), handing each test class a
 * fresh database of its own so classes never see each other's rows.
 */
public final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder()
            .setServerConfig("fsync", "off")
            .setServerConfig("full_page_writes", "off")
            .setServerConfig("max_connections", "100")
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the test PostgreSQL server", e);
      }
    }
    return server;
  }

  /** A new, empty database on the shared server. */
  public static DatabaseAddress freshDatabase(String purpose) {
    return create(purpose, null);
  }

  /** A new database holding a copy of {@code template} (which must have no open connections). */
  public static DatabaseAddress copyOf(DatabaseAddress template, String purpose) {
    return create(purpose, template.url().substring(template.url().lastIndexOf('/') + 1));
  }

  private static DatabaseAddress create(String purpose, String template) {
    String name = (purpose.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + DATABASES.incrementAndGet());
    EmbeddedPostgres pg = server();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
    return new DatabaseAddress("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + name, "postgres", "postgres");
  }
}
