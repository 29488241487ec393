package io.parklake.jobs.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code parklake serve} needs: where the HTTP API listens (and its TLS keystore), who may call
 * it, the schedules Quartz fires and what a trigger does when it finds a job already running, and how
 * long job history is kept.
 *
 * @param address interface the API binds (default 127.0.0.1)
 * @param port TCP port (default 8080; 0 picks a free one)
 * @param keystore PKCS12 keystore: the API speaks HTTPS when set
 * @param keystorePassword its password (a secret)
 * @param tokens the API's bearer tokens, each stored only as a salted SHA-256
 * @param zone the time zone the schedules' cron expressions are read in
 * @param schedules by name ({@code hourly}, {@code nightly}, {@code archive})
 * @param overlap what a schedule firing while a job runs does
 * @param overlapWait how long {@link Overlap#WAIT} waits before giving up
 * @param historyMaxAge job executions older than this are purged from the job repository
 * @param clusterCheckin how often each serve process checks in to the Quartz cluster
 */
public record ServeSettings(
    String address,
    int port,
    Optional<Path> keystore,
    Optional<String> keystorePassword,
    List<Token> tokens,
    ZoneId zone,
    Map<String, Schedule> schedules,
    Overlap overlap,
    Duration overlapWait,
    Duration historyMaxAge,
    Duration clusterCheckin) {

  /** The roles a token can have. Every role reads; only operator triggers, restarts, stops and pauses; compliance alone will reach the archive endpoints. */
  public enum Role {
    /** reads runs, schedules, status */
    VIEWER,
    /** also triggers, restarts and stops runs and pauses schedules */
    OPERATOR,
    /** reads, and the archive endpoints */
    COMPLIANCE;

    /** Parses a role in any case; the message names the roles there are. */
    public static Role parse(String s) {
      for (Role r : values()) {
        if (r.name().equalsIgnoreCase(s.trim())) {
          return r;
        }
      }
      throw new IllegalArgumentException("role '" + s.trim() + "' is not one of "
          + String.join(", ", java.util.Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList()));
    }
  }

  /** What a schedule that fires while another job runs on the lake does. */
  public enum Overlap {
    /** logs that it found a job running and does nothing until its next fire time */
    SKIP,
    /** waits (up to overlapWait) for the running job to end, then runs */
    WAIT
  }

  /**
   * One schedule: the job it runs, a Quartz cron expression (seconds first: {@code 0 5 * * * ?} is
   * minute 5 of every hour) in {@link ServeSettings#zone}, and whether it is on.
   */
  public record Schedule(String name, String job, String cron, boolean enabled) {}

  /**
   * A bearer token as it is configured: a name (for logs, never the token itself), a role, a salt,
   * and SHA-256(salt + token) in hex. The written form is {@code name:role:salt:sha256hex}.
   */
  public record Token(String name, Role role, String salt, String sha256Hex) {

    /** Parses {@code name:role:salt:sha256hex}; the message never contains the value. */
    public static Token parse(String spec) {
      String[] p = spec.trim().split(":");
      if (p.length != 4 || p[0].isBlank() || p[2].isBlank() || !p[3].matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException("a token is name:role:salt:sha256hex (make one with ./parklake token --name N --role R)");
      }
      return new Token(p[0], Role.parse(p[1]), p[2], p[3].toLowerCase(Locale.ROOT));
    }

    /** SHA-256(salt + token) in hex. */
    public static String hash(String salt, String token) {
      try {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(d.digest((salt + token).getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Whether {@code presented} is this token, compared in constant time. */
    public boolean matches(String presented) {
      byte[] expected = HexFormat.of().parseHex(sha256Hex);
      byte[] actual = HexFormat.of().parseHex(hash(salt, presented));
      return MessageDigest.isEqual(expected, actual);
    }

    @Override
    public String toString() {
      return name + ":" + role.name().toLowerCase(Locale.ROOT) + ":****";
    }
  }

  /** How long {@link Overlap#WAIT} waits for a running job: not a setting (yet). */
  public static final Duration DEFAULT_OVERLAP_WAIT = Duration.ofHours(2);

  /** The defaults, as {@link SettingRegistry} declares them: loopback on 8080, no tokens, hourly and nightly on. */
  public static ServeSettings defaults() {
    return from(Configuration.defaults());
  }

  static ServeSettings from(Configuration c) {
    Map<String, Schedule> schedules = new TreeMap<>();
    schedule(schedules, c, "hourly", SettingRegistry.HOURLY_CRON, SettingRegistry.HOURLY_ENABLED);
    schedule(schedules, c, "nightly", SettingRegistry.NIGHTLY_CRON, SettingRegistry.NIGHTLY_ENABLED);
    schedule(schedules, c, "archive", SettingRegistry.ARCHIVE_CRON, SettingRegistry.ARCHIVE_ENABLED);
    return new ServeSettings(c.get(SettingRegistry.SERVE_ADDRESS), c.get(SettingRegistry.SERVE_PORT),
        c.find(SettingRegistry.SERVE_KEYSTORE), c.find(SettingRegistry.SERVE_KEYSTORE_PASSWORD),
        c.find(SettingRegistry.SERVE_TOKENS).orElse(List.of()), c.get(SettingRegistry.SCHEDULE_ZONE),
        Collections.unmodifiableMap(schedules), c.get(SettingRegistry.SCHEDULE_OVERLAP), DEFAULT_OVERLAP_WAIT,
        c.get(SettingRegistry.HISTORY_MAX_AGE), c.get(SettingRegistry.CLUSTER_CHECKIN));
  }

  private static void schedule(Map<String, Schedule> schedules, Configuration c, String job, Setting<String> cron,
      Setting<Boolean> enabled) {
    schedules.put(job, new Schedule(job, job, c.get(cron), c.get(enabled)));
  }
}
