package io.parklake.jobs.config;

import io.parklake.jobs.config.ServeSettings.Overlap;
import io.parklake.jobs.config.ServeSettings.Token;
import io.parklake.pipelines.archive.ArchivePolicy;
import io.parklake.warehouse.source.SourceTable;
import java.nio.file.Path;
import java.time.Period;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting ParkLake reads, each declared once, in the order the docs list them. {@code --help},
 * README's table, {@code application.example.yml} and {@code parklake config} are rendered from this
 * list ({@link SettingDocs}); {@link Configuration} validates against it.
 */
public final class SettingRegistry {
  private SettingRegistry() {}

  public static final Setting<Path> HOME = setting("home", "PARKLAKE_HOME", SettingType.PATH, ".parklake",
      "lake, reports, embedded database and S3 data; relative to the working directory");

  public static final Setting<String> SOURCE_URL = setting("source.url", "PARKLAKE_SOURCE_URL", SettingType.JDBC_URL,
      null, "the operator's PostgreSQL, read only; unset: embedded PostgreSQL under home");
  public static final Setting<String> SOURCE_USER = setting("source.user", "PARKLAKE_SOURCE_USER", SettingType.STRING,
      null, "user for source.url");
  public static final Setting<String> SOURCE_PASSWORD = secret("source.password", "PARKLAKE_SOURCE_PASSWORD",
      SettingType.STRING, "password for source.url");

  public static final Setting<String> META_URL = setting("meta.url", "PARKLAKE_META_URL", SettingType.JDBC_URL, null,
      "where ParkLake keeps schema parklake (job repository, watermarks); unset: the source database");
  public static final Setting<String> META_USER = setting("meta.user", "PARKLAKE_META_USER", SettingType.STRING, null,
      "user for meta.url");
  public static final Setting<String> META_PASSWORD = secret("meta.password", "PARKLAKE_META_PASSWORD",
      SettingType.STRING, "password for meta.url");

  public static final Setting<String> S3_ENDPOINT = setting("s3.endpoint", "PARKLAKE_S3_ENDPOINT", SettingType.HTTP_URL,
      null, "S3 API for report delivery (AWS, MinIO...); unset: embedded s3proxy under home");
  public static final Setting<String> S3_ACCESS_KEY = setting("s3.access-key", "PARKLAKE_S3_ACCESS_KEY",
      SettingType.STRING, null, "access key id, needed with s3.endpoint");
  public static final Setting<String> S3_SECRET_KEY = secret("s3.secret-key", "PARKLAKE_S3_SECRET_KEY",
      SettingType.STRING, "secret key, needed with s3.endpoint");
  public static final Setting<String> S3_REGION = setting("s3.region", "PARKLAKE_S3_REGION", SettingType.STRING,
      "us-east-1", "region of s3.endpoint");

  public static final Setting<String> REPORTS_BUCKET = setting("reports.bucket", "PARKLAKE_REPORTS_BUCKET",
      SettingType.BUCKET, "parklake-reports", "bucket the reports are uploaded to");
  public static final Setting<String> SPARK_MASTER = setting("spark.master", "PARKLAKE_SPARK_MASTER",
      SettingType.STRING, "local[*]", "Spark master: local[*], spark://host:7077, yarn, k8s://...");

  public static final Setting<Duration> EXTRACT_LOOKBACK = setting("extract.lookback", "PARKLAKE_EXTRACT_LOOKBACK",
      SettingType.DURATION, "PT1H",
      "how far before its watermark each extraction re-reads (rows committed late with an older updated_at)");
  public static final Setting<Integer> DELETE_WINDOW_DAYS = setting("extract.delete-window-days",
      "PARKLAKE_DELETE_WINDOW_DAYS", SettingType.integer(1), "35",
      "business days before the run date the nightly hard-delete scan covers");
  public static final Setting<Integer> VACUUM_RETENTION_HOURS = setting("lake.vacuum-retention-hours",
      "PARKLAKE_VACUUM_RETENTION_HOURS", SettingType.integer(168), "168",
      "time travel kept by the nightly vacuum, in hours");
  public static final Setting<Duration> MAINTENANCE_INTERVAL = setting("lake.maintenance-interval",
      "PARKLAKE_MAINTENANCE_INTERVAL", SettingType.PERIOD_OR_DURATION, "PT20H",
      "a nightly compacts and vacuums the lake only when the last maintenance ended longer ago than this (a daily nightly"
          + " always does; reruns and backfills the same day do not)");

  public static final Setting<String> MART_URL = setting("mart.url", "PARKLAKE_MART_URL", SettingType.JDBC_URL, null,
      "PostgreSQL database the nightly publishes the gold marts to, for BI tools; unset: the metadata database");
  public static final Setting<String> MART_USER = setting("mart.user", "PARKLAKE_MART_USER", SettingType.STRING, null,
      "user for mart.url");
  public static final Setting<String> MART_PASSWORD = secret("mart.password", "PARKLAKE_MART_PASSWORD",
      SettingType.STRING, "password for mart.url");
  public static final Setting<String> MART_SCHEMA = setting("mart.schema", "PARKLAKE_MART_SCHEMA", SettingType.SCHEMA,
      "mart", "schema of the published marts (one table per mart, swapped atomically); none: do not publish");

  public static final Setting<String> SERVE_ADDRESS = setting("serve.address", "PARKLAKE_SERVE_ADDRESS",
      SettingType.STRING, "127.0.0.1", "interface the HTTP API of parklake serve binds");
  public static final Setting<Integer> SERVE_PORT = setting("serve.port", "PARKLAKE_SERVE_PORT", SettingType.PORT,
      "8080", "TCP port of the HTTP API; 0 picks a free one");
  public static final Setting<List<Token>> SERVE_TOKENS = secret("serve.tokens", "PARKLAKE_API_TOKENS",
      SettingType.TOKENS, "bearer tokens allowed to call the API: name:role:salt:sha256hex,... with role viewer,"
          + " operator or compliance and SHA-256(salt + token) in hex; in the file a list of {name, role, salt, sha256}");
  public static final Setting<Path> SERVE_KEYSTORE = setting("serve.tls.keystore", "PARKLAKE_SERVE_KEYSTORE",
      SettingType.PATH, null, "PKCS12 keystore; when set the API speaks HTTPS");
  public static final Setting<String> SERVE_KEYSTORE_PASSWORD = secret("serve.tls.keystore-password",
      "PARKLAKE_SERVE_KEYSTORE_PASSWORD", SettingType.STRING, "password of serve.tls.keystore");

  public static final Setting<ZoneId> SCHEDULE_ZONE = setting("schedules.zone", "PARKLAKE_SCHEDULE_ZONE",
      SettingType.ZONE, "UTC", "time zone the schedules' cron expressions are read in");
  public static final Setting<Overlap> SCHEDULE_OVERLAP = setting("schedules.overlap", "PARKLAKE_SCHEDULE_OVERLAP",
      SettingType.oneOf(Overlap.class), "skip",
      "what a schedule firing while a job runs does: skip this firing, or wait for the running job to end");
  public static final Setting<String> HOURLY_CRON = setting("schedules.hourly.cron", "PARKLAKE_SCHEDULE_HOURLY",
      SettingType.CRON, "0 5 * * * ?", "when serve runs the hourly job (seconds first: minute 5 of every hour)");
  public static final Setting<Boolean> HOURLY_ENABLED = setting("schedules.hourly.enabled",
      "PARKLAKE_SCHEDULE_HOURLY_ENABLED", SettingType.BOOLEAN, "true", "whether the hourly schedule is on");
  public static final Setting<String> NIGHTLY_CRON = setting("schedules.nightly.cron", "PARKLAKE_SCHEDULE_NIGHTLY",
      SettingType.CRON, "0 0 2 * * ?", "when serve runs the nightly job (02:00 every day)");
  public static final Setting<Boolean> NIGHTLY_ENABLED = setting("schedules.nightly.enabled",
      "PARKLAKE_SCHEDULE_NIGHTLY_ENABLED", SettingType.BOOLEAN, "true", "whether the nightly schedule is on");
  public static final Setting<String> ARCHIVE_CRON = setting("schedules.archive.cron", "PARKLAKE_SCHEDULE_ARCHIVE",
      SettingType.CRON, "0 0 3 1 * ?", "when serve runs the archive job (03:00 on the first of the month)");
  public static final Setting<Boolean> ARCHIVE_ENABLED = setting("schedules.archive.enabled",
      "PARKLAKE_SCHEDULE_ARCHIVE_ENABLED", SettingType.BOOLEAN, "false", "whether the archive schedule is on");

  public static final Setting<Duration> HISTORY_MAX_AGE = setting("history.max-age", "PARKLAKE_HISTORY_MAX_AGE",
      SettingType.PERIOD_OR_DURATION, "P90D", "job executions older than this are purged from the job repository");
  public static final Setting<Duration> CLUSTER_CHECKIN = setting("cluster.checkin-interval",
      "PARKLAKE_CLUSTER_CHECKIN", SettingType.DURATION, "PT7S",
      "how often each serve process checks in to the Quartz cluster");

  public static final Setting<String> ARCHIVE_BUCKET = setting("archive.bucket", "PARKLAKE_ARCHIVE_BUCKET", SettingType.BUCKET,
      "parklake-archive", "bucket the archive job writes to (on s3.endpoint, or the embedded S3 server)");
  public static final Setting<ArchiveSettings.RestoreTier> ARCHIVE_RESTORE_TIER = setting(
      "archive.restore-tier", "PARKLAKE_ARCHIVE_RESTORE_TIER", SettingType.oneOf(ArchiveSettings.RestoreTier.class),
      "standard", "restore tier requested when a retrieval meets an object in an offline class (Glacier)");

  /** Per archived table: its age, storage class, lock retention and whether the source is purged too. */
  public record ArchiveTableSettings(SourceTable table, Setting<Period> age, Setting<String> storageClass,
      Setting<Period> lockRetention, Setting<Boolean> purgeSource) {}

  public static final List<ArchiveTableSettings> ARCHIVE_TABLES = ArchivePolicy.TABLES.stream().map(t -> {
    ArchivePolicy d = ArchivePolicy.defaults(t);
    String key = "archive." + t.tableName().replace('_', '-');
    String env = ArchivePolicy.envName(t);
    return new ArchiveTableSettings(t,
        setting(key + ".age", "PARKLAKE_ARCHIVE_AGE_" + env, SettingType.PERIOD, d.age().toString(),
            t.tableName() + " whose " + d.agingLabel() + " is older are archived" + (d.rowFilter() == null ? ""
                : " (only rows where " + d.rowFilter().replace("t.", "") + ")")),
        setting(key + ".storage-class", "PARKLAKE_ARCHIVE_STORAGE_CLASS_" + env, SettingType.STORAGE_CLASS, d.storageClass(),
            "S3 storage class of the " + t.tableName() + " archive objects"),
        setting(key + ".lock-retention", "PARKLAKE_ARCHIVE_LOCK_" + env, SettingType.PERIOD, null,
            "S3 Object Lock (compliance mode) retention of those objects; unset: no lock (the bucket must have Object Lock on)"),
        setting(key + ".purge-source", "PARKLAKE_ARCHIVE_PURGE_SOURCE_" + env, SettingType.BOOLEAN, "false",
            "also delete verified archived " + t.tableName() + " from the operator's database (writes to the source)"));
  }).toList();

  private static final List<Setting<?>> ALL = withArchive(List.of(
      HOME,
      SOURCE_URL, SOURCE_USER, SOURCE_PASSWORD,
      META_URL, META_USER, META_PASSWORD,
      S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION,
      REPORTS_BUCKET, SPARK_MASTER,
      EXTRACT_LOOKBACK, DELETE_WINDOW_DAYS, VACUUM_RETENTION_HOURS, MAINTENANCE_INTERVAL,
      MART_URL, MART_USER, MART_PASSWORD, MART_SCHEMA,
      SERVE_ADDRESS, SERVE_PORT, SERVE_TOKENS, SERVE_KEYSTORE, SERVE_KEYSTORE_PASSWORD,
      SCHEDULE_ZONE, SCHEDULE_OVERLAP, HOURLY_CRON, HOURLY_ENABLED, NIGHTLY_CRON, NIGHTLY_ENABLED,
      ARCHIVE_CRON, ARCHIVE_ENABLED,
      HISTORY_MAX_AGE, CLUSTER_CHECKIN));

  private static List<Setting<?>> withArchive(List<Setting<?>> base) {
    List<Setting<?>> all = new ArrayList<>(base);
    all.add(ARCHIVE_BUCKET);
    all.add(ARCHIVE_RESTORE_TIER);
    for (ArchiveTableSettings a : ARCHIVE_TABLES) {
      all.addAll(List.of(a.age(), a.storageClass(), a.lockRetention(), a.purgeSource()));
    }
    return List.copyOf(all);
  }

  private static final Map<String, Setting<?>> BY_KEY = index();

  /** Every setting, in the order the docs list them. */
  public static List<Setting<?>> all() {
    return ALL;
  }

  public static Optional<Setting<?>> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  /** Whether {@code key} is a section holding settings, such as {@code source} or {@code schedules.nightly}. */
  static boolean isSection(String key) {
    return ALL.stream().anyMatch(s -> s.key().startsWith(key + "."));
  }

  /**
   * A hint for an unknown file key: the setting it most likely means ({@code did you mean source.user?}),
   * the settings of the section it names, or where to find the list.
   */
  static String hint(String unknown) {
    String normal = unknown.toLowerCase(Locale.ROOT).replace('_', '-');
    for (Setting<?> s : ALL) {
      if (s.key().equals(normal)) {
        return "did you mean " + s.key() + "?";
      }
      if (s.env().equalsIgnoreCase(unknown)) {
        return "the file's name for " + s.env() + " is " + s.key();
      }
    }
    List<String> inSection = ALL.stream().map(Setting::key).filter(k -> k.startsWith(normal + ".")).toList();
    if (!inSection.isEmpty()) {
      return "did you mean " + String.join(" or ", inSection.subList(0, Math.min(3, inSection.size()))) + "?";
    }
    Optional<String> closest = ALL.stream().map(Setting::key)
        .filter(k -> distance(k, normal) <= Math.max(2, k.length() / 5))
        .min(Comparator.comparingInt(k -> distance(k, normal)));
    if (closest.isPresent()) {
      return "did you mean " + closest.get() + "?";
    }
    int dot = normal.lastIndexOf('.');
    if (dot > 0 && isSection(normal.substring(0, dot))) {
      String section = normal.substring(0, dot);
      List<String> names = new ArrayList<>();
      for (Setting<?> s : ALL) {
        if (s.key().startsWith(section + ".")) {
          names.add(s.key().substring(section.length() + 1));
        }
      }
      return section + " has " + String.join(", ", names);
    }
    return "./parklake config --markdown lists every setting";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static <T> Setting<T> setting(String key, String env, SettingType<T> type, String defaultText, String doc) {
    return new Setting<>(key, env, type, defaultText, false, doc);
  }

  private static <T> Setting<T> secret(String key, String env, SettingType<T> type, String doc) {
    return new Setting<>(key, env, type, null, true, doc);
  }

  private static Map<String, Setting<?>> index() {
    Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    Map<String, Setting<?>> byEnv = new LinkedHashMap<>();
    for (Setting<?> s : ALL) {
      if (byKey.put(s.key(), s) != null || byEnv.put(s.env(), s) != null) {
        throw new IllegalStateException("setting " + s.key() + " / " + s.env() + " is declared twice");
      }
    }
    for (Setting<?> s : ALL) {
      if (isSection(s.key())) {
        throw new IllegalStateException("setting " + s.key() + " is also a section of other settings");
      }
    }
    return Map.copyOf(byKey);
  }
}
