package io.parklake.reports.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report definition: one business audience, one period kind, the gold marts it reads, and how it
 * turns them into {@link ReportContent}. A new report is one class implementing this, listed in
 * {@code META-INF/services/io.parklake.reports.catalog.Report}; {@link Reports} finds it and
 * {@link ReportRenderer} writes it to Excel, CSV, HTML and the reports bucket.
 */
public interface Report {

  /** Folder and command name, e.g. {@code daily_operations}. */
  String name();

  String title();

  Period.Kind periodKind();

  /** Gold marts it reads; a missing one makes the report fail naming it. */
  List<String> marts();

  ReportContent build(ReportSource source, Period period);

  /**
   * The contents of several periods at once (a backfill renders a daily report for each of its
   * dates), each equal to {@link #build} of that period alone, in the order given. By default each
   * period is built in turn. A Spark query costs tenths of a second whatever the size of these small
   * tables, so a report with many periods to render overrides this to ask each query once for all of
   * them and split the rows by period (and builds one period through it, so both are one code path).
   */
  default Map<Period, ReportContent> buildAll(ReportSource source, List<Period> periods) {
    Map<Period, ReportContent> out = new LinkedHashMap<>();
    for (Period p : periods) {
      out.put(p, build(source, p));
    }
    return out;
  }
}
