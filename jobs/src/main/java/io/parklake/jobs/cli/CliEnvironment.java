package io.parklake.jobs.cli;

import io.parklake.jobs.config.ParkLakeSettings;
import java.io.PrintStream;
import java.util.Map;

/** What a command sees of the outside world: environment variables and the two output streams. */
public record CliEnvironment(Map<String, String> env, PrintStream out, PrintStream err) {

  public ParkLakeSettings settings() {
    return ParkLakeSettings.fromEnvironment(env);
  }
}
