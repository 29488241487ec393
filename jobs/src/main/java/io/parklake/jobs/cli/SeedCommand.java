package io.parklake.jobs.cli;

import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.UserError;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SeedSummary;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SyntheticSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parklake seed}: writes synthetic operator data into the source database. */
@Command(
    name = "seed",
    mixinStandardHelpOptions = true,
    description = {
      "Write realistic synthetic operator data into the source database.",
      "The source is embedded unless PARKLAKE_SOURCE_URL is set. Writes facilities in several cities and time zones, "
          + "users, vehicles, bookings with daily and weekly seasonality, payments with failures and refunds, "
          + "subscriptions, violations, camera entry/exit events and audit logs, loaded with COPY. "
          + "The same --seed, --bookings, --days and --start always give the same rows."
    })
public class SeedCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Option(names = "--bookings", required = true, description = "number of bookings to write")
  long bookings;

  @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--days", defaultValue = "30", description = "local days the bookings span (default ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--start", description = "first day (default: --days days before today, UTC)")
  LocalDate start;

  @Option(names = "--reset", description = "drop and recreate the embedded source schema first")
  boolean reset;

  public SeedCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    SeedOptions options = options(bookings, seed, days, start);
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
      SeedSummary summary = seed(rt, options, reset, cli.err());
      cli.out().println("seeded " + summary.rows("bookings") + " bookings, " + summary.rows("payments") + " payments, "
          + summary.rows("parking_events") + " camera events (" + summary.totalRows() + " rows) into " + rt.source());
      return 0;
    }
  }

  static SeedOptions options(long bookings, long seed, int days, LocalDate start) {
    try {
      return new SeedOptions(bookings, seed, days, start != null ? start : LocalDate.now(ZoneOffset.UTC).minusDays(days));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** Creates the operator schema if needed and loads the synthetic data, reporting progress on {@code err}. */
  static SeedSummary seed(ParkLakeRuntime rt, SeedOptions options, boolean reset, PrintStream err) throws SQLException {
    DatabaseAddress db = rt.source();
    if (reset) {
      if (!rt.settings().embeddedSource()) {
        throw new UserError(ParkLakeSettings.SOURCE_URL,
            "--reset only drops the embedded source; refusing to drop tables in a configured database");
      }
      try (Connection c = db.open();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA public CASCADE");
        s.execute("CREATE SCHEMA public");
      }
    }
    SourceSchema.migrate(db);
    try (Connection c = db.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM bookings")) {
      r.next();
      if (r.getLong(1) > 0) {
        throw new UserError("source " + db + " already holds " + r.getLong(1)
            + " bookings; seed an empty database" + (rt.settings().embeddedSource() ? " (or add --reset)" : ""));
      }
    }
    long t0 = System.nanoTime();
    long step = Math.max(1, options.bookings() / 10);
    long[] next = {step};
    err.printf("seed: %d bookings over %d days from %s (seed %d)%n", options.bookings(), options.days(), options.start(),
        options.seed());
    SeedSummary summary = new SyntheticSource(options).writeTo(db, written -> {
      if (written >= next[0] || written == options.bookings()) {
        err.printf("seed: %,d / %,d bookings (%d%%) %.1f s%n", written, options.bookings(), 100 * written / options.bookings(),
            (System.nanoTime() - t0) / 1e9);
        next[0] = (written / step + 1) * step;
      }
    });
    err.printf("seed: %,d rows in %.1f s%n", summary.totalRows(), (System.nanoTime() - t0) / 1e9);
    return summary;
  }
}
