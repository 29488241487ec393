package io.parklake.reports.publish;

import io.delta.tables.DeltaTable;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes gold marts into a PostgreSQL schema (by default {@code mart}) so that BI tools can query
 * them. Each mart's current Delta snapshot is streamed with COPY into a staging table in
 * {@code <schema>_staging}, then swapped in with one transaction (drop the old table, move and rename
 * the new one, comment, grant): a reader sees the previous table or the new one, never a partial one;
 * the swap's locks make a reader wait for a moment. Publishing the same gold twice gives the same
 * tables, and staging tables left by a crashed publish are dropped by the next one.
 *
 * <p>Instances are immutable; {@link #keys} and {@link #grantSelectTo} return configured copies.
 */
public final class MartPublisher {
  public static final String DEFAULT_SCHEMA = "mart";

  private static final Logger log = LoggerFactory.getLogger(MartPublisher.class);
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,57}");
  private static final String STAGING_MARK = "__stg_";
  /** Staging tables are {@code <mart prefix>__stg_<12 hex digits>}; only names of that shape are ever dropped. */
  private static final String LEFTOVER_PATTERN = STAGING_MARK + "[0-9a-f]{12}$";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, List<String>> keys;
  private final String readerRole;
  private final PublishHooks hooks;

  public MartPublisher() {
    this(Map.of(), null, PublishHooks.NONE);
  }

  MartPublisher(Map<String, List<String>> keys, String readerRole, PublishHooks hooks) {
    this.keys = Map.copyOf(keys);
    this.readerRole = readerRole;
    this.hooks = hooks;
  }

  /** Gives each listed mart a primary key on these columns (gold keys are tested unique and not null). */
  public MartPublisher keys(Map<String, List<String>> keysByMart) {
    return new MartPublisher(keysByMart, readerRole, hooks);
  }

  /** Grants USAGE on the schema and SELECT on every published table to this existing role. */
  public MartPublisher grantSelectTo(String role) {
    return new MartPublisher(keys, role, hooks);
  }

  MartPublisher hooks(PublishHooks testHooks) {
    return new MartPublisher(keys, readerRole, testHooks);
  }

  /** {@link #publish(SparkSession, LakeLayout, List, Map, DatabaseAddress, String)} into schema {@code mart}. */
  public List<PublishedMart> publish(SparkSession spark, LakeLayout lake, List<String> marts,
      Map<String, String> descriptions, DatabaseAddress target) {
    return publish(spark, lake, marts, descriptions, target, DEFAULT_SCHEMA);
  }

  /**
   * Replaces {@code <schema>.<mart>} for every mart, in order, with the mart's current gold snapshot,
   * commented with its description (a null or missing description leaves only the provenance line).
   * Every mart's schema is checked before anything is loaded; after that, marts are published one by
   * one, and a failure stops the run with the failing mart named, leaving its previous table intact
   * (marts published before it stay published).
   *
   * @throws IllegalArgumentException a mart has no gold table, a column type that cannot be
   *     published, or a key column it does not have
   * @throws IllegalStateException the database refused or failed; the message names the mart
   */
  public List<PublishedMart> publish(SparkSession spark, LakeLayout lake, List<String> marts,
      Map<String, String> descriptions, DatabaseAddress target, String schema) {
    Objects.requireNonNull(target, "target");
    checkName("schema", schema);
    String staging = schema + "_staging";
    List<Snapshot> snapshots = new ArrayList<>();
    for (String mart : marts) {
      snapshots.add(snapshot(spark, lake, mart));
    }
    byte[] id = new byte[6];
    RANDOM.nextBytes(id);
    String runId = HexFormat.of().formatHex(id);
    List<PublishedMart> published = new ArrayList<>();
    try (Connection connection = target.open()) {
      lockSchema(connection, schema, target);
      prepare(connection, schema, staging);
      for (Snapshot snapshot : snapshots) {
        String description = descriptions == null ? null : descriptions.get(snapshot.mart);
        published.add(publish(connection, snapshot, description, schema, staging, runId));
      }
    } catch (SQLException e) {
      // Connecting, locking and preparing fail here; per-mart failures are wrapped in publish(...).
      throw new IllegalStateException("publishing marts into schema '" + schema + "' on " + target
          + " failed: " + e.getMessage(), e);
    }
    return published;
  }

  private record Snapshot(String mart, long version, Dataset<Row> rows, List<PgColumn> columns, List<String> key) {}

  private Snapshot snapshot(SparkSession spark, LakeLayout lake, String mart) {
    checkName("mart", mart);
    String path = lake.gold(mart);
    if (!DeltaTables.exists(spark, path)) {
      throw new IllegalArgumentException("mart '" + mart + "': no Delta table at " + path + " (has the job that writes it run?)");
    }
    // Pin one version so that the rows, the log line and the table comment all describe the same snapshot.
    long version = DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
    Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", version).load(path);
    List<PgColumn> columns = PgColumn.of(mart, rows.schema());
    List<String> key = keys.getOrDefault(mart, List.of());
    for (String k : key) {
      if (columns.stream().noneMatch(c -> c.name().equals(k))) {
        throw new IllegalArgumentException("mart '" + mart + "': key column '" + k + "' is not a column of the mart");
      }
    }
    return new Snapshot(mart, version, rows, columns, key);
  }

  /**
   * Two publishers into one schema would drop each other's staging tables as leftovers; a
   * session-level advisory lock keeps them apart and goes away with the session if the process dies.
   */
  private static void lockSchema(Connection connection, String schema, DatabaseAddress target) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
      s.setString(1, "parklake.mart-publish." + schema);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        if (!r.getBoolean(1)) {
          throw new IllegalStateException("another publish into schema '" + schema + "' on " + target
              + " is running; try again when it has finished");
        }
      }
    }
  }

  private void prepare(Connection connection, String schema, String staging) throws SQLException {
    connection.setAutoCommit(true);
    Sql.execute(connection, "CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema));
    Sql.execute(connection, "CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(staging));
    if (readerRole != null) {
      Sql.execute(connection, "GRANT USAGE ON SCHEMA " + Sql.identifier(schema) + " TO " + Sql.identifier(readerRole));
    }
    List<String> leftovers = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT tablename FROM pg_tables WHERE schemaname = ? AND tablename ~ ? ORDER BY 1")) {
      s.setString(1, staging);
      s.setString(2, LEFTOVER_PATTERN);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          leftovers.add(r.getString(1));
        }
      }
    }
    for (String table : leftovers) {
      // Safe: we hold the schema's publish lock, so no other publisher is loading these.
      Sql.execute(connection, "DROP TABLE IF EXISTS " + Sql.qualified(staging, table));
    }
    if (!leftovers.isEmpty()) {
      log.info("dropped {} staging table(s) left by an earlier publish into {}: {}", leftovers.size(), staging, leftovers);
    }
  }

  private PublishedMart publish(Connection connection, Snapshot snapshot, String description, String schema,
      String staging, String runId) {
    String mart = snapshot.mart;
    String temp = (mart.length() > 36 ? mart.substring(0, 36) : mart) + STAGING_MARK + runId;
    String stagingTable = Sql.qualified(staging, temp);
    long started = System.nanoTime();
    boolean staged = false;
    long rows;
    try {
      connection.setAutoCommit(false);
      rows = load(connection, snapshot, stagingTable, temp);
      connection.commit();
      staged = true;
      hooks.afterStaging(mart, stagingTable);
      swap(connection, snapshot, description, schema, temp, stagingTable);
      hooks.beforeSwapCommit(mart, connection);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(connection);
      if (staged) {
        dropQuietly(connection, stagingTable);
      }
      throw new IllegalStateException("publishing mart '" + mart + "' failed; " + schema + "." + mart
          + " is unchanged: " + e.getMessage(), e);
    }
    try {
      connection.commit();
    } catch (SQLException e) {
      // The server may or may not have committed; either way readers see a whole table, and the
      // staging table, if it is still there, is a leftover the next publish drops.
      throw new IllegalStateException("publishing mart '" + mart + "': the swap's commit did not confirm, so "
          + schema + "." + mart + " is either the previous or the new version (never partial); publish again: "
          + e.getMessage(), e);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    PublishedMart result = new PublishedMart(mart, schema + "." + mart, snapshot.version, rows, seconds);
    log.info("published mart {} (Delta version {}) into {}: {} rows in {} s, {} rows/s", mart, snapshot.version,
        result.table(), rows, String.format("%.2f", seconds), String.format("%.0f", result.rowsPerSecond()));
    return result;
  }

  /** Creates, fills, keys and analyzes the staging table in the connection's open transaction. */
  private static long load(Connection connection, Snapshot snapshot, String stagingTable, String temp)
      throws SQLException {
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + stagingTable + " (");
    for (int i = 0; i < snapshot.columns.size(); i++) {
      PgColumn c = snapshot.columns.get(i);
      ddl.append(i == 0 ? "" : ", ").append(Sql.identifier(c.name())).append(' ').append(c.pgType());
    }
    Sql.execute(connection, ddl.append(')').toString());
    long copied = CsvCopy.copy(connection, stagingTable, snapshot.columns, snapshot.rows.toLocalIterator());
    if (!snapshot.key.isEmpty()) {
      // Built after the load: one sort instead of maintaining the index row by row.
      Sql.execute(connection, "ALTER TABLE " + stagingTable + " ADD CONSTRAINT " + Sql.identifier(temp + "_pkey")
          + " PRIMARY KEY (" + String.join(", ", snapshot.key.stream().map(Sql::identifier).toList()) + ")");
    }
    // Statistics before the swap, so the first BI query on the new table is planned well.
    Sql.execute(connection, "ANALYZE " + stagingTable);
    return copied;
  }

  /** The swap's statements; they run in one transaction that the caller commits. */
  private void swap(Connection connection, Snapshot snapshot, String description, String schema, String temp,
      String stagingTable) throws SQLException {
    String mart = snapshot.mart;
    String published = Sql.qualified(schema, mart);
    // No CASCADE: a view someone built on the mart makes the publish fail and say so, rather than vanish.
    Sql.execute(connection, "DROP TABLE IF EXISTS " + published);
    Sql.execute(connection, "ALTER TABLE " + stagingTable + " SET SCHEMA " + Sql.identifier(schema));
    Sql.execute(connection, "ALTER TABLE " + Sql.qualified(schema, temp) + " RENAME TO " + Sql.identifier(mart));
    if (!snapshot.key.isEmpty()) {
      Sql.execute(connection, "ALTER INDEX " + Sql.qualified(schema, temp + "_pkey") + " RENAME TO "
          + Sql.identifier(mart + "_pkey"));
    }
    String provenance = "Published by ParkLake from gold." + mart + ", Delta version " + snapshot.version + ".";
    String comment = description == null || description.isBlank() ? provenance : description.strip() + "\n\n" + provenance;
    Sql.execute(connection, "COMMENT ON TABLE " + published + " IS " + Sql.literal(connection, comment));
    if (readerRole != null) {
      Sql.execute(connection, "GRANT SELECT ON " + published + " TO " + Sql.identifier(readerRole));
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the failure being reported is the one that matters
    }
  }

  private static void dropQuietly(Connection connection, String stagingTable) {
    try {
      connection.setAutoCommit(true);
      Sql.execute(connection, "DROP TABLE IF EXISTS " + stagingTable);
    } catch (SQLException e) {
      log.warn("could not drop staging table {} (the next publish drops it): {}", stagingTable, e.getMessage());
    }
  }

  private static void checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name
          + "' must be lower-case letters, digits and underscores, starting with a letter or underscore, at most 58 characters");
    }
  }

  /**
   * The description of a mart from its Markdown doc (pipelines/docs/marts/&lt;mart&gt;.md): the first
   * paragraph after the title (it gives the grain and the inputs), without Markdown emphasis, for the
   * table comment a BI user reads.
   */
  public static String descriptionFromDoc(String markdown) {
    StringBuilder out = new StringBuilder();
    for (String line : markdown.split("\\R")) {
      String l = line.strip();
      if (l.startsWith("# ") && out.length() == 0) {
        continue;
      }
      if (l.startsWith("|") || l.startsWith("#") || (l.isEmpty() && out.length() > 0)) {
        break;
      }
      if (!l.isEmpty()) {
        out.append(out.length() == 0 ? "" : "\n").append(l.replace("**", "").replace("`", ""));
      }
    }
    return out.toString();
  }
}
