package io.parklake.jobs.batch;

import org.springframework.batch.core.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code rebuild-marts}: recomputes every gold mart from everything silver holds and replaces each
 * whole, for when a mart's definition changed or its table was lost. The nightly's incremental refresh
 * gives the same rows; the date is the as-of date of the customer models and forecasts.
 */
@Configuration
public class RebuildMartsJobConfiguration {
  public static final String JOB = "rebuild-marts";

  @Bean(JOB)
  Job rebuildMarts(JobRepository repository, PipelineSteps steps) {
    return new JobBuilder(JOB, repository)
        .start(steps.rebuildMarts("rebuild-marts.marts"))
        .next(steps.publish("rebuild-marts.publish"))
        .next(steps.verdict("rebuild-marts.verdict"))
        .build();
  }
}
