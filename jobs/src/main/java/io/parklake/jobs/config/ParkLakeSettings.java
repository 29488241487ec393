package io.parklake.jobs.config;

import io.parklake.warehouse.db.DatabaseAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * ParkLake's configuration as the commands use it. Each setting is declared once in
 * {@link SettingRegistry} (its YAML key, environment variable, type, default and doc); {@link
 * Configuration} resolves them (environment over {@code application.yml} over defaults) and this record
 * groups them. Every setting has a default that works on a laptop: unset source and S3 settings mean
 * "start the embedded server".
 */
public record ParkLakeSettings(
    Path home,
    Optional<DatabaseAddress> source,
    Optional<DatabaseAddress> meta,
    Optional<S3Settings> s3,
    String reportsBucket,
    String sparkMaster,
    Extraction extraction,
    Publishing publishing,
    ServeSettings serve,
    ArchiveSettings archive) {

  // Environment variable names, for messages that name a setting; declared in SettingRegistry.
  public static final String HOME = SettingRegistry.HOME.env();
  public static final String SOURCE_URL = SettingRegistry.SOURCE_URL.env();
  public static final String META_URL = SettingRegistry.META_URL.env();
  public static final String S3_ENDPOINT = SettingRegistry.S3_ENDPOINT.env();
  public static final String REPORTS_BUCKET = SettingRegistry.REPORTS_BUCKET.env();
  public static final String SPARK_MASTER = SettingRegistry.SPARK_MASTER.env();

  public static final String MART_URL = SettingRegistry.MART_URL.env();
  public static final String MART_SCHEMA = SettingRegistry.MART_SCHEMA.env();

  public static final String LOOK_BACK = SettingRegistry.EXTRACT_LOOKBACK.env();
  public static final String DELETE_WINDOW_DAYS = SettingRegistry.DELETE_WINDOW_DAYS.env();
  public static final String VACUUM_RETENTION_HOURS = SettingRegistry.VACUUM_RETENTION_HOURS.env();

  /**
   * How extraction behaves: how far before the watermark each batch re-reads (rows committed late
   * with an older {@code updated_at}), how many business days back the nightly delete scan looks,
   * and how long vacuum keeps unreferenced files (time travel).
   */
  public record Extraction(java.time.Duration lookBack, int deleteWindowDays, int vacuumRetentionHours,
      java.time.Duration maintenanceInterval) {}

  /**
   * Where the nightly publishes the gold marts for BI tools: a PostgreSQL database (empty: the
   * metadata database) and schema, or nowhere when the schema is set to {@code none}.
   */
  public record Publishing(Optional<DatabaseAddress> database, String schema) {
    public boolean enabled() {
      return !"none".equals(schema);
    }
  }

  /** Connection to an S3-compatible service. */
  public record S3Settings(String endpoint, String accessKey, String secretKey, String region) {}

  /** The environment over the defaults; no file is read (tests build settings this way). */
  public static ParkLakeSettings fromEnvironment(Map<String, String> env) {
    return from(Configuration.fromEnvironment(env));
  }

  /**
   * What the command line uses: the environment over {@code configFile} when given, else over
   * {@code $PARKLAKE_HOME/application.yml} when present, over the defaults.
   */
  public static ParkLakeSettings load(Map<String, String> env, Optional<Path> configFile) {
    return from(Configuration.load(env, configFile));
  }

  /** Groups a resolved configuration, checking the rules that tie settings together. */
  public static ParkLakeSettings from(Configuration c) {
    Path home = c.get(SettingRegistry.HOME).toAbsolutePath().normalize();
    Optional<DatabaseAddress> source =
        database(c, SettingRegistry.SOURCE_URL, SettingRegistry.SOURCE_USER, SettingRegistry.SOURCE_PASSWORD);
    Optional<DatabaseAddress> meta =
        database(c, SettingRegistry.META_URL, SettingRegistry.META_USER, SettingRegistry.META_PASSWORD).or(() -> source);
    Optional<S3Settings> s3 = Optional.empty();
    Optional<String> endpoint = c.find(SettingRegistry.S3_ENDPOINT);
    if (endpoint.isPresent()) {
      s3 = Optional.of(new S3Settings(endpoint.get(),
          c.find(SettingRegistry.S3_ACCESS_KEY)
              .orElseThrow(() -> c.notSet(SettingRegistry.S3_ACCESS_KEY, SettingRegistry.S3_ENDPOINT)),
          c.find(SettingRegistry.S3_SECRET_KEY)
              .orElseThrow(() -> c.notSet(SettingRegistry.S3_SECRET_KEY, SettingRegistry.S3_ENDPOINT)),
          c.get(SettingRegistry.S3_REGION)));
    }
    Optional<DatabaseAddress> martDb =
        database(c, SettingRegistry.MART_URL, SettingRegistry.MART_USER, SettingRegistry.MART_PASSWORD).or(() -> meta);
    return new ParkLakeSettings(home, source, meta, s3, c.get(SettingRegistry.REPORTS_BUCKET),
        c.get(SettingRegistry.SPARK_MASTER),
        new Extraction(c.get(SettingRegistry.EXTRACT_LOOKBACK), c.get(SettingRegistry.DELETE_WINDOW_DAYS),
            c.get(SettingRegistry.VACUUM_RETENTION_HOURS), c.get(SettingRegistry.MAINTENANCE_INTERVAL)),
        new Publishing(martDb, c.get(SettingRegistry.MART_SCHEMA)), ServeSettings.from(c), ArchiveSettings.from(c));
  }

  public boolean embeddedSource() {
    return source.isEmpty();
  }

  public Path lakeDir() {
    return home.resolve("lake");
  }

  public Path reportsDir() {
    return home.resolve("reports");
  }

  private static Optional<DatabaseAddress> database(Configuration c, Setting<String> url, Setting<String> user,
      Setting<String> password) {
    return c.find(url).map(u -> new DatabaseAddress(u, c.find(user).orElse(null), c.find(password).orElse(null)));
  }
}
