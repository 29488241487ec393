package io.parklake.jobs;

import io.parklake.jobs.cli.BenchmarkCommand;
import io.parklake.jobs.cli.CliEnvironment;
import io.parklake.jobs.cli.ClvCommand;
import io.parklake.jobs.cli.ConfigCommand;
import io.parklake.jobs.cli.DemoCommand;
import io.parklake.jobs.cli.MartsCommand;
import io.parklake.jobs.cli.ReportCommand;
import io.parklake.jobs.cli.ExportCommand;
import io.parklake.jobs.cli.ForecastCommand;
import io.parklake.jobs.cli.JobsCommand;
import io.parklake.jobs.cli.RestartCommand;
import io.parklake.jobs.cli.StatusCommand;
import io.parklake.jobs.cli.ParkLakeCommand;
import io.parklake.jobs.cli.RunCommand;
import io.parklake.jobs.cli.SeedCommand;
import io.parklake.jobs.config.Configuration;
import io.parklake.jobs.config.UserError;
import io.parklake.jobs.serve.ParentWatch;
import io.parklake.jobs.serve.ServeCommand;
import io.parklake.jobs.serve.TokenCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The {@code parklake} entry point: parses the command line, runs one command, maps failures to exit codes. */
public final class ParkLakeApplication {
  private static final Logger log = LoggerFactory.getLogger(ParkLakeApplication.class);

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  private static final int HELP_WIDTH = 110;

  private ParkLakeApplication() {}

  public static void main(String[] args) {
    ParentWatch.startIfAsked(System.getenv());
    int code = run(args, System.getenv(), System.out, System.err);
    System.exit(code);
  }

  /** Runs one command in this JVM; tests call this with their own environment and streams. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CliEnvironment cli = new CliEnvironment(env, out, err);
    CommandLine cmd = new CommandLine(new ParkLakeCommand(cli))
        .addSubcommand(new DemoCommand(cli))
        .addSubcommand(new SeedCommand(cli))
        .addSubcommand(new RunCommand(cli))
        .addSubcommand(new JobsCommand(cli))
        .addSubcommand(new StatusCommand(cli))
        .addSubcommand(new RestartCommand(cli))
        .addSubcommand(new io.parklake.jobs.cli.ArchiveCommand(cli))
        .addSubcommand(new ExportCommand(cli))
        .addSubcommand(new MartsCommand(cli))
        .addSubcommand(new ReportCommand(cli))
        .addSubcommand(new BenchmarkCommand(cli))
        .addSubcommand(new ServeCommand(cli))
        .addSubcommand(new TokenCommand(cli))
        // forecast and clv need no database, lake or Spark: they never open the runtime.
        .addSubcommand(new ForecastCommand(cli))
        .addSubcommand(ClvCommand.withSubcommands(cli))
        .addSubcommand(new ConfigCommand(cli));
    cmd.setUsageHelpWidth(HELP_WIDTH);
    cmd.getCommandSpec().usageMessage().footer(ParkLakeCommand.footer(HELP_WIDTH));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      UserError user = findUserError(e);
      if (user != null) {
        err.println("parklake: " + user.getMessage());
        return EXIT_USAGE;
      }
      log.error("{} failed", commandLine.getCommandName(), e);
      err.println("parklake: " + commandLine.getCommandName() + " failed: " + oneLine(e));
      return EXIT_FAILED;
    });
    cmd.setExecutionStrategy(parseResult -> {
      Integer help = CommandLine.executeHelpRequest(parseResult);
      if (help != null) {
        return help;
      }
      // A --config file that is not there fails every command, also those that read no setting.
      try {
        cli.configFile().ifPresent(Configuration::requireFile);
      } catch (UserError e) {
        throw new CommandLine.ExecutionException(cmd, e.getMessage(), e);
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    return cmd.execute(args);
  }

  private static UserError findUserError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UserError u) {
        return u;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    return m.replaceAll("\\s+", " ");
  }
}
