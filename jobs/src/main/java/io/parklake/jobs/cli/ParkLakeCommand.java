package io.parklake.jobs.cli;

import io.parklake.jobs.config.SettingDocs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code parklake} command; the work is done by its subcommands. Its help footer lists every setting. */
@Command(
    name = "parklake",
    mixinStandardHelpOptions = true,
    version = "ParkLake 0.1.0",
    description = {
      "Batch analytics and reporting for parking operators: extracts the operator's PostgreSQL database into a "
          + "Delta Lake, computes marts with Spark SQL and renders reports.",
      "With no configuration it starts embedded PostgreSQL and S3 servers under PARKLAKE_HOME."
    })
public class ParkLakeCommand implements Runnable {
  @Spec CommandSpec spec;

  private final CliEnvironment cli;

  public ParkLakeCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Option(names = "--config", paramLabel = "F", scope = ScopeType.INHERIT,
      description = "configuration file (default: $PARKLAKE_HOME/application.yml when it exists)")
  void config(Path file) {
    cli.useConfigFile(file);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The help footer: where configuration comes from, every setting, exit codes. */
  public static String[] footer(int width) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Configuration: $PARKLAKE_HOME/application.yml or the --config file; an environment variable overrides the");
    lines.add("file, the file the default. 'parklake config' shows the effective values and where each comes from.");
    lines.add("Settings (environment variable, key in application.yml):");
    lines.addAll(SettingDocs.helpLines(width));
    lines.add("");
    lines.add("Exit codes: 0 success, 1 job or internal failure, 2 bad configuration or usage.");
    lines.add("Run 'parklake <command> --help' for a command's options.");
    // picocli reads the footer as format strings
    return lines.stream().map(l -> l.replace("%", "%%")).toArray(String[]::new);
  }
}
