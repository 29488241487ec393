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
 * A table, mart or report that fails fails alone: what depends on it is skipped, every step still
 * runs, and the last step ({@link PipelineSteps#verdict}) ends the run FAILED naming each.
 */
@Configuration
public class NightlyJobConfiguration {
  public static final String JOB = "nightly";
  public static final String DATE = RunState.DATE;

  @Bean
  Job nightly(JobRepository repository, PipelineSteps steps) {
    return new JobBuilder(JOB, repository)
        .start(steps.extract("nightly.extract"))
        .next(steps.deletes("nightly.deletes"))
        .next(steps.reconcile("nightly.reconcile"))
        .next(steps.marts("nightly.marts", true))
        .next(steps.publish("nightly.publish"))
        .next(steps.report("nightly.report"))
        .next(steps.maintenance("nightly.maintenance"))
        .next(steps.verdict("nightly.verdict"))
        .build();
  }
}
