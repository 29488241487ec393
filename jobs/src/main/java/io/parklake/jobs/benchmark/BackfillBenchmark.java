package io.parklake.jobs.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.batch.RunRange;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;

/**
 * {@code parklake benchmark backfill}: on a lake loaded up to the day before a range, one nightly for
 * the range's first date against one nightly run over the whole range (a backfill: one execution),
 * and optionally against one nightly per date of the range (what a backfill was before). Each is
 * timed by the wall clock around the launch and per step from the job repository.
 */
public final class BackfillBenchmark {

  /** One timed launch: what it covered, its execution, the seconds in all and per step. */
  public record Timed(String what, RunRange range, long execution, String status, double seconds, Map<String, Double> steps,
      String note) {}

  /** Everything the command prints. {@code singles} is empty unless asked for. */
  public record Result(long bookings, LocalDate seededFrom, LocalDate seededTo, Timed load, Timed nightly, Timed range,
      List<Timed> singles) {

    public double ratio() {
      return range.seconds() / nightly.seconds();
    }

    public double singlesSeconds() {
      return singles.stream().mapToDouble(Timed::seconds).sum();
    }

    public boolean allCompleted() {
      List<Timed> all = new ArrayList<>(List.of(load, nightly, range));
      all.addAll(singles);
      return all.stream().allMatch(t -> t.status().equals("COMPLETED"));
    }
  }

  private final JobRunner runner;
  private final PrintStream progress;

  public BackfillBenchmark(JobRunner runner, PrintStream progress) {
    this.runner = runner;
    this.progress = progress;
  }

  /**
   * On a source seeded over {@code seededFrom..seededTo} and an empty lake: the nightly for the day
   * before the range (the first load of the whole history, timed but not compared), then one nightly
   * for the range's first date, then the range {@code rangeDays} days ending {@code seededTo} as one
   * run, then (when {@code singles}) one nightly per date of the range. Nothing is added to the source
   * in between, so every timed run extracts nothing new: the figures compare what the runs do with
   * the lake (marts, publish, reports, maintenance), which is what a backfill repeats.
   */
  public Result run(long bookings, LocalDate seededFrom, LocalDate seededTo, int rangeDays, boolean singles) throws Exception {
    RunRange range = new RunRange(seededTo.minusDays(rangeDays - 1L), seededTo);
    Timed load = timed("first load (nightly, the whole history)", RunRange.of(range.from().minusDays(1)));
    Timed nightly = timed("one nightly", RunRange.of(range.from()));
    Timed backfill = timed("range run (one execution)", range);
    List<Timed> each = new ArrayList<>();
    if (singles) {
      for (LocalDate d : range.dates()) {
        each.add(timed("single nightly", RunRange.of(d)));
      }
    }
    return new Result(bookings, seededFrom, seededTo, load, nightly, backfill, each);
  }

  private Timed timed(String what, RunRange range) throws Exception {
    progress.printf("benchmark backfill: %s %s ...%n", what, range.label());
    long t0 = System.nanoTime();
    JobExecution e = range.isRange() ? runner.run("nightly", range.from(), range.to()) : runner.run("nightly", range.to());
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> steps = new LinkedHashMap<>();
    String note = "";
    for (StepExecution s : e.getStepExecutions()) {
      String step = s.getStepName().substring(s.getStepName().indexOf('.') + 1);
      if (s.getStartTime() != null && s.getEndTime() != null) {
        steps.put(step, Duration.between(s.getStartTime(), s.getEndTime()).toMillis() / 1000.0);
      }
      if (step.equals("report")) {
        note = s.getWriteCount() + " report(s)" + (s.getExecutionContext().containsKey("summary.as_of")
            ? "; as-of marts: " + s.getExecutionContext().getString("summary.as_of") : "");
      }
    }
    Timed t = new Timed(what, range, e.getId(), e.getStatus().toString(), seconds, steps, note);
    progress.printf("benchmark backfill: %s %s: %s in %.1f s%s%n", what, range.label(), t.status(), seconds,
        JobRunner.succeeded(e) ? "" : " - " + JobRunner.failure(e));
    return t;
  }

  public static void print(Result r, PrintStream out) {
    out.printf(Locale.ROOT, "%nbackfill benchmark: %,d bookings seeded over %s..%s; every timed run extracts nothing new%n",
        r.bookings(), r.seededFrom(), r.seededTo());
    List<Timed> rows = new ArrayList<>(List.of(r.load(), r.nightly(), r.range()));
    List<String> steps = new ArrayList<>();
    rows.forEach(t -> t.steps().keySet().forEach(s -> {
      if (!steps.contains(s)) {
        steps.add(s);
      }
    }));
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-40s %-32s %9s", "run", "dates", "total s"));
    steps.forEach(s -> header.append(String.format(Locale.ROOT, " %11s", s)));
    out.println(header);
    for (Timed t : rows) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s %-32s %9.1f", t.what(), t.range().label(), t.seconds()));
      steps.forEach(s -> line.append(t.steps().containsKey(s) ? String.format(Locale.ROOT, " %11.1f", t.steps().get(s))
          : String.format(Locale.ROOT, " %11s", "")));
      out.println(line + (t.status().equals("COMPLETED") ? "" : "  " + t.status()));
    }
    out.printf(Locale.ROOT, "%nrange run / one nightly: %.2f (aim: at most 2) - %s; %s%n", r.ratio(),
        r.range().range().label(), r.range().note());
    if (!r.singles().isEmpty()) {
      out.printf(Locale.ROOT, "one nightly per date of the range: %d runs, %.1f s in all (%.1f s each on average); "
          + "the range run takes %.1f%% of that%n", r.singles().size(), r.singlesSeconds(), r.singlesSeconds() / r.singles().size(),
          100 * r.range().seconds() / r.singlesSeconds());
    }
  }

  public static String json(Result r) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bookings", r.bookings());
    m.put("seeded_from", r.seededFrom().toString());
    m.put("seeded_to", r.seededTo().toString());
    m.put("load", timed(r.load()));
    m.put("nightly", timed(r.nightly()));
    m.put("range", timed(r.range()));
    m.put("range_over_nightly", Math.round(r.ratio() * 100) / 100.0);
    if (!r.singles().isEmpty()) {
      m.put("singles_seconds", Math.round(r.singlesSeconds() * 10) / 10.0);
      m.put("singles", r.singles().stream().map(BackfillBenchmark::timed).toList());
    }
    return new ObjectMapper().writeValueAsString(m);
  }

  private static Map<String, Object> timed(Timed t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", t.range().from().toString());
    m.put("to", t.range().to().toString());
    m.put("execution", t.execution());
    m.put("status", t.status());
    m.put("seconds", Math.round(t.seconds() * 10) / 10.0);
    m.put("steps", t.steps());
    return m;
  }
}
