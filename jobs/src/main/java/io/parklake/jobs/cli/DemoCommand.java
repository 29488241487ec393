package io.parklake.jobs.cli;

import io.parklake.jobs.batch.BatchContext;
import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.UserError;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.reports.catalog.Period;
import io.parklake.reports.catalog.Report;
import io.parklake.reports.catalog.ReportRenderer;
import io.parklake.reports.catalog.ReportSource;
import io.parklake.reports.catalog.Reports;
import io.parklake.warehouse.source.SeedOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parklake demo}: the whole pipeline on embedded services, from an empty home to reports. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline on embedded services, from seeded data to reports.",
      "Starts embedded PostgreSQL and S3, seeds synthetic operator data for the days up to yesterday, runs the "
          + "nightly job (which extracts the whole seeded history into the lake and refreshes the marts), renders the "
          + "daily reports of the last 7 days and the weekly and monthly reports of every seeded period, and prints where the lake, the reports and the S3 bucket are. "
          + "Starts from a clean demo state: the embedded source, the lake and the reports are recreated."
    })
public class DemoCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Option(names = "--bookings", defaultValue = "20000", description = "bookings to seed (default ${DEFAULT-VALUE})")
  long bookings;

  @Option(names = "--days", defaultValue = "30", description = "days to seed, ending yesterday (default ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  public DemoCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    ParkLakeSettings settings = cli.settings();
    if (!settings.embeddedSource()) {
      throw new UserError(ParkLakeSettings.SOURCE_URL,
          "the demo seeds and resets its own embedded database; unset PARKLAKE_SOURCE_URL to run it");
    }
    SeedOptions options = SeedCommand.options(bookings, seed, days, null);
    long t0 = System.nanoTime();
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(settings)) {
      cli.err().println("demo: home " + settings.home());
      deleteTree(settings.lakeDir());
      deleteTree(settings.reportsDir());
      SeedCommand.seed(rt, options, true, cli.err());
      List<LocalDate> dates = new ArrayList<>();
      for (LocalDate d = options.start(); d.isBefore(options.endExclusive()); d = d.plusDays(1)) {
        dates.add(d);
      }
      // One nightly for the last day extracts the whole seeded history (extraction follows watermarks,
      // not dates) and refreshes the marts of every touched date; the daily reports of the earlier
      // days are then rendered from those marts, as a backfill of reports would.
      LocalDate last = dates.get(dates.size() - 1);
      try (ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
        if (!RunCommand.run(new JobRunner(ctx), "nightly", io.parklake.jobs.batch.RunRange.of(last), cli, false)) {
          return 1;
        }
      }
      // The nightly rendered what is due for the last day; render the rest of the seeded window as a
      // reports backfill would: the daily operations report of the last week, every week and month.
      ReportSource source = new ReportSource(rt.spark(), rt.lake());
      java.util.Set<String> rendered = new java.util.HashSet<>();
      for (Reports.Due due : Reports.dueAfter(last)) {
        rendered.add(due.report().name() + " " + due.period().label());
      }
      List<Reports.Due> backfill = new ArrayList<>();
      for (Report r : Reports.all()) {
        List<LocalDate> days = r.periodKind() == Period.Kind.DAY ? dates.subList(Math.max(0, dates.size() - 7), dates.size()) : dates;
        for (LocalDate d : days) {
          Period p = Period.of(r.periodKind(), d);
          if (rendered.add(r.name() + " " + p.label())) {
            backfill.add(new Reports.Due(r, p));
          }
        }
      }
      int i = 0;
      for (Reports.Due due : backfill) {
        ReportRenderer.render(due.report(), due.period(), source, rt.reportsDir(), java.time.Instant.now(), rt.reportStore());
        cli.err().printf("demo: report %d / %d: %s %s%n", ++i, backfill.size(), due.report().name(), due.period().label());
      }
      Path index = settings.reportsDir().resolve("index.html");
      cli.out().println();
      cli.out().printf("demo done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
      cli.out().println("  lake:     " + settings.lakeDir() + "  (bronze/, silver/, gold/ Delta tables)");
      cli.out().println("  reports:  " + settings.reportsDir() + "  (<report>/<period>/: xlsx, csv, html, charts, manifest)");
      cli.out().println("  S3:       s3://" + settings.reportsBucket() + "/ stored under "
          + rt.s3LocalRoot().map(p -> p.resolve(settings.reportsBucket()).toString()).orElse(rt.s3Endpoint()));
      cli.out().println("  marts:    schema " + settings.publishing().schema() + " in " + settings.publishing().database()
          .orElse(rt.meta()).url() + "  (./parklake marts lists them)");
      cli.out().println("  export:   ./parklake export revenue_daily --format csv --out revenue_daily.csv");
      cli.out().println("  open:     " + index);
      return 0;
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
