package io.parklake.jobs.cli;

import io.parklake.jobs.config.UserError;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.reports.catalog.Period;
import io.parklake.reports.catalog.Report;
import io.parklake.reports.catalog.ReportRenderer;
import io.parklake.reports.catalog.ReportSource;
import io.parklake.reports.catalog.Reports;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parklake report <name> --date D | --week W | --period P}: renders one report for one period. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Render a report from the gold marts for one period: an Excel workbook (cover with the headline figures, a sheet "
          + "per table, native charts), a CSV per table and an HTML page with PNG/SVG charts, swapped atomically into "
          + "PARKLAKE_HOME/reports/<report>/<period>/ with a manifest (sizes, SHA-256), then uploaded to the reports "
          + "bucket under the same keys; reports/index.html lists every report and period.",
      "Without a name: the reports there are. The nightly renders the daily reports for its date, the weekly ones "
          + "when the date is a Sunday and the monthly ones on a month's last day."
    })
public class ReportCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<report>", description = "daily_operations, weekly_revenue, "
      + "monthly_executive or forecast_accuracy")
  String name;

  @Option(names = "--date", description = "a day, for daily reports (default: yesterday, UTC)")
  LocalDate date;

  @Option(names = "--week", description = "an ISO week, e.g. 2026-W43, for weekly reports")
  String week;

  @Option(names = "--period", description = "any period: 2026-11-21, 2026-W43 or 2026-10")
  String periodText;

  public ReportCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    if (name == null) {
      for (Report r : Reports.all()) {
        cli.out().printf("%-20s %-6s %s (reads %s)%n", r.name(), r.periodKind().name().toLowerCase(), r.title(),
            String.join(", ", r.marts()));
      }
      return 0;
    }
    Report report;
    try {
      report = Reports.named(name);
    } catch (IllegalArgumentException e) {
      throw new UserError("<report>", e.getMessage());
    }
    Period period = period(report);
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
      ReportRenderer.Rendered r;
      try {
        r = ReportRenderer.render(report, period, new ReportSource(rt.spark(), rt.lake()), rt.reportsDir(), Instant.now(),
            rt.reportStore());
      } catch (IllegalStateException e) {
        throw new UserError("<report>", e.getMessage());
      }
      cli.out().println(report.name() + " " + period.label() + ": " + r.dir());
      cli.out().println("  workbook: " + r.workbook());
      cli.out().println("  page:     " + r.page());
      cli.out().println("  index:    " + rt.reportsDir().resolve("index.html"));
      cli.out().println("  S3:       s3://" + rt.reportStore().bucket() + "/" + report.name() + "/" + period.label() + "/");
      return 0;
    }
  }

  private Period period(Report report) {
    int given = (date != null ? 1 : 0) + (week != null ? 1 : 0) + (periodText != null ? 1 : 0);
    if (given > 1) {
      throw new UserError("--period", "give one of --date, --week or --period");
    }
    Period p;
    try {
      if (periodText != null) {
        p = Period.parse(periodText);
      } else if (week != null) {
        p = Period.parse(week);
        if (p.kind() != Period.Kind.WEEK) {
          throw new UserError("--week", "'" + week + "' is not an ISO week such as 2026-W43");
        }
      } else {
        LocalDate d = date != null ? date : LocalDate.now(ZoneOffset.UTC).minusDays(1);
        p = Period.of(report.periodKind(), d);
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(periodText != null ? "--period" : "--week", e.getMessage());
    }
    if (p.kind() != report.periodKind()) {
      throw new UserError("--period", report.name() + " is rendered per " + report.periodKind().name().toLowerCase()
          + "; " + p.label() + " is a " + p.kind().name().toLowerCase());
    }
    return p;
  }
}
