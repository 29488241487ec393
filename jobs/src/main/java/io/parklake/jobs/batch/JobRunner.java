package io.parklake.jobs.batch;

import io.parklake.jobs.config.UserError;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Launches and restarts jobs through Spring Batch, recording them in the job repository. One job at
 * a time works on a lake: a PostgreSQL advisory lock on the metadata database is held while a job
 * runs, and a second launch fails at once instead of interleaving with it.
 */
public final class JobRunner {
  private static final String LOCK = RunLeases.LOCK;

  private final ConfigurableApplicationContext context;
  private final ParkLakeRuntime runtime;

  public JobRunner(ConfigurableApplicationContext context) {
    this.context = context;
    this.runtime = context.getBean(ParkLakeRuntime.class);
  }

  public List<String> jobNames() {
    return java.util.Arrays.stream(context.getBeanNamesForType(Job.class)).sorted().toList();
  }

  public JobExecution run(String jobName, LocalDate date) throws Exception {
    Job job = job(jobName);
    JobParameters params = new JobParametersBuilder()
        .addLocalDate(NightlyJobConfiguration.DATE, date)
        // Every launch is its own instance: rerunning a completed date is a normal, safe operation.
        .addString("launch", UUID.randomUUID().toString())
        .toJobParameters();
    return launch(job, params);
  }

  /**
   * Launches {@code jobName} once over the business dates {@code from}..{@code to}: a backfill is one
   * execution, not one per date (see {@link RunRange}). Parameter {@code date} is {@code to}, the
   * run's as-of date (what status and restart show), {@code from} and {@code to} the range; a range of
   * one day is {@link #run(String, LocalDate)}. Jobs where a range means nothing refuse it.
   */
  public JobExecution run(String jobName, LocalDate from, LocalDate to) throws Exception {
    RunRange range = new RunRange(from, to);
    if (!range.isRange()) {
      return run(jobName, to);
    }
    Job job = job(jobName);
    range.checkJob(jobName);
    JobParameters params = new JobParametersBuilder()
        .addLocalDate(NightlyJobConfiguration.DATE, to)
        .addLocalDate(RunState.FROM, from)
        .addLocalDate(RunState.TO, to)
        .addString("launch", UUID.randomUUID().toString())
        .toJobParameters();
    return launch(job, params);
  }

  /** Restarts a failed or stopped execution: the same job instance, resuming at the step that failed. */
  public JobExecution restart(long executionId) throws Exception {
    JobExecution previous = context.getBean(JobExplorer.class).getJobExecution(executionId);
    if (previous == null) {
      throw new UserError("<execution>", "no job execution " + executionId + " (see ./parklake status)");
    }
    BatchStatus status = previous.getStatus();
    if (status != BatchStatus.FAILED && status != BatchStatus.STOPPED && status != BatchStatus.UNKNOWN) {
      throw new UserError("<execution>", "execution " + executionId + " is " + status + "; only FAILED or STOPPED ones restart");
    }
    return launch(job(previous.getJobInstance().getJobName()), previous.getJobParameters());
  }

  private Job job(String jobName) {
    if (!context.containsBean(jobName) || !(context.getBean(jobName) instanceof Job job)) {
      throw new UserError("job", "unknown job '" + jobName + "' (known: " + String.join(", ", jobNames()) + ")");
    }
    return job;
  }

  private JobExecution launch(Job job, JobParameters params) throws Exception {
    try (Connection c = runtime.meta().open()) {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
        lock.setString(1, LOCK);
        try (ResultSet r = lock.executeQuery()) {
          r.next();
          if (!r.getBoolean(1)) {
            throw new IllegalStateException("another ParkLake job is running on this lake; try again when it ends");
          }
        }
      }
      // What JobLauncher.run does, with the lease taken between creating the execution and running it:
      // the lease names this lock connection, so the execution counts as running exactly while it is held.
      job.getJobParametersValidator().validate(params);
      JobExecution execution = context.getBean(JobRepository.class).createJobExecution(job.getName(), params);
      try {
        RunLeases.take(c, execution.getId());
        job.execute(execution);
        return execution;
      } finally {
        RunLeases.release(c, execution.getId());
        try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
          unlock.setString(1, LOCK);
          unlock.execute();
        }
      }
    }
  }

  public static boolean succeeded(JobExecution execution) {
    return execution.getStatus() == BatchStatus.COMPLETED;
  }

  /**
   * A one-line reason for a failed execution: each failed step with the first line of its failure;
   * a run whose parts failed names every failed table, mart or report and its cause.
   */
  public static String failure(JobExecution execution) {
    List<String> parts = new java.util.ArrayList<>();
    for (var step : execution.getStepExecutions()) {
      for (Throwable t : step.getFailureExceptions()) {
        parts.add(t instanceof PartialFailure ? firstLine(t) : step.getStepName() + ": " + firstLine(t));
      }
    }
    for (Throwable t : execution.getFailureExceptions()) {
      parts.add(firstLine(t));
    }
    if (parts.isEmpty()) {
      return execution.getExitStatus().getExitDescription();
    }
    return String.join("; ", parts);
  }

  private static String firstLine(Throwable t) {
    // Spark puts whole stack traces into messages: keep the first line, and not too much of it.
    String first = String.valueOf(t.getMessage()).lines().findFirst().orElse("").strip();
    if (first.length() > 2000) {
      first = first.substring(0, 2000) + "...";
    }
    return t instanceof PartialFailure ? first : t.getClass().getSimpleName() + ": " + first;
  }
}
