package io.parklake.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.jobs.batch.BatchContext;
import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.config.UserError;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parklake run <job>}: runs a job for a date or, as a backfill, for each date of a range. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a job for a business date, or for each date of a range (a backfill).",
      "Jobs: hourly (extract what changed since each table's watermark, reconcile, refresh touched marts); "
          + "nightly (the same plus hard-delete detection, the daily report for the date and lake maintenance); rebuild-marts (recompute every mart from all of silver). "
          + "Rerunning is always safe: extraction resumes unfinished batches and every write is idempotent. "
          + "A table, mart or report that fails fails alone: what reads it is skipped, the rest completes, and the run "
          + "ends FAILED naming each; a restart (or the next run) redoes only those. "
          + "Exit code 0 when every run completed, 1 at the first failed run (restart it with ./parklake restart <id>)."
    })
public class RunCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Parameters(index = "0", paramLabel = "<job>", description = "hourly, nightly or rebuild-marts")
  String job;

  @Option(names = "--date", description = "business date (default: yesterday, UTC)")
  LocalDate date;

  @Option(names = "--from", description = "first date of a backfill")
  LocalDate from;

  @Option(names = "--to", description = "last date of a backfill (inclusive)")
  LocalDate to;

  @Option(names = "--dry-run", description = "print what would run, run nothing")
  boolean dryRun;

  @Option(names = "--json", description = "print one JSON object per run on stdout")
  boolean json;

  public RunCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    List<LocalDate> dates = dates(date, from, to);
    if (dryRun) {
      cli.out().println("would run " + job + " for " + dates.size() + " date(s): " + dates.get(0)
          + (dates.size() > 1 ? " .. " + dates.get(dates.size() - 1) : ""));
      return 0;
    }
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings());
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      JobRunner runner = new JobRunner(ctx);
      return runDates(runner, job, dates, cli, json) ? 0 : 1;
    }
  }

  /** Runs {@code job} for each date in order, stopping at the first failure; prints one line (or JSON) per run. */
  static boolean runDates(JobRunner runner, String job, List<LocalDate> dates, CliEnvironment cli, boolean json)
      throws Exception {
    int i = 0;
    for (LocalDate d : dates) {
      i++;
      long t0 = System.nanoTime();
      JobExecution execution = runner.run(job, d);
      print(execution, d, "[" + i + "/" + dates.size() + "]", (System.nanoTime() - t0) / 1e9, cli, json);
      if (!JobRunner.succeeded(execution)) {
        return false;
      }
    }
    return true;
  }

  /** One line (or one JSON object) per execution on stdout. */
  static void print(JobExecution execution, LocalDate d, String position, double seconds, CliEnvironment cli, boolean json)
      throws Exception {
    if (json) {
      cli.out().println(new ObjectMapper().writeValueAsString(summary(execution, d, seconds)));
    } else {
      cli.out().printf("%s %s %s: %s in %.1f s (execution %d)%s%n", execution.getJobInstance().getJobName(), d, position,
          execution.getStatus(), seconds, execution.getId(),
          JobRunner.succeeded(execution) ? "" : " - " + JobRunner.failure(execution));
    }
  }

  static List<LocalDate> dates(LocalDate date, LocalDate from, LocalDate to) {
    if (date != null && (from != null || to != null)) {
      throw new UserError("--date", "give either --date or --from/--to, not both");
    }
    if ((from == null) != (to == null)) {
      throw new UserError(from == null ? "--from" : "--to", "a backfill needs both --from and --to");
    }
    if (from == null) {
      return List.of(date != null ? date : LocalDate.now(ZoneOffset.UTC).minusDays(1));
    }
    if (to.isBefore(from)) {
      throw new UserError("--to", to + " is before --from " + from);
    }
    List<LocalDate> dates = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      dates.add(d);
    }
    return dates;
  }

  private static Map<String, Object> summary(JobExecution e, LocalDate d, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job", e.getJobInstance().getJobName());
    m.put("date", d.toString());
    m.put("executionId", e.getId());
    m.put("status", e.getStatus().toString());
    m.put("seconds", Math.round(seconds * 10) / 10.0);
    List<Map<String, Object>> steps = new ArrayList<>();
    for (StepExecution s : e.getStepExecutions()) {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("step", s.getStepName());
      sm.put("status", s.getStatus().toString());
      sm.put("read", s.getReadCount());
      sm.put("written", s.getWriteCount());
      s.getExecutionContext().entrySet().stream().filter(entry -> entry.getKey().startsWith("summary") || entry.getKey().startsWith("deleted."))
          .forEach(entry -> sm.put(entry.getKey(), String.valueOf(entry.getValue())));
      steps.add(sm);
    }
    m.put("steps", steps);
    if (!JobRunner.succeeded(e)) {
      m.put("error", JobRunner.failure(e));
    }
    return m;
  }
}
