package io.parklake.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.jobs.batch.BatchContext;
import io.parklake.jobs.batch.HourlyJobConfiguration;
import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.batch.NightlyJobConfiguration;
import io.parklake.jobs.batch.RebuildMartsJobConfiguration;
import io.parklake.jobs.batch.RunRange;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.UserError;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.reports.catalog.Reports;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParameter;
import org.springframework.batch.core.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parklake run <job>}: runs a job for a date or, as a backfill, once over a range of dates. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a job for a business date, or once over a range of dates (a backfill).",
      "Jobs: hourly (extract what changed since each table's watermark, reconcile, refresh touched marts); "
          + "nightly (the same plus hard-delete detection, the reports due for the date and lake maintenance); "
          + "rebuild-marts (recompute every mart from all of silver); archive (every month past its table's age on the date "
          + "goes to the archive bucket, is verified by reading it back, then purged from the lake; ./parklake archive "
          + "finds and retrieves it).",
      "A range (nightly --from D1 --to D2) is ONE run, one job execution: extract once, scan for hard deletes once "
          + "(the delete window before D1 through D2), reconcile once, refresh the mart partitions of every date of the "
          + "range and of every date the changes touch once (the marts replaced whole once, as of D2), publish once, "
          + "render the reports due on each date (the daily ones for every date, the weekly ones for each Sunday, the "
          + "monthly ones for each month's last day; an earlier date's from the customer and forecast marts as of that "
          + "date), compact and vacuum once. The lake and reports are those of one nightly per date. hourly and "
          + "rebuild-marts take no range.",
      "Rerunning is always safe: extraction resumes unfinished batches and every write is idempotent. "
          + "A table, mart or report that fails fails alone: what reads it is skipped, the rest completes, and the run "
          + "ends FAILED naming each (a range's reports with their dates); ./parklake restart <execution> (or the next "
          + "run) redoes only those.",
      "Prints one line (one JSON object with --json) for the run. Exit code 0 when it completed, 1 when it failed, "
          + "2 on bad usage or configuration."
    })
public class RunCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Parameters(index = "0", paramLabel = "<job>", description = "hourly, nightly, rebuild-marts or archive")
  String job;

  @Option(names = "--date", description = "business date (default: yesterday, UTC)")
  LocalDate date;

  @Option(names = "--from", description = "first date of a backfill (nightly only)")
  LocalDate from;

  @Option(names = "--to", description = "last date of a backfill (inclusive): the as-of date of the run")
  LocalDate to;

  @Option(names = "--dry-run", description = "print what the run would do, run nothing")
  boolean dryRun;

  @Option(names = "--json", description = "print the run's outcome as one JSON object on stdout")
  boolean json;

  public RunCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    RunRange range = range(date, from, to);
    range.checkJob(job);
    if (dryRun) {
      plan(job, range, cli.settings()).forEach(cli.out()::println);
      return 0;
    }
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings());
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      if (io.parklake.jobs.batch.ArchiveJobConfiguration.JOB.equals(job)) {
        rt.archiveBucket(); // an unreachable S3 or a missing bucket fails in seconds, naming the setting
      }
      return run(new JobRunner(ctx), job, range, cli, json) ? 0 : 1;
    }
  }

  /** Runs {@code job} once for {@code range} (one execution however many dates); prints one line (or JSON). */
  static boolean run(JobRunner runner, String job, RunRange range, CliEnvironment cli, boolean json) throws Exception {
    if (range.isRange()) {
      cli.err().println("parklake: " + job + ": one run over " + range.label() + ", as of " + range.to());
    }
    long t0 = System.nanoTime();
    JobExecution execution = range.isRange() ? runner.run(job, range.from(), range.to()) : runner.run(job, range.to());
    print(execution, "", (System.nanoTime() - t0) / 1e9, cli, json);
    return JobRunner.succeeded(execution);
  }

  /** One line (or one JSON object) for an execution on stdout; {@code note} follows the dates, e.g. "(restart of 41)". */
  static void print(JobExecution execution, String note, double seconds, CliEnvironment cli, boolean json) throws Exception {
    RunRange range = rangeOf(execution);
    if (json) {
      cli.out().println(new ObjectMapper().writeValueAsString(summary(execution, range, seconds)));
    } else {
      cli.out().printf("%s %s%s: %s in %.1f s (execution %d)%s%n", execution.getJobInstance().getJobName(), range.label(),
          note.isEmpty() ? "" : " " + note, execution.getStatus(), seconds, execution.getId(),
          JobRunner.succeeded(execution) ? "" : " - " + JobRunner.failure(execution));
      for (var step : execution.getStepExecutions()) {
        String frozen = step.getExecutionContext().getString(io.parklake.jobs.batch.PipelineSteps.FROZEN_NOTE, "");
        if (!frozen.isEmpty()) {
          cli.out().printf("  %s: %s%n", step.getStepName(), frozen);
        }
      }
    }
  }

  /** The dates an execution covers, from its job parameters ({@code date}, and {@code from} for a range). */
  static RunRange rangeOf(JobExecution execution) {
    LocalDate to = localDate(execution.getJobParameters().getParameters().get("date"));
    LocalDate first = localDate(execution.getJobParameters().getParameters().get("from"));
    return new RunRange(first == null ? to : first, to);
  }

  private static LocalDate localDate(JobParameter<?> p) {
    if (p == null) {
      return null;
    }
    return p.getValue() instanceof LocalDate d ? d : LocalDate.parse(p.getValue().toString());
  }

  static RunRange range(LocalDate date, LocalDate from, LocalDate to) {
    if (date != null && (from != null || to != null)) {
      throw new UserError("--date", "give either --date or --from/--to, not both");
    }
    if ((from == null) != (to == null)) {
      throw new UserError(from == null ? "--from" : "--to", "a backfill needs both --from and --to");
    }
    if (from == null) {
      return RunRange.of(date != null ? date : LocalDate.now(ZoneOffset.UTC).minusDays(1));
    }
    return new RunRange(from, to);
  }

  /** What {@code --dry-run} prints: the one run, step by step. */
  static List<String> plan(String job, RunRange range, ParkLakeSettings settings) {
    List<String> out = new ArrayList<>();
    out.add("would run " + job + " once (one job execution) for " + range.label() + (range.isRange() ? ", as of " + range.to() : "")
        + ":");
    String marts = range.isRange()
        ? "every mart: the partitions of " + range.from() + ".." + range.to() + " and of every date the changes touch, once; "
            + "the marts replaced whole (customer, forecast) once, as of " + range.to()
        : "every mart: the partitions of " + range.to() + " and of every date the changes touch";
    switch (job) {
      case NightlyJobConfiguration.JOB -> {
        out.add("  extract      every source table's changes since its watermark");
        out.add("  deletes      hard-delete scan of business dates "
            + range.from().minusDays(settings.extraction().deleteWindowDays()) + ".." + range.to());
        out.add("  reconcile    every extracted table on the dates it touched");
        out.add("  marts        " + marts);
        out.add("  publish      " + (settings.publishing().enabled() ? "every gold mart to schema " + settings.publishing().schema()
            : "nothing (" + ParkLakeSettings.MART_SCHEMA + "=none)"));
        out.add("  report       " + reports(range));
        Map<LocalDate, List<String>> asOf = range.asOfMarts();
        if (!asOf.isEmpty()) {
          Map<String, Integer> perMart = new LinkedHashMap<>();
          asOf.values().forEach(ms -> ms.forEach(m -> perMart.merge(m, 1, Integer::sum)));
          List<String> parts = new ArrayList<>();
          perMart.forEach((m, n) -> parts.add(m + " (" + n + " date" + (n == 1 ? "" : "s") + ")"));
          out.add("               computed again as of an earlier date for its reports: " + String.join(", ", parts));
        }
        out.add("  maintenance  compact and vacuum every lake table");
      }
      case HourlyJobConfiguration.JOB -> {
        out.add("  extract      every source table's changes since its watermark");
        out.add("  reconcile    every extracted table on the dates it touched");
        out.add("  marts        the hourly marts of every date the changes touch");
      }
      case RebuildMartsJobConfiguration.JOB -> {
        out.add("  marts        every mart recomputed from all of silver, as of " + range.to());
        out.add("  publish      " + (settings.publishing().enabled() ? "every gold mart to schema " + settings.publishing().schema()
            : "nothing (" + ParkLakeSettings.MART_SCHEMA + "=none)"));
      }
      case io.parklake.jobs.batch.ArchiveJobConfiguration.JOB -> {
        for (var p : settings.archive().policies().values()) {
          out.add(String.format("  archive      %-11s months before %s (age %s, by %s%s) -> s3://%s/, %s%s; verify; purge the lake%s",
              p.table().tableName(), p.firstKeptMonth(range.to()), p.age(), p.agingLabel(),
              p.rowFilter() == null ? "" : ", rows where " + p.rowFilter().replace("t.", ""), settings.archive().bucket(),
              p.storageClass(), p.lockRetention().map(l -> ", Object Lock " + l).orElse(""),
              p.purgeSource() ? " and the source" : ""));
        }
      }
      default -> out.add("  (unknown job: './parklake jobs' lists them)");
    }
    out.add("  verdict      the run ends FAILED naming every table, mart and report that failed, if any");
    return out;
  }

  /** {@code 65 report(s): daily_operations x30 (2026-10-01..2026-10-30), weekly_revenue x4 (2026-W40..2026-W43), ...}. */
  private static String reports(RunRange range) {
    Map<String, List<String>> periods = new LinkedHashMap<>();
    int n = 0;
    for (List<Reports.Due> due : range.reportsDue().values()) {
      for (Reports.Due d : due) {
        periods.computeIfAbsent(d.report().name(), k -> new ArrayList<>()).add(d.period().label());
        n++;
      }
    }
    if (n == 0) {
      return "none due";
    }
    List<String> parts = new ArrayList<>();
    periods.forEach((report, labels) -> parts.add(report + (labels.size() == 1 ? " " + labels.get(0)
        : " x" + labels.size() + " (" + labels.get(0) + ".." + labels.get(labels.size() - 1) + ")")));
    return n + " report(s): " + String.join(", ", parts);
  }

  private static Map<String, Object> summary(JobExecution e, RunRange range, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job", e.getJobInstance().getJobName());
    m.put("date", range.to().toString());
    if (range.isRange()) {
      m.put("from", range.from().toString());
      m.put("to", range.to().toString());
      m.put("dates", range.dates().size());
    }
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
