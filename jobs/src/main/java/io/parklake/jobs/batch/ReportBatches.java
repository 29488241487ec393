package io.parklake.jobs.batch;

import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.marts.Marts;
import io.parklake.reports.catalog.Period;
import io.parklake.reports.catalog.Report;
import io.parklake.reports.catalog.ReportContent;
import io.parklake.reports.catalog.ReportRenderer;
import io.parklake.reports.catalog.ReportSource;
import io.parklake.reports.catalog.Reports;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report step's work over a run's dates: the reports due after each date, rendered from where
 * that date's marts stand, in as few Spark queries as the reports allow. A Spark query costs tenths
 * of a second whatever the size of a report's small tables, so each report is built for all of its
 * periods at once ({@link Report#buildAll}) from one source:
 * <ol>
 *   <li>from gold: the last date's reports, and an earlier date's that read only date-partitioned
 *       marts (their rows do not depend on the as-of date);
 *   <li>from the marts replaced whole computed as of every earlier date in one go
 *       ({@link AsOfMarts#computeAtOnce}), when every such mart a report reads can be;
 *   <li>the rest date by date, from those marts as of that date ({@link AsOfMarts#compute}).
 * </ol>
 * Each report of each period fails alone (a build that fails fails the periods it was building);
 * one that reads a mart the run could not refresh, or whose as-of copy failed, is skipped naming it.
 */
final class ReportBatches {
  private static final Logger log = LoggerFactory.getLogger(ReportBatches.class);

  /** What the step did: labels rendered, labels not rendered with why, and the as-of work. */
  record Outcome(List<String> done, Map<String, String> failed, int asOfDates, double asOfSeconds) {}

  /** Called with each label rendered, so that a restart does not render it again. */
  interface Progress {
    void rendered(String label);
  }

  private final ParkLakeRuntime rt;
  private final Progress progress;
  private final List<String> done = new ArrayList<>();
  private final Map<String, String> failed = new LinkedHashMap<>();
  private int asOfDates;
  private double asOfSeconds;

  private ReportBatches(ParkLakeRuntime rt, Progress progress) {
    this.rt = rt;
    this.progress = progress;
  }

  /**
   * Renders {@code due} (every date's reports, not yet rendered, each reading marts this run
   * refreshed) for a run whose last date is {@code last}.
   */
  static Outcome render(ParkLakeRuntime rt, String runId, LocalDate last, Map<LocalDate, List<Reports.Due>> due,
      Progress progress) {
    ReportBatches b = new ReportBatches(rt, progress);
    // By report name: Reports.dueAfter loads new report instances for each date.
    Map<String, List<Reports.Due>> fromGold = new LinkedHashMap<>();
    Map<String, List<Reports.Due>> atOnce = new LinkedHashMap<>();
    Map<LocalDate, List<Reports.Due>> dateByDate = new TreeMap<>();
    Set<String> atOnceMarts = new LinkedHashSet<>();
    SortedSet<LocalDate> atOnceDates = new TreeSet<>();
    due.forEach((day, dues) -> {
      for (Reports.Due d : dues) {
        List<String> asOf = day.equals(last) ? List.of() : AsOfMarts.readBy(List.of(d.report()));
        if (asOf.isEmpty()) {
          fromGold.computeIfAbsent(d.report().name(), r -> new ArrayList<>()).add(d);
        } else if (AsOfMarts.computableAtOnce(asOf)) {
          atOnce.computeIfAbsent(d.report().name(), r -> new ArrayList<>()).add(d);
          atOnceMarts.addAll(asOf);
          atOnceDates.add(day);
        } else {
          dateByDate.computeIfAbsent(day, x -> new ArrayList<>()).add(d);
        }
      }
    });
    ReportSource gold = new ReportSource(rt.spark(), rt.lake());
    fromGold.forEach((report, dues) -> b.batch(dues.get(0).report(), dues, gold, r -> null));
    if (!atOnce.isEmpty()) {
      long t0 = System.nanoTime();
      List<String> marts = Marts.all().stream().map(m -> m.name()).filter(atOnceMarts::contains).toList();
      try (AsOfMarts asOf = AsOfMarts.computeAtOnce(rt, runId, atOnceDates, marts)) {
        b.asOfDates += atOnceDates.size();
        b.asOfSeconds += (System.nanoTime() - t0) / 1e9;
        ReportSource source = new ReportSource(rt.spark(), asOf.lake(), true);
        atOnce.forEach((report, dues) -> b.batch(dues.get(0).report(), dues, source, asOf::whyNot));
      }
    }
    int position = 0;
    for (Map.Entry<LocalDate, List<Reports.Due>> e : dateByDate.entrySet()) {
      position++;
      LocalDate day = e.getKey();
      List<Reports.Due> dues = e.getValue();
      log.info("reports of {} ({}/{}), from the marts as they stood on that date: {}", day, position, dateByDate.size(),
          String.join(", ", dues.stream().map(ReportBatches::label).toList()));
      long t0 = System.nanoTime();
      try (AsOfMarts asOf = AsOfMarts.compute(rt, runId, day, AsOfMarts.readBy(dues.stream().map(Reports.Due::report).toList()))) {
        b.asOfDates++;
        b.asOfSeconds += (System.nanoTime() - t0) / 1e9;
        ReportSource source = new ReportSource(rt.spark(), asOf.lake());
        for (Reports.Due d : dues) {
          b.batch(d.report(), List.of(d), source, asOf::whyNot);
        }
      }
    }
    return new Outcome(List.copyOf(b.done), new LinkedHashMap<>(b.failed), b.asOfDates, b.asOfSeconds);
  }

  /** Builds {@code report} for every period of {@code dues} at once from {@code source}, then writes each. */
  private void batch(Report report, List<Reports.Due> dues, ReportSource source, Function<Report, String> whyNot) {
    String blocked = whyNot.apply(report);
    if (blocked != null) {
      for (Reports.Due d : dues) {
        failed.put(label(d), "skipped: " + blocked);
        log.warn("report {}: skipped, it {}", label(d), blocked);
      }
      return;
    }
    List<Period> periods = dues.stream().map(Reports.Due::period).toList();
    if (periods.size() > 1) {
      log.info("report {}: building {} periods at once ({}..{})", report.name(), periods.size(), periods.get(0).label(),
          periods.get(periods.size() - 1).label());
    }
    Map<Period, ReportContent> contents;
    long t0 = System.nanoTime();
    try {
      ReportRenderer.check(report, periods, source);
      contents = report.buildAll(source, periods);
    } catch (Exception e) {
      log.error("report {}: FAILED for {} period(s) ({})", report.name(), periods.size(), Marts.oneLine(e), e);
      dues.forEach(d -> failed.put(label(d), Marts.oneLine(e)));
      return;
    }
    if (periods.size() > 1) {
      log.info("report {}: {} periods built in {} s", report.name(), periods.size(), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    }
    for (Reports.Due d : dues) {
      String label = label(d);
      try {
        // Tests fail a report for every period (report:<name>) or for one (report:<name>:<period>).
        rt.faults().reached("report:" + d.report().name());
        rt.faults().reached("report:" + d.report().name() + ":" + d.period().label());
        ReportRenderer.Rendered r = ReportRenderer.write(d.report(), d.period(), contents.get(d.period()), rt.reportsDir(),
            Instant.now(), rt.reportStore());
        log.info("report {} -> {} and s3://{}/{}/{}/", d.report().name(), r.dir(), rt.reportStore().bucket(),
            d.report().name(), d.period().label());
        done.add(label);
        progress.rendered(label);
      } catch (Exception e) {
        log.error("report {}: FAILED ({})", label, Marts.oneLine(e), e);
        failed.put(label, Marts.oneLine(e));
      }
    }
  }

  /** {@code daily_operations 2026-11-21}: how a report of a period is named in the run's state and messages. */
  static String label(Reports.Due due) {
    return due.report().name() + " " + due.period().label();
  }
}
