package io.parklake.jobs.batch;

import io.parklake.jobs.config.UserError;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.context.ConfigurableApplicationContext;

/** Launches a named job for one business date through Spring Batch, recording it in the job repository. */
public final class JobRunner {
  private final ConfigurableApplicationContext context;

  public JobRunner(ConfigurableApplicationContext context) {
    this.context = context;
  }

  public List<String> jobNames() {
    return List.of(context.getBeanNamesForType(Job.class));
  }

  public JobExecution run(String jobName, LocalDate date) throws Exception {
    if (!context.containsBean(jobName) || !(context.getBean(jobName) instanceof Job job)) {
      throw new UserError("job", "unknown job '" + jobName + "' (known: " + String.join(", ", jobNames()) + ")");
    }
    JobParameters params = new JobParametersBuilder()
        .addLocalDate(NightlyJobConfiguration.DATE, date)
        // Every launch is its own instance: rerunning a completed date is a normal, safe operation.
        .addString("launch", UUID.randomUUID().toString())
        .toJobParameters();
    return context.getBean(JobLauncher.class).run(job, params);
  }

  public static boolean succeeded(JobExecution execution) {
    return execution.getStatus() == BatchStatus.COMPLETED;
  }

  /** A one-line reason for a failed execution: the first failure's message. */
  public static String failure(JobExecution execution) {
    List<Throwable> failures = execution.getAllFailureExceptions();
    if (failures.isEmpty()) {
      return execution.getExitStatus().getExitDescription();
    }
    Throwable t = failures.get(0);
    // Spark puts whole stack traces into messages: keep the first line, and not too much of it.
    String first = String.valueOf(t.getMessage()).lines().findFirst().orElse("").strip();
    if (first.length() > 300) {
      first = first.substring(0, 300) + "...";
    }
    return t.getClass().getSimpleName() + ": " + first;
  }
}
