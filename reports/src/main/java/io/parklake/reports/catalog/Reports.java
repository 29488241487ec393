package io.parklake.reports.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Every report definition on the classpath, by name. */
public final class Reports {
  private Reports() {}

  public static List<Report> all() {
    List<Report> reports = new ArrayList<>();
    ServiceLoader.load(Report.class).forEach(reports::add);
    reports.sort(Comparator.comparing(Report::name));
    return reports;
  }

  /** A report and the period to render it for. */
  public record Due(Report report, Period period) {}

  /**
   * What the nightly for business date {@code day} renders: every daily report for the day, every
   * weekly report when the day ends an ISO week (a Sunday: the Monday-morning run), every monthly
   * report when it ends a month (the run on the 1st).
   */
  public static List<Due> dueAfter(java.time.LocalDate day) {
    List<Due> due = new ArrayList<>();
    for (Report r : all()) {
      Period p = Period.of(r.periodKind(), day);
      if (p.end().equals(day)) {
        due.add(new Due(r, p));
      }
    }
    return due;
  }

  /** The report called {@code name}; the message lists the known ones. */
  public static Report named(String name) {
    return all().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "unknown report '" + name + "' (known: " + String.join(", ", all().stream().map(Report::name).toList()) + ")"));
  }
}
