package io.parklake.jobs.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective value of every {@link SettingRegistry setting} and where it came from: an environment
 * variable overrides {@code application.yml}, which overrides the default. A value given as blank counts
 * as not given. Every value is checked against its setting's type, including file values an
 * environment variable overrides, and a file key that names no setting fails; errors are
 * {@link UserError}s naming the environment variable, or the key with its file and line, and never
 * quote a secret.
 */
public final class Configuration {
  /** The file read from the home folder when no {@code --config} is given. */
  public static final String FILE_NAME = "application.yml";

  /** Where a value came from. */
  public sealed interface Origin {
    /** {@code default}, {@code file <path>} or {@code env <VARIABLE>}. */
    String describe();
  }

  public record Default() implements Origin {
    @Override
    public String describe() {
      return "default";
    }
  }

  public record FromFile(Path file, int line) implements Origin {
    @Override
    public String describe() {
      return "file " + file;
    }
  }

  public record FromEnv(String variable) implements Origin {
    @Override
    public String describe() {
      return "env " + variable;
    }
  }

  /**
   * One setting's effective value: typed (null when unset), as written, and its origin.
   * {@link #display()} is what may be shown of it: a secret is masked.
   */
  public record Value(Setting<?> setting, Object value, String text, Origin origin) {
    public boolean isSet() {
      return value != null;
    }

    /** The value as written, a secret masked ({@code ****}), or null when unset. */
    public String display() {
      if (value == null) {
        return null;
      }
      return setting.secret() ? setting.type().masked(value) : text;
    }
  }

  private final Optional<Path> file;
  private final Map<Setting<?>, Value> values;

  private Configuration(Optional<Path> file, Map<Setting<?>, Value> values) {
    this.file = file;
    this.values = values;
  }

  /**
   * The environment over {@code configFile} when given (it must exist), else over
   * {@code $PARKLAKE_HOME/application.yml} when there is one, over the defaults.
   */
  public static Configuration load(Map<String, String> env, Optional<Path> configFile) {
    if (configFile.isPresent()) {
      return resolve(env, Optional.of(ConfigFile.read(configFile.get())));
    }
    Path home = fromEnvironment(env).get(SettingRegistry.HOME).toAbsolutePath().normalize();
    Path inHome = home.resolve(FILE_NAME);
    if (!Files.isRegularFile(inHome)) {
      return fromEnvironment(env);
    }
    ConfigFile f = ConfigFile.read(inHome);
    Configuration c = resolve(env, Optional.of(f));
    ConfigFile.Entry homeEntry = f.entries().get(SettingRegistry.HOME.key());
    if (homeEntry != null && homeEntry.value() instanceof String h
        && !Path.of(h.trim()).toAbsolutePath().normalize().equals(home)) {
      // The file was found through the home: letting it move the home would make it a redirect.
      throw new UserError(label(SettingRegistry.HOME, new FromFile(f.path(), homeEntry.line())),
          "names another folder than the home this file is in (" + home + "); set PARKLAKE_HOME, or give the"
              + " file with --config");
    }
    return c;
  }

  /** Fails naming {@code file} when it is missing or not a readable file. */
  public static void requireFile(Path file) {
    ConfigFile.requireReadable(file);
  }

  /** The environment over the defaults, no file. */
  public static Configuration fromEnvironment(Map<String, String> env) {
    return resolve(env, Optional.empty());
  }

  /** Every default. */
  public static Configuration defaults() {
    return fromEnvironment(Map.of());
  }

  private static Configuration resolve(Map<String, String> env, Optional<ConfigFile> file) {
    Map<String, ConfigFile.Entry> entries = file.map(ConfigFile::entries).orElse(Map.of());
    for (ConfigFile.Entry e : entries.values()) {
      boolean emptySection = e.value() == null && SettingRegistry.isSection(e.key());
      if (SettingRegistry.byKey(e.key()).isEmpty() && !emptySection) {
        throw new UserError(label(e.key(), new FromFile(file.get().path(), e.line())),
            "unknown setting (" + SettingRegistry.hint(e.key()) + ")");
      }
    }
    Map<Setting<?>, Value> values = new LinkedHashMap<>();
    for (Setting<?> s : SettingRegistry.all()) {
      ConfigFile.Entry e = entries.get(s.key());
      Value fromFile = e == null || e.value() == null ? null
          : parse(s, e.value(), new FromFile(file.get().path(), e.line()));
      String fromEnv = blankToNull(env.get(s.env()));
      Value v;
      if (fromEnv != null) {
        v = parse(s, fromEnv, new FromEnv(s.env()));
      } else if (fromFile != null) {
        v = fromFile;
      } else {
        v = new Value(s, s.defaultValue().orElse(null), s.defaultText(), new Default());
      }
      values.put(s, v);
    }
    return new Configuration(file.map(ConfigFile::path), Collections.unmodifiableMap(values));
  }

  private static Value parse(Setting<?> s, Object written, Origin origin) {
    try {
      if (written instanceof List<?> items) {
        return new Value(s, s.type().parseList(items), null, origin);
      }
      String text = ((String) written).trim();
      if (text.isEmpty()) {
        return null;
      }
      return new Value(s, s.type().parse(text), text, origin);
    } catch (BadValue e) {
      throw new UserError(label(s, origin), e.message(s.secret()));
    }
  }

  /** The file read, if any. */
  public Optional<Path> file() {
    return file;
  }

  /** Every setting's value, in the registry's order. */
  public List<Value> values() {
    return new ArrayList<>(values.values());
  }

  public Value value(Setting<?> s) {
    return values.get(s);
  }

  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Setting<T> s) {
    return Optional.ofNullable((T) values.get(s).value());
  }

  /** The value of a setting that has a default. */
  public <T> T get(Setting<T> s) {
    return find(s).orElseThrow(() -> new IllegalStateException(s.key() + " has no value"));
  }

  public Origin origin(Setting<?> s) {
    return values.get(s).origin();
  }

  /** How an error names the setting: its variable, or its key and where in the file. */
  public String label(Setting<?> s) {
    return label(s, origin(s));
  }

  /** The error for {@code missing} being unset although {@code because} is set. */
  public UserError notSet(Setting<?> missing, Setting<?> because) {
    String name = origin(because) instanceof FromEnv ? missing.env() : missing.key();
    return new UserError(name, "is not set (needed because " + label(because) + " is set)");
  }

  private static String label(Setting<?> s, Origin origin) {
    return origin instanceof FromEnv e ? e.variable() : label(s.key(), origin);
  }

  private static String label(String key, Origin origin) {
    return origin instanceof FromFile f ? key + " (" + f.file() + ":" + f.line() + ")" : key;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
