package io.parklake.jobs.config;

import io.parklake.jobs.config.ServeSettings.Role;
import io.parklake.jobs.config.ServeSettings.Token;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.quartz.CronExpression;

/**
 * The values a setting takes: a name for the docs and how a written value (an environment variable, a
 * YAML scalar, or for a few types a YAML list) becomes a typed one. Problems are {@link BadValue}s.
 */
public final class SettingType<T> {
  private final String name;
  private final Function<String, T> parser;
  private final Function<List<?>, T> listParser;
  private final Function<T, String> masked;

  private SettingType(String name, Function<String, T> parser, Function<List<?>, T> listParser,
      Function<T, String> masked) {
    this.name = name;
    this.parser = parser;
    this.listParser = listParser;
    this.masked = masked;
  }

  private SettingType(String name, Function<String, T> parser) {
    this(name, parser, null, null);
  }

  /** How the docs name this type, e.g. {@code duration} or {@code skip, wait}. */
  public String name() {
    return name;
  }

  T parse(String text) {
    return parser.apply(text);
  }

  T parseList(List<?> items) {
    if (listParser == null) {
      throw BadValue.of("expected a single value, found a list");
    }
    return listParser.apply(items);
  }

  /** What {@code parklake config} shows of a secret of this type: never its value. */
  @SuppressWarnings("unchecked")
  String masked(Object value) {
    return masked == null ? "****" : masked.apply((T) value);
  }

  static final SettingType<String> STRING = new SettingType<>("string", s -> s);

  static final SettingType<Boolean> BOOLEAN = new SettingType<>("true, false", s -> switch (s.toLowerCase(Locale.ROOT)) {
    case "true" -> true;
    case "false" -> false;
    default -> throw BadValue.of(s, "is not true or false");
  });

  static final SettingType<Integer> PORT = new SettingType<>("port", s -> {
    int n = wholeNumber(s);
    if (n < 0 || n > 65535) {
      throw new BadValue("must be a TCP port (0-65535), was " + n, "must be a TCP port (0-65535)");
    }
    return n;
  });

  static SettingType<Integer> integer(int minimum) {
    return new SettingType<>("whole number >= " + minimum, s -> {
      int n = wholeNumber(s);
      if (n < minimum) {
        throw new BadValue("must be at least " + minimum + ", was " + n, "must be at least " + minimum);
      }
      return n;
    });
  }

  /** A non-negative ISO-8601 duration such as {@code PT1H}. */
  static final SettingType<Duration> DURATION = new SettingType<>("duration", s -> {
    Duration d;
    try {
      d = Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw BadValue.of(s, "is not an ISO-8601 duration such as PT1H or PT30M");
    }
    return nonNegative(d);
  });

  /**
   * A non-negative ISO-8601 duration ({@code PT36H}, {@code P1DT12H}) or a period of days or weeks
   * ({@code P90D}, {@code P12W}); months and years are refused, having no fixed length.
   */
  static final SettingType<Duration> PERIOD_OR_DURATION = new SettingType<>("period or duration", s -> {
    try {
      return nonNegative(Duration.parse(s));
    } catch (DateTimeParseException notDuration) {
      Period p;
      try {
        p = Period.parse(s);
      } catch (DateTimeParseException e) {
        throw BadValue.of(s, "is not an ISO-8601 period or duration such as P90D, P12W or PT36H");
      }
      if (p.getYears() != 0 || p.getMonths() != 0) {
        throw BadValue.of(s, "has months or years, which have no fixed length: give days or weeks, such as P90D or P12W");
      }
      return nonNegative(Duration.ofDays(p.getDays()));
    }
  });

  /** A positive ISO-8601 period such as {@code P2Y}, {@code P18M} or {@code P30D}. */
  static final SettingType<Period> PERIOD = new SettingType<>("period", s -> {
    Period p;
    try {
      p = Period.parse(s);
    } catch (DateTimeParseException e) {
      throw BadValue.of(s, "is not an ISO-8601 period such as P2Y, P18M or P30D");
    }
    if (p.isNegative() || p.isZero()) {
      throw BadValue.of(s, "must be a positive period");
    }
    return p;
  });

  /** An S3 storage class. */
  static final SettingType<String> STORAGE_CLASS = new SettingType<>("S3 storage class", s -> {
    String upper = s.toUpperCase(Locale.ROOT);
    if (!io.parklake.pipelines.archive.ArchivePolicy.STORAGE_CLASSES.contains(upper)) {
      throw BadValue.of(s, "is not an S3 storage class (" + String.join(", ",
          new java.util.TreeSet<>(io.parklake.pipelines.archive.ArchivePolicy.STORAGE_CLASSES)) + ")");
    }
    return upper;
  });

  static final SettingType<ZoneId> ZONE = new SettingType<>("time zone", s -> {
    try {
      return ZoneId.of(s);
    } catch (DateTimeException e) {
      throw BadValue.of(s, "is not a time zone such as Europe/Berlin");
    }
  });

  /** One of an enum's constants, written in lower case (any case is accepted). */
  static <E extends Enum<E>> SettingType<E> oneOf(Class<E> type) {
    String names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
    return new SettingType<>(names, s -> {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(s)) {
          return e;
        }
      }
      throw BadValue.of(s, "is not one of " + names);
    });
  }

  static final SettingType<String> JDBC_URL = new SettingType<>("PostgreSQL JDBC URL", s -> {
    if (!s.startsWith("jdbc:postgresql:")) {
      throw BadValue.of(s, "is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
    }
    return s;
  });

  static final SettingType<String> HTTP_URL = new SettingType<>("http(s) URL", s -> {
    if (!s.startsWith("http://") && !s.startsWith("https://")) {
      throw BadValue.of(s, "is not an http(s) URL");
    }
    return s;
  });

  /** A file system path; a relative one is relative to the working directory. */
  static final SettingType<Path> PATH = new SettingType<>("path", s -> {
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw BadValue.of(s, "is not a path (" + e.getReason() + ")");
    }
  });

  static final SettingType<String> BUCKET = new SettingType<>("S3 bucket name", s -> {
    if (!s.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw BadValue.of(s, "is not a valid S3 bucket name");
    }
    return s;
  });

  /** A lower-case PostgreSQL schema name, or {@code none}. */
  static final SettingType<String> SCHEMA = new SettingType<>("schema name or none", s -> {
    if (!s.matches("[a-z_][a-z0-9_]{0,57}")) {
      throw BadValue.of(s, "is not a lower-case PostgreSQL schema name (or none)");
    }
    return s;
  });

  /** A Quartz cron expression: seconds first, e.g. {@code 0 0 2 * * ?} for 02:00 every day. */
  static final SettingType<String> CRON = new SettingType<>("Quartz cron", s -> {
    if (!CronExpression.isValidExpression(s)) {
      throw BadValue.of(s, "is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week,"
          + " e.g. '0 0 2 * * ?' for 02:00 every day)" + cronProblem(s));
    }
    return s;
  });

  private static final Set<String> TOKEN_FIELDS = Set.of("name", "role", "salt", "sha256");

  /**
   * Bearer tokens: {@code name:role:salt:sha256hex,...} as one string, or in YAML a list of maps with
   * those four fields. Shown masked as {@code name:role:****}.
   */
  static final SettingType<List<Token>> TOKENS = new SettingType<>("token list", s -> {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    for (String spec : s.split(",")) {
      tokens.add(token(++i, spec));
    }
    return List.copyOf(tokens);
  }, items -> {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    for (Object item : items) {
      i++;
      if (item instanceof String spec) {
        tokens.add(token(i, spec));
      } else if (item instanceof Map<?, ?> fields) {
        tokens.add(token(i, fields));
      } else {
        throw BadValue.of("token " + i + ": expected {name, role, salt, sha256}");
      }
    }
    return List.copyOf(tokens);
  }, tokens -> tokens.isEmpty() ? "(none)" : tokens.stream().map(Token::toString).collect(Collectors.joining(", ")));

  private static Token token(int i, String spec) {
    try {
      return Token.parse(spec);
    } catch (IllegalArgumentException e) {
      throw BadValue.of("token " + i + ": " + e.getMessage());
    }
  }

  private static Token token(int i, Map<?, ?> fields) {
    for (Object k : fields.keySet()) {
      if (!TOKEN_FIELDS.contains(String.valueOf(k))) {
        throw BadValue.of("token " + i + ": unknown field '" + k + "' (a token has name, role, salt, sha256)");
      }
    }
    String name = field(i, fields, "name");
    String salt = field(i, fields, "salt");
    String sha = field(i, fields, "sha256");
    Role role;
    try {
      role = Role.parse(field(i, fields, "role"));
    } catch (IllegalArgumentException e) {
      throw BadValue.of("token " + i + ": " + e.getMessage());
    }
    if (!sha.matches("[0-9a-fA-F]{64}")) {
      throw BadValue.of("token " + i + ": sha256 is not 64 hex digits");
    }
    return new Token(name, role, salt, sha.toLowerCase(Locale.ROOT));
  }

  private static String field(int i, Map<?, ?> fields, String name) {
    Object v = fields.get(name);
    if (!(v instanceof String s) || s.isBlank()) {
      throw BadValue.of("token " + i + ": " + name + (v == null ? " is missing" : " must be a single value"));
    }
    return s.trim();
  }

  private static String cronProblem(String s) {
    try {
      new CronExpression(s);
      return "";
    } catch (java.text.ParseException e) {
      return e.getMessage() == null ? "" : ": " + e.getMessage();
    }
  }

  private static int wholeNumber(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw BadValue.of(s, "is not a whole number");
    }
  }

  private static Duration nonNegative(Duration d) {
    if (d.isNegative()) {
      throw new BadValue("must not be negative, was " + d, "must not be negative");
    }
    return d;
  }
}
