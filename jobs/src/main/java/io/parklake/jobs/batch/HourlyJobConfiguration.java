package io.parklake.jobs.batch;

import org.springframework.batch.core.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code hourly}: extract what changed since each table's watermark, reconcile the touched days and
 * refresh the marts of the dates whose payments changed. No delete scan, report or maintenance:
 * those are the nightly's.
 */
@Configuration
public class HourlyJobConfiguration {
  public static final String JOB = "hourly";

  @Bean
  Job hourly(JobRepository repository, PipelineSteps steps) {
    return new JobBuilder(JOB, repository)
        .start(steps.extract("hourly.extract"))
        .next(steps.reconcile("hourly.reconcile"))
        .next(steps.marts("hourly.marts", false))
        .next(steps.verdict("hourly.verdict"))
        .build();
  }
}
