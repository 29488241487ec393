package io.parklake.jobs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code parklake jobs}: the jobs there are and what each does. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List the jobs and what each does.")
public class JobsCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  public JobsCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    cli.out().println("hourly   extract changes since each table's watermark -> reconcile -> refresh marts of touched dates");
    cli.out().println("nightly  extract -> detect hard deletes -> reconcile -> refresh marts -> publish marts to PostgreSQL -> reports due -> compact and vacuum");
    cli.out().println("rebuild-marts  recompute every gold mart from all of silver and replace each whole (same rows as the nightly path), publish");
    cli.out().println("archive  each table's months past their age (archive.*) -> archive bucket -> verified read-back -> purged from the lake (and the source where a policy says so)");
    cli.out().println();
    cli.out().println("Run one: ./parklake run <job> --date D   (or nightly --from D1 --to D2: a backfill, one run over the range)");
    return 0;
  }
}
