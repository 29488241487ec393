package io.parklake.jobs.batch;

import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.extract.DailyExtract;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Marts;
import io.parklake.reports.daily.RevenueDailyReport;
import io.parklake.reports.delivery.S3ReportStore;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code nightly}: for one local business date, extract bookings and payments into the lake, refresh
 * every gold mart for that date, then render the daily report and deliver it to the reports bucket.
 * Each step replaces exactly its date, so running a date again converges to the same lake.
 */
@Configuration
public class NightlyJobConfiguration {
  private static final Logger log = LoggerFactory.getLogger(NightlyJobConfiguration.class);

  public static final String JOB = "nightly";
  public static final String DATE = "date";

  @Bean
  Job nightly(JobRepository repository, Step nightlyExtract, Step nightlyMarts, Step nightlyReport) {
    return new JobBuilder(JOB, repository)
        .start(nightlyExtract)
        .next(nightlyMarts)
        .next(nightlyReport)
        .build();
  }

  @Bean
  Step nightlyExtract(JobRepository repository, PlatformTransactionManager tx, ParkLakeRuntime rt) {
    return new StepBuilder("extract", repository)
        .tasklet((contribution, chunk) -> {
          LocalDate date = date(chunk);
          Map<String, Long> counts = new DailyExtract(rt.spark(), rt.source(), rt.lake()).run(date, runId(chunk));
          long total = counts.values().stream().mapToLong(Long::longValue).sum();
          contribution.incrementWriteCount(total);
          chunk.getStepContext().getStepExecution().getExecutionContext().put("rows", counts.toString());
          return RepeatStatus.FINISHED;
        }, tx)
        .allowStartIfComplete(true)
        .build();
  }

  @Bean
  Step nightlyMarts(JobRepository repository, PlatformTransactionManager tx, ParkLakeRuntime rt) {
    return new StepBuilder("marts", repository)
        .tasklet((contribution, chunk) -> {
          LocalDate date = date(chunk);
          MartContext context = new MartContext(rt.spark(), rt.lake());
          for (Mart mart : Marts.all()) {
            contribution.incrementWriteCount(Marts.refresh(mart, context, date));
          }
          return RepeatStatus.FINISHED;
        }, tx)
        .allowStartIfComplete(true)
        .build();
  }

  @Bean
  Step nightlyReport(JobRepository repository, PlatformTransactionManager tx, ParkLakeRuntime rt) {
    return new StepBuilder("report", repository)
        .tasklet((StepContribution contribution, ChunkContext chunk) -> {
          LocalDate date = date(chunk);
          List<Path> files = RevenueDailyReport.render(rt.spark(), rt.lake(), date, rt.reportsDir());
          S3ReportStore store = rt.reportStore();
          for (Path f : files) {
            String key = date + "/" + f.getFileName();
            store.upload(f, key);
            log.info("report {} -> s3://{}/{}", f, store.bucket(), key);
          }
          contribution.incrementWriteCount(files.size());
          return RepeatStatus.FINISHED;
        }, tx)
        .allowStartIfComplete(true)
        .build();
  }

  private static LocalDate date(ChunkContext chunk) {
    Object d = chunk.getStepContext().getJobParameters().get(DATE);
    if (d == null) {
      throw new IllegalArgumentException("job parameter 'date' is missing");
    }
    return d instanceof LocalDate ld ? ld : LocalDate.parse(d.toString());
  }

  private static String runId(ChunkContext chunk) {
    return JOB + "-" + chunk.getStepContext().getStepExecution().getJobExecutionId();
  }
}
