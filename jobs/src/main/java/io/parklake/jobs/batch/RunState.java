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
  /** The first and last date of a range (a backfill); {@link #DATE} is then the last. */
  static final String FROM = "from";
  static final String TO = "to";

  private final ChunkContext chunk;

  RunState(ChunkContext chunk) {
    this.chunk = chunk;
  }

  /** The business date the run is for; for a range its last date, the as-of date of the marts. */
  LocalDate date() {
    LocalDate d = parameter(DATE);
    if (d == null) {
      throw new IllegalArgumentException("job parameter 'date' is missing");
    }
    return d;
  }

  /** The dates the run covers: {@code from..date} for a range, else the one date. */
  java.util.List<LocalDate> dates() {
    LocalDate from = parameter(FROM);
    return (from == null ? RunRange.of(date()) : new RunRange(from, date())).dates();
  }

  private LocalDate parameter(String name) {
    Object d = chunk.getStepContext().getJobParameters().get(name);
    return d == null ? null : d instanceof LocalDate ld ? ld : LocalDate.parse(d.toString());
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
    return dates("affected." + table);
  }

  Instant high(String table) {
    String v = context().getString("high." + table, null);
    return v == null ? null : Instant.parse(v);
  }

  /** The items (tables, reports) a step finished in an earlier execution of this job instance. */
  java.util.Set<String> done(String step) {
    return list("done." + step);
  }

  void markDone(String step, String item) {
    java.util.Set<String> all = done(step);
    all.add(item);
    context().putString("done." + step, String.join("\n", all));
  }

  /** What failed in {@code step} the last time it ran: item → one-line cause. */
  java.util.Map<String, String> failures(String step) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (String line : list("failed." + step)) {
      int tab = line.indexOf('\t');
      out.put(line.substring(0, tab), line.substring(tab + 1));
    }
    return out;
  }

  void setFailures(String step, java.util.Map<String, String> failures) {
    context().putString("failed." + step, failures.entrySet().stream()
        .map(e -> e.getKey() + "\t" + e.getValue().replaceAll("\\s+", " ")).collect(Collectors.joining("\n")));
  }

  /** Whether {@code step} already ran once in this job instance (so a rerun is a restart's retry). */
  boolean attempted(String step) {
    return context().containsKey("attempted." + step);
  }

  void markAttempted(String step) {
    context().putString("attempted." + step, "true");
  }

  /** Dates of {@code table} that the marts already consumed in an earlier attempt of this instance. */
  SortedSet<LocalDate> consumed(String table) {
    return dates("consumed." + table);
  }

  void markConsumed(String table, Collection<LocalDate> dates) {
    SortedSet<LocalDate> all = consumed(table);
    all.addAll(dates);
    context().putString("consumed." + table, all.stream().map(LocalDate::toString).collect(Collectors.joining(",")));
  }

  /** Marts the last marts attempt did not refresh (failed or skipped): reports reading them are skipped. */
  java.util.Set<String> unavailableMarts() {
    return list("marts.unavailable");
  }

  void setUnavailableMarts(Collection<String> marts) {
    context().putString("marts.unavailable", String.join("\n", marts));
  }

  private java.util.Set<String> list(String key) {
    String v = context().getString(key, "");
    return v.isEmpty() ? new java.util.TreeSet<>() : new java.util.TreeSet<>(Arrays.asList(v.split("\n")));
  }

  private SortedSet<LocalDate> dates(String key) {
    String v = context().getString(key, "");
    return v.isEmpty() ? new TreeSet<>()
        : Arrays.stream(v.split(",")).map(LocalDate::parse).collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Records the one-line failure of {@code step}'s parts (null: none), replacing what an earlier
   * attempt recorded; {@link PipelineSteps#verdict} fails the run when any is left.
   */
  void partial(String step, String line) {
    if (line == null) {
      context().remove("failure." + step);
    } else {
      context().putString("failure." + step, line);
      note("failures", line);
    }
  }

  String failureLine(String step) {
    return context().getString("failure." + step, null);
  }

  /** Whether marts were refreshed since the last complete publish (a fresh run always publishes). */
  boolean unpublished() {
    return !"true".equals(context().getString("published", "false"));
  }

  void markUnpublished() {
    context().putString("published", "false");
  }

  void markPublished(boolean all) {
    context().putString("published", String.valueOf(all));
  }

  void note(String key, String value) {
    chunk.getStepContext().getStepExecution().getExecutionContext().putString(key, value);
  }
}
