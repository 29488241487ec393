package io.parklake.jobs.batch;

import io.parklake.pipelines.extract.ExtractStats;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.item.ExecutionContext;

/**
 * What a job's steps hand to each other, kept in the job's {@link ExecutionContext} (persisted in
 * the job repository, so a restarted execution sees what its completed steps found): the business
 * dates each table's extraction touched and the source instant it extracted up to. Values are plain
 * strings so the repository's serializer needs no type allow-list.
 */
final class RunState {
  static final String DATE = "date";

  private final ChunkContext chunk;

  RunState(ChunkContext chunk) {
    this.chunk = chunk;
  }

  LocalDate date() {
    Object d = chunk.getStepContext().getJobParameters().get(DATE);
    if (d == null) {
      throw new IllegalArgumentException("job parameter 'date' is missing");
    }
    return d instanceof LocalDate ld ? ld : LocalDate.parse(d.toString());
  }

  String runId() {
    JobExecution job = chunk.getStepContext().getStepExecution().getJobExecution();
    return job.getJobInstance().getJobName() + "-" + job.getId();
  }

  private ExecutionContext context() {
    return chunk.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
  }

  void recordExtraction(ExtractStats stats) {
    addAffected(stats.table(), stats.affectedDates());
    context().putString("high." + stats.table(), stats.high().toString());
  }

  void addAffected(String table, Collection<LocalDate> dates) {
    SortedSet<LocalDate> all = affected(table);
    all.addAll(dates);
    context().putString("affected." + table, all.stream().map(LocalDate::toString).collect(Collectors.joining(",")));
  }

  SortedSet<LocalDate> affected(String table) {
    String v = context().getString("affected." + table, "");
    return v.isEmpty() ? new TreeSet<>()
        : Arrays.stream(v.split(",")).map(LocalDate::parse).collect(Collectors.toCollection(TreeSet::new));
  }

  Instant high(String table) {
    String v = context().getString("high." + table, null);
    return v == null ? null : Instant.parse(v);
  }

  void note(String key, String value) {
    chunk.getStepContext().getStepExecution().getExecutionContext().putString(key, value);
  }
}
