package io.parklake.jobs.cli;

import io.parklake.jobs.batch.BatchContext;
import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import java.util.concurrent.Callable;
import org.springframework.batch.core.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parklake restart <execution>}: resumes a failed run where it stopped. */
@Command(
    name = "restart",
    mixinStandardHelpOptions = true,
    description = {
      "Restart a failed or stopped job execution: every step runs again doing only what failed (the tables, the "
          + "marts owed, the reports not rendered - for a range, only the failed dates' reports), then the verdict.",
      "Execution ids are printed by 'run' and listed by 'status'. Running the job again for the same dates "
          + "converges to the same lake too: unfinished extraction batches are resumed either way."
    })
public class RestartCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Parameters(index = "0", paramLabel = "<execution>", description = "the execution id to restart")
  long executionId;

  @Option(names = "--json", description = "print the outcome as one JSON object")
  boolean json;

  public RestartCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings());
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      long t0 = System.nanoTime();
      JobExecution execution = new JobRunner(ctx).restart(executionId);
      RunCommand.print(execution, "(restart of " + executionId + ")", (System.nanoTime() - t0) / 1e9, cli, json);
      return JobRunner.succeeded(execution) ? 0 : 1;
    }
  }
}
