package io.parklake.jobs.cli;

import io.parklake.jobs.config.Configuration;
import io.parklake.jobs.config.ParkLakeSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a command sees of the outside world: environment variables, the configuration file given with
 * {@code --config} (set while the command line is parsed), and the two output streams.
 */
public final class CliEnvironment {
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private Path configFile;

  public CliEnvironment(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = Objects.requireNonNull(env);
    this.out = out;
    this.err = err;
  }

  public Map<String, String> env() {
    return env;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  /** The file given with {@code --config}; empty: {@code $PARKLAKE_HOME/application.yml} if present. */
  public Optional<Path> configFile() {
    return Optional.ofNullable(configFile);
  }

  void useConfigFile(Path file) {
    this.configFile = file;
  }

  /** Every setting's effective value and origin. */
  public Configuration configuration() {
    return Configuration.load(env, configFile());
  }

  public ParkLakeSettings settings() {
    return ParkLakeSettings.from(configuration());
  }
}
