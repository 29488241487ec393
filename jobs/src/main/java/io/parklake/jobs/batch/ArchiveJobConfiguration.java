package io.parklake.jobs.batch;

import org.springframework.batch.core.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code archive}: for each table with a policy (archive.*), every month whose rows are past their
 * age on the run date goes to the archive bucket as a unit, is verified by reading it back, and only
 * then is purged from the lake (and, where the policy says so, from the source). A unit that fails
 * fails alone; the next run or a restart resumes every unit where it stopped.
 */
@Configuration
public class ArchiveJobConfiguration {
  public static final String JOB = "archive";

  @Bean(JOB)
  Job archive(JobRepository repository, PipelineSteps steps) {
    return new JobBuilder(JOB, repository)
        .start(steps.archive("archive.units"))
        .next(steps.verdict("archive.verdict"))
        .build();
  }
}
