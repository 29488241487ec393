package io.parklake.jobs.config;

import io.parklake.warehouse.db.DatabaseAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * ParkLake's configuration, read from the environment (names below). Every setting has a default
 * that works on a laptop: unset source and S3 settings mean "start the embedded server".
 *
 * <table>
 *   <tr><td>PARKLAKE_HOME</td><td>lake, reports, embedded data; default ./.parklake</td></tr>
 *   <tr><td>PARKLAKE_SOURCE_URL, _USER, _PASSWORD</td><td>operator database (JDBC URL); unset = embedded</td></tr>
 *   <tr><td>PARKLAKE_META_URL, _USER, _PASSWORD</td><td>where schema parklake lives; default the source</td></tr>
 *   <tr><td>PARKLAKE_S3_ENDPOINT, _ACCESS_KEY, _SECRET_KEY, _REGION</td><td>S3 API; unset = embedded</td></tr>
 *   <tr><td>PARKLAKE_REPORTS_BUCKET</td><td>bucket for reports; default parklake-reports</td></tr>
 *   <tr><td>PARKLAKE_SPARK_MASTER</td><td>default local[*]</td></tr>
 *   <tr><td>PARKLAKE_EXTRACT_LOOKBACK</td><td>ISO-8601 duration re-read before each watermark; default PT1H</td></tr>
 *   <tr><td>PARKLAKE_MART_URL, _USER, _PASSWORD</td><td>database the gold marts are published to; default the metadata database</td></tr>
 *   <tr><td>PARKLAKE_MART_SCHEMA</td><td>schema the marts are published to; {@code none} to not publish; default mart</td></tr>
 *   <tr><td>PARKLAKE_DELETE_WINDOW_DAYS</td><td>business days the nightly delete scan covers; default 35</td></tr>
 *   <tr><td>PARKLAKE_VACUUM_RETENTION_HOURS</td><td>time travel kept by vacuum, at least 168; default 168</td></tr>
 * </table>
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
    ServeSettings serve) {

  public static final String HOME = "PARKLAKE_HOME";
  public static final String SOURCE_URL = "PARKLAKE_SOURCE_URL";
  public static final String META_URL = "PARKLAKE_META_URL";
  public static final String S3_ENDPOINT = "PARKLAKE_S3_ENDPOINT";
  public static final String REPORTS_BUCKET = "PARKLAKE_REPORTS_BUCKET";
  public static final String SPARK_MASTER = "PARKLAKE_SPARK_MASTER";

  public static final String MART_URL = "PARKLAKE_MART_URL";
  public static final String MART_SCHEMA = "PARKLAKE_MART_SCHEMA";

  public static final String LOOK_BACK = "PARKLAKE_EXTRACT_LOOKBACK";
  public static final String DELETE_WINDOW_DAYS = "PARKLAKE_DELETE_WINDOW_DAYS";
  public static final String VACUUM_RETENTION_HOURS = "PARKLAKE_VACUUM_RETENTION_HOURS";

  /**
   * How extraction behaves: how far before the watermark each batch re-reads (rows committed late
   * with an older {@code updated_at}), how many business days back the nightly delete scan looks,
   * and how long vacuum keeps unreferenced files (time travel).
   */
  public record Extraction(java.time.Duration lookBack, int deleteWindowDays, int vacuumRetentionHours) {}

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

  public static ParkLakeSettings fromEnvironment(Map<String, String> env) {
    Path home = Path.of(env.getOrDefault(HOME, ".parklake")).toAbsolutePath().normalize();
    Optional<DatabaseAddress> source = database(env, "PARKLAKE_SOURCE");
    Optional<DatabaseAddress> meta = database(env, "PARKLAKE_META").or(() -> source);
    Optional<S3Settings> s3 = Optional.empty();
    String endpoint = blankToNull(env.get(S3_ENDPOINT));
    if (endpoint != null) {
      if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
        throw new UserError(S3_ENDPOINT, "'" + endpoint + "' is not an http(s) URL");
      }
      s3 = Optional.of(new S3Settings(endpoint,
          required(env, "PARKLAKE_S3_ACCESS_KEY", "needed because " + S3_ENDPOINT + " is set"),
          required(env, "PARKLAKE_S3_SECRET_KEY", "needed because " + S3_ENDPOINT + " is set"),
          env.getOrDefault("PARKLAKE_S3_REGION", "us-east-1")));
    }
    String bucket = env.getOrDefault(REPORTS_BUCKET, "parklake-reports");
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new UserError(REPORTS_BUCKET, "'" + bucket + "' is not a valid S3 bucket name");
    }
    String master = env.getOrDefault(SPARK_MASTER, "local[*]");
    java.time.Duration lookBack;
    try {
      lookBack = java.time.Duration.parse(env.getOrDefault(LOOK_BACK, "PT1H"));
    } catch (java.time.format.DateTimeParseException e) {
      throw new UserError(LOOK_BACK, "'" + env.get(LOOK_BACK) + "' is not an ISO-8601 duration such as PT1H or PT30M");
    }
    if (lookBack.isNegative()) {
      throw new UserError(LOOK_BACK, "must not be negative, was " + lookBack);
    }
    int window = positiveInt(env, DELETE_WINDOW_DAYS, 35, 1);
    int retention = positiveInt(env, VACUUM_RETENTION_HOURS, 168, 168);
    String martSchema = env.getOrDefault(MART_SCHEMA, "mart");
    if (!martSchema.matches("[a-z_][a-z0-9_]{0,57}")) {
      throw new UserError(MART_SCHEMA, "'" + martSchema + "' is not a lower-case PostgreSQL schema name (or none)");
    }
    Optional<DatabaseAddress> martDb = database(env, "PARKLAKE_MART").or(() -> meta);
    return new ParkLakeSettings(home, source, meta, s3, bucket, master, new Extraction(lookBack, window, retention),
        new Publishing(martDb, martSchema), serve(env));
  }

  /** serve's settings: defaults with the environment's overrides (PARKLAKE_SERVE_*, PARKLAKE_API_TOKENS, PARKLAKE_SCHEDULE_*). */
  private static ServeSettings serve(Map<String, String> env) {
    ServeSettings d = ServeSettings.defaults();
    String address = env.getOrDefault("PARKLAKE_SERVE_ADDRESS", d.address());
    int port = d.port();
    if (blankToNull(env.get("PARKLAKE_SERVE_PORT")) != null) {
      port = positiveInt(env, "PARKLAKE_SERVE_PORT", d.port(), 0);
      if (port > 65535) {
        throw new UserError("PARKLAKE_SERVE_PORT", "must be a TCP port (0-65535), was " + port);
      }
    }
    java.util.List<ServeSettings.Token> tokens = new java.util.ArrayList<>();
    String tokenList = blankToNull(env.get("PARKLAKE_API_TOKENS"));
    if (tokenList != null) {
      int i = 0;
      for (String spec : tokenList.split(",")) {
        i++;
        try {
          tokens.add(ServeSettings.Token.parse(spec));
        } catch (IllegalArgumentException e) {
          throw new UserError("PARKLAKE_API_TOKENS", "token " + i + ": " + e.getMessage());
        }
      }
    }
    java.time.ZoneId zone;
    try {
      zone = java.time.ZoneId.of(env.getOrDefault("PARKLAKE_SCHEDULE_ZONE", d.zone().getId()));
    } catch (java.time.DateTimeException e) {
      throw new UserError("PARKLAKE_SCHEDULE_ZONE", "'" + env.get("PARKLAKE_SCHEDULE_ZONE") + "' is not a time zone such as Europe/Berlin");
    }
    Map<String, ServeSettings.Schedule> schedules = new java.util.TreeMap<>();
    for (ServeSettings.Schedule s : d.schedules().values()) {
      String key = "PARKLAKE_SCHEDULE_" + s.name().toUpperCase(java.util.Locale.ROOT);
      String cron = env.getOrDefault(key, s.cron());
      boolean enabled = Boolean.parseBoolean(env.getOrDefault(key + "_ENABLED", String.valueOf(s.enabled())));
      schedules.put(s.name(), new ServeSettings.Schedule(s.name(), s.job(), cron, enabled));
    }
    ServeSettings.Overlap overlap = ServeSettings.Overlap.valueOf(
        env.getOrDefault("PARKLAKE_SCHEDULE_OVERLAP", d.overlap().name()).toUpperCase(java.util.Locale.ROOT));
    java.time.Duration checkin = env.containsKey("PARKLAKE_CLUSTER_CHECKIN")
        ? java.time.Duration.parse(env.get("PARKLAKE_CLUSTER_CHECKIN")) : d.clusterCheckin();
    java.time.Duration historyMaxAge = env.containsKey("PARKLAKE_HISTORY_MAX_AGE")
        ? java.time.Duration.parse(env.get("PARKLAKE_HISTORY_MAX_AGE")) : d.historyMaxAge();
    return new ServeSettings(address, port,
        java.util.Optional.ofNullable(blankToNull(env.get("PARKLAKE_SERVE_KEYSTORE"))).map(Path::of),
        java.util.Optional.ofNullable(blankToNull(env.get("PARKLAKE_SERVE_KEYSTORE_PASSWORD"))),
        java.util.List.copyOf(tokens), zone, schedules, overlap, d.overlapWait(), historyMaxAge, checkin);
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

  private static Optional<DatabaseAddress> database(Map<String, String> env, String prefix) {
    String url = blankToNull(env.get(prefix + "_URL"));
    if (url == null) {
      return Optional.empty();
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new UserError(prefix + "_URL", "'" + url + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
    }
    return Optional.of(new DatabaseAddress(url, env.get(prefix + "_USER"), env.get(prefix + "_PASSWORD")));
  }

  private static int positiveInt(Map<String, String> env, String name, int fallback, int minimum) {
    String v = blankToNull(env.get(name));
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < minimum) {
        throw new UserError(name, "must be at least " + minimum + ", was " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UserError(name, "'" + v + "' is not a whole number");
    }
  }

  private static String required(Map<String, String> env, String name, String why) {
    String v = blankToNull(env.get(name));
    if (v == null) {
      throw new UserError(name, "is not set (" + why + ")");
    }
    return v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
