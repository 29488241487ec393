package io.parklake.jobs.batch;

import org.springframework.batch.core.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code nightly} for a business date: extract every table's changes, detect hard deletes in the
 * delete window, reconcile the lake with the source, refresh the marts for every touched date and
 * the run date, publish them to PostgreSQL for BI tools, render and deliver the daily report, then compact and vacuum the lake.
 * Every step runs even when one before it partly failed (a failed table, mart or report fails alone
 * and what depends on it is skipped); the run then ends FAILED naming each, see {@link RunVerdict}.
 */
@Configuration
public class NightlyJobConfiguration {
  public static final String JOB = "nightly";
  public static final String DATE = RunState.DATE;

  @Bean
  Job nightly(JobRepository repository, PipelineSteps steps) {
    return new JobBuilder(JOB, repository)
        .start(RunVerdict.flow(JOB, steps.extract("nightly.extract"), steps.deletes("nightly.deletes"),
            steps.reconcile("nightly.reconcile"), steps.marts("nightly.marts", true), steps.publish("nightly.publish"),
            steps.report("nightly.report"), steps.maintenance("nightly.maintenance")))
        .end()
        .build();
  }
}
