package io.parklake.reports.catalog;

import java.util.List;

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
}
