package io.parklake.jobs.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.jobs.batch.RunRange;
import io.parklake.jobs.benchmark.BackfillBenchmark.Result;
import io.parklake.jobs.benchmark.BackfillBenchmark.Timed;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The figures the benchmark prints: the range against one nightly, and against one nightly per date. */
class BackfillBenchmarkPrintTest {
  private static final LocalDate FIRST = LocalDate.of(2026, 11, 3);
  private static final LocalDate LAST = LocalDate.of(2026, 12, 2);

  @Test
  void the_range_is_compared_with_one_nightly_and_with_one_nightly_per_date() throws Exception {
    Timed load = timed("first load (nightly, the whole history)", RunRange.of(FIRST.minusDays(1)), 300.0);
    Timed nightly = timed("one nightly", RunRange.of(FIRST), 60.0);
    Timed range = new Timed("range run (one execution)", new RunRange(FIRST, LAST), 3, "COMPLETED", 150.0,
        steps(150.0), "64 report(s); as-of marts: 29 date(s), 70.0 s");
    Result r = new Result(20000, FIRST.minusDays(10), LAST, load, nightly, range,
        List.of(timed("single nightly", RunRange.of(FIRST), 55.0), timed("single nightly", RunRange.of(LAST), 65.0)));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BackfillBenchmark.print(r, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("range run / one nightly: 2.50 (aim: at most 2) - 2026-11-03..2026-12-02 (30 dates); "
        + "64 report(s); as-of marts: 29 date(s), 70.0 s");
    assertThat(out).contains("one nightly per date of the range: 2 runs, 120.0 s in all (60.0 s each on average); "
        + "the range run takes 125.0% of that");
    assertThat(out.lines().filter(l -> l.startsWith("one nightly ")).findFirst().orElseThrow())
        .contains("2026-11-03", "60.0", "30.0");
    assertThat(BackfillBenchmark.json(r)).contains("\"range_over_nightly\":2.5", "\"singles_seconds\":120.0");
  }

  private static Timed timed(String what, RunRange range, double seconds) {
    return new Timed(what, range, 1, "COMPLETED", seconds, steps(seconds), "");
  }

  private static Map<String, Double> steps(double total) {
    Map<String, Double> steps = new LinkedHashMap<>();
    steps.put("extract", total * 0.2);
    steps.put("marts", total * 0.5);
    steps.put("report", total * 0.3);
    return steps;
  }
}
