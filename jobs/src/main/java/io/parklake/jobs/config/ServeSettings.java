package io.parklake.jobs.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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

  /** The roles a token can have; each includes the rights of the ones before it except compliance. */
  public enum Role {
    /** reads runs, schedules, status */
    VIEWER,
    /** also triggers, restarts and stops runs and pauses schedules */
    OPERATOR,
    /** reads, and the archive endpoints */
    COMPLIANCE;

    public static Role parse(String s) {
      return Role.valueOf(s.trim().toUpperCase(Locale.ROOT));
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
        throw new IllegalArgumentException("a token is name:role:salt:sha256hex (make one with ./parklake token --role R)");
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

  /** The defaults: loopback on 8080, no tokens, hourly at minute 5, nightly at 02:00, archive off. */
  public static ServeSettings defaults() {
    return new ServeSettings("127.0.0.1", 8080, Optional.empty(), Optional.empty(), List.of(), ZoneId.of("UTC"),
        Map.of(
            "hourly", new Schedule("hourly", "hourly", "0 5 * * * ?", true),
            "nightly", new Schedule("nightly", "nightly", "0 0 2 * * ?", true),
            "archive", new Schedule("archive", "archive", "0 0 3 1 * ?", false)),
        Overlap.SKIP, Duration.ofHours(2), Duration.ofDays(90), Duration.ofSeconds(7));
  }
}
