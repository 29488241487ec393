package io.parklake.jobs.batch;

import io.parklake.jobs.config.UserError;
import io.parklake.reports.catalog.Reports;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The business dates one launch covers: one date, or a range {@code from..to} (a backfill), which
 * is one job execution over every date, never one execution per date. The last date is the run's
 * as-of date (job parameter {@code date}): the marts are refreshed once, as of it, and each date's
 * reports are rendered from the marts as they stood on that date.
 */
public record RunRange(LocalDate from, LocalDate to) {

  public RunRange {
    if (from == null || to == null) {
      throw new IllegalArgumentException("a run range needs both dates");
    }
    if (to.isBefore(from)) {
      throw new UserError("--to", to + " is before --from " + from);
    }
  }

  public static RunRange of(LocalDate date) {
    return new RunRange(date, date);
  }

  /** More than one date. */
  public boolean isRange() {
    return !from.equals(to);
  }

  public List<LocalDate> dates() {
    List<LocalDate> dates = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      dates.add(d);
    }
    return dates;
  }

  /** {@code 2026-11-21}, or {@code 2026-10-01..2026-10-30 (30 dates)}. */
  public String label() {
    return isRange() ? from + ".." + to + " (" + dates().size() + " dates)" : to.toString();
  }

  /**
   * Refuses a range for a job where it means nothing: {@code hourly} extracts what changed since
   * each table's watermark whatever the dates, and {@code rebuild-marts} recomputes every date silver
   * holds (its date is only the as-of date of the marts replaced whole). Other names pass, so that an
   * unknown job is reported as such by the launcher.
   */
  public void checkJob(String job) {
    if (!isRange()) {
      return;
    }
    if (HourlyJobConfiguration.JOB.equals(job)) {
      throw new UserError("--from", "hourly takes no range: it extracts what changed since each table's watermark, whatever "
          + "the dates; for a backfill run nightly --from " + from + " --to " + to);
    }
    if (ArchiveJobConfiguration.JOB.equals(job)) {
      throw new UserError("--from", "archive takes no range: it archives every month past its age on one date; give --date "
          + to);
    }
    if (RebuildMartsJobConfiguration.JOB.equals(job)) {
      throw new UserError("--from", "rebuild-marts takes no range: it recomputes every date silver holds; give --date "
          + to + " (the as-of date of the customer and forecast marts)");
    }
  }

  /** The reports a nightly over this range renders, date by date ({@link Reports#dueAfter}). */
  public Map<LocalDate, List<Reports.Due>> reportsDue() {
    Map<LocalDate, List<Reports.Due>> out = new LinkedHashMap<>();
    for (LocalDate d : dates()) {
      List<Reports.Due> due = Reports.dueAfter(d);
      if (!due.isEmpty()) {
        out.put(d, due);
      }
    }
    return out;
  }

  /**
   * For each date before the last whose due reports read marts replaced whole (customer, forecast):
   * those marts, which the range computes again as of that date for them ({@link AsOfMarts}).
   */
  public Map<LocalDate, List<String>> asOfMarts() {
    Map<LocalDate, List<String>> out = new LinkedHashMap<>();
    reportsDue().forEach((d, due) -> {
      List<String> marts = d.equals(to) ? List.of() : AsOfMarts.readBy(due.stream().map(Reports.Due::report).toList());
      if (!marts.isEmpty()) {
        out.put(d, marts);
      }
    });
    return out;
  }
}
