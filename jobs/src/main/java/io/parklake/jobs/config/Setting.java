package io.parklake.jobs.config;

import java.util.Optional;

/**
 * One declared setting: its key in {@code application.yml} (dotted, e.g. {@code source.url}), the
 * environment variable that overrides it, its type, its default as written ({@code null}: unset), whether
 * it is a secret (never printed, never quoted in an error), and a one-line doc. {@link SettingRegistry}
 * holds them all; the docs, {@code --help}, {@code parklake config} and validation all read them from there.
 */
public record Setting<T>(String key, String env, SettingType<T> type, String defaultText, boolean secret, String doc) {

  public Setting {
    if (!key.matches("[a-z0-9-]+(\\.[a-z0-9-]+)*")) {
      throw new IllegalArgumentException("setting key " + key + " is not dotted lower-case words");
    }
    if (!env.matches("PARKLAKE_[A-Z0-9_]+")) {
      throw new IllegalArgumentException("setting " + key + ": environment variable " + env + " is not PARKLAKE_*");
    }
    if (defaultText != null) {
      try {
        type.parse(defaultText);
      } catch (BadValue e) {
        throw new IllegalArgumentException("setting " + key + ": default " + e.getMessage(), e);
      }
    }
  }

  /** The default, parsed; empty when the setting is unset by default. */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultText).map(type::parse);
  }
}
