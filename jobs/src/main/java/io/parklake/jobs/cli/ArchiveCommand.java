package io.parklake.jobs.cli;

import io.parklake.jobs.config.ArchiveSettings;
import io.parklake.jobs.config.UserError;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.archive.AccessLog;
import io.parklake.pipelines.archive.ArchiveCatalog;
import io.parklake.pipelines.archive.ArchiveRetrieval;
import io.parklake.pipelines.archive.ArchiveUnit;
import io.parklake.pipelines.archive.Archiver;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parklake archive ...}: what a compliance officer does with the archive. Every search,
 * retrieval, verification, hold and release is written to the hash-chained access log with who
 * asked (the OS user), why, and the hashes served.
 */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    subcommands = {ArchiveCommand.ListUnits.class, ArchiveCommand.Search.class, ArchiveCommand.Retrieve.class,
        ArchiveCommand.Verify.class, ArchiveCommand.Hold.class, ArchiveCommand.Release.class, ArchiveCommand.Holds.class,
        ArchiveCommand.Audit.class},
    description = {
      "Find, retrieve and prove archived records (written by ./parklake run archive).",
      "Searches read the catalogue's row index and never open an archive; retrieve downloads, checks every object's "
          + "SHA-256 against the catalogue and the manifest chain, and refuses when anything does not verify; verify "
          + "re-checks every unit and the whole chain. Every access is in the audit log (./parklake archive audit)."
    })
public class ArchiveCommand implements Runnable {
  final CliEnvironment cli;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  public ArchiveCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Who the access log records: serve passes the API token's configured name for the retrievals and
   * audits its callers start; a person at a shell is their OS user.
   */
  @Option(names = "--principal", hidden = true, description = "who asks, for the access log (set by serve; default: the OS user)")
  String principalOption;

  String principal() {
    if (principalOption != null && !principalOption.isBlank()) {
      return principalOption;
    }
    String user = cli.env().get("USER");
    return user != null && !user.isBlank() ? user : System.getProperty("user.name", "unknown");
  }

  static YearMonth month(String text, String option) {
    return ArchiveSettings.month(text, t -> new UserError(option, "'" + t + "' is not a month such as 2024-03"));
  }

  static String table(ArchiveSettings settings, String table) {
    return settings.tableOrNull(table);
  }

  /** What a search selects by: exactly one of these. */
  static final class Selector {
    @Option(names = "--user", description = "rows of this user_id") String user;
    @Option(names = "--booking", description = "rows of this booking_id (for bookings: the booking itself)") String booking;
    @Option(names = "--plate", description = "rows of this vehicle plate (bookings, violations)") String plate;
    @Option(names = "--key", description = "the row with this primary key") String key;

    String column() {
      return user != null ? "user_id" : booking != null ? "booking_id" : plate != null ? "plate_number" : "row_key";
    }

    String value() {
      return user != null ? user : booking != null ? booking : plate != null ? plate : key;
    }

    String describe() {
      return "--" + (user != null ? "user" : booking != null ? "booking" : plate != null ? "plate" : "key") + " " + value();
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List archive units: table, month, state, rows, money, storage class.")
  static class ListUnits implements Callable<Integer> {
    @ParentCommand ArchiveCommand parent;
    @Option(names = "--table", description = "one table (bookings, payments, violations, audit_logs)") String table;
    @Option(names = "--from", description = "first month, e.g. 2024-01") String from;
    @Option(names = "--to", description = "last month") String to;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
        List<ArchiveUnit> units = rt.archiveCatalog().units(table(rt.settings().archive(), table), month(from, "--from"),
            month(to, "--to"));
        cli.out().printf("%-28s %-13s %10s %10s  %-14s %-12s %s%n", "unit", "state", "rows", "versions", "money",
            "class", "manifest sha256");
        for (ArchiveUnit u : units) {
          cli.out().printf("%-28s %-13s %,10d %,10d  %-14s %-12s %s%n", u.unitId(), u.status(), u.rows(), u.versions(),
              u.money().isEmpty() ? "-" : String.join(" ", u.money().values().stream().map(java.math.BigDecimal::toPlainString).toList()),
              u.storageClass(), u.manifestSha256().substring(0, 16) + "...");
        }
        cli.out().printf("%d unit(s)%n", units.size());
        return 0;
      }
    }
  }

  @Command(name = "search", mixinStandardHelpOptions = true,
      description = "Find archived rows by user, booking, plate or key, from the catalogue's index (no archive is opened).")
  static class Search implements Callable<Integer> {
    @ParentCommand ArchiveCommand parent;
    @Option(names = "--table", required = true, description = "bookings, payments, violations or audit_logs") String table;
    @ArgGroup(exclusive = true, multiplicity = "1") Selector selector;
    @Option(names = "--from", description = "first month") String from;
    @Option(names = "--to", description = "last month") String to;
    @Option(names = "--reason", description = "why you search (kept in the audit log)") String reason;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
        String t = table(rt.settings().archive(), table);
        List<ArchiveCatalog.Hit> hits = rt.archiveCatalog().search(t, selector.column(), selector.value(),
            month(from, "--from"), month(to, "--to"));
        cli.out().printf("%-38s %-10s %-12s %-38s %-28s %s%n", "key", "date", "money", "user", "unit", "state");
        Set<String> units = new LinkedHashSet<>();
        for (ArchiveCatalog.Hit h : hits) {
          cli.out().printf("%-38s %-10s %-12s %-38s %-28s %s%s%n", h.row().key(), h.row().businessDate(),
              h.row().money() == null ? "-" : h.row().money().toPlainString(), h.row().userId(), h.unitId(), h.status(),
              h.sourcePurged() ? " (purged from source)" : "");
          units.add(h.unitId());
        }
        cli.out().printf("%d row(s) in %d unit(s)%n", hits.size(), units.size());
        new AccessLog(rt.meta()).append(parent.principal(), "SEARCH", t, selector.describe() + range(from, to), reason,
            hits.size() + " row(s) in " + units.size() + " unit(s)", String.join(",", units));
        return 0;
      }
    }
  }

  static String range(String from, String to) {
    return (from == null ? "" : " --from " + from) + (to == null ? "" : " --to " + to);
  }

  @Command(name = "retrieve", mixinStandardHelpOptions = true, description = {
      "Download archived rows with proof: every object's SHA-256 is checked against the catalogue and the manifest "
          + "chain before anything is written; writes the rows and verification.json to --out.",
      "Give a unit (payments/2019-03/1) for the whole unit, or --table with one of --user/--booking/--plate/--key for "
          + "the matching rows. Objects in an offline class (Glacier) get a restore request first (archive.restore-tier); "
          + "the command then says what it waits for: run it again once they are restored."})
  static class Retrieve implements Callable<Integer> {
    @ParentCommand ArchiveCommand parent;
    @Parameters(index = "0", arity = "0..1", paramLabel = "<unit>", description = "a unit id, as archive list shows it") String unit;
    @Option(names = "--table", description = "with a search selector: the table to search") String table;
    @ArgGroup(exclusive = true, multiplicity = "0..1") Selector selector;
    @Option(names = "--from", description = "first month (with a selector)") String from;
    @Option(names = "--to", description = "last month (with a selector)") String to;
    @Option(names = "--out", required = true, description = "folder to write the rows and verification.json to") Path out;
    @Option(names = "--reason", required = true, description = "why (kept in the audit log)") String reason;
    @Option(names = "--format", defaultValue = "csv", description = "csv or parquet (default ${DEFAULT-VALUE})") String format;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      if ((unit == null) == (selector == null)) {
        throw new UserError("<unit>", "give either a unit or --table with --user, --booking, --plate or --key");
      }
      if (!format.equals("csv") && !format.equals("parquet")) {
        throw new UserError("--format", "must be csv or parquet, was " + format);
      }
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
        ArchiveCatalog catalog = rt.archiveCatalog();
        List<ArchiveUnit> units = new ArrayList<>();
        List<String> keys = null;
        String criteria;
        String t;
        if (unit != null) {
          units.add(catalog.unit(unit).orElseThrow(() -> new UserError("<unit>", "no archive unit " + unit
              + " (./parklake archive list shows them)")));
          criteria = unit;
          t = units.get(0).table();
          if (units.get(0).status() == ArchiveUnit.Status.REJECTED) {
            throw new UserError("<unit>", unit + " was rejected when written (its read-back differed); its rows are in a later"
                + " part: ./parklake archive list --table " + t);
          }
        } else {
          if (table == null) {
            throw new UserError("--table", "a search selector needs --table");
          }
          t = table(rt.settings().archive(), table);
          List<ArchiveCatalog.Hit> hits = catalog.search(t, selector.column(), selector.value(), month(from, "--from"),
              month(to, "--to"));
          keys = hits.stream().map(h -> h.row().key()).distinct().toList();
          Set<String> ids = new LinkedHashSet<>();
          hits.forEach(h -> ids.add(h.unitId()));
          for (String id : ids) {
            units.add(catalog.unit(id).orElseThrow());
          }
          criteria = selector.describe() + range(from, to);
        }
        AccessLog log = new AccessLog(rt.meta());
        ArchiveRetrieval retrieval = new ArchiveRetrieval(rt.spark(), catalog, rt.archiver());
        ArchiveRetrieval.Result r;
        try {
          r = retrieval.retrieve(units, keys, out, format, parent.principal(), reason);
        } catch (Exception e) {
          log.append(parent.principal(), "RETRIEVE", t, criteria, reason, "REFUSED: " + oneLine(e), "");
          cli.err().println("parklake: archive retrieve refused: " + oneLine(e));
          return 1;
        }
        log.append(parent.principal(), "RETRIEVE", t, criteria, reason, r.rows() + " row(s) from " + units.size()
            + " unit(s) to " + out.toAbsolutePath(), String.join(",", r.hashes()));
        cli.out().printf("retrieved %d row(s) from %d unit(s) to %s; every object verified (verification.json)%n", r.rows(),
            units.size(), out.toAbsolutePath());
        return 0;
      }
    }
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @Command(name = "verify", mixinStandardHelpOptions = true, description = {
      "Integrity audit: download every object of every unit (or of one table) and check its SHA-256, row count and "
          + "money sums against the catalogue, every manifest against its hash, and the whole manifest chain.",
      "Exit code 0 when everything verifies, 1 naming each object that does not."})
  static class Verify implements Callable<Integer> {
    @ParentCommand ArchiveCommand parent;
    @Option(names = "--table", description = "only this table's units (the chain is always checked whole)") String table;
    @Option(names = "--reason", description = "why (kept in the audit log)") String reason;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
        ArchiveCatalog catalog = rt.archiveCatalog();
        String t = table(rt.settings().archive(), table);
        List<ArchiveUnit> all = catalog.units(null, null, null);
        List<String> problems = new ArrayList<>(ArchiveRetrieval.chainProblems(all));
        Archiver archiver = rt.archiver();
        int objects = 0;
        List<String> hashes = new ArrayList<>();
        for (ArchiveUnit u : all) {
          if (t != null && !u.table().equals(t)) {
            continue;
          }
          if (u.status() == ArchiveUnit.Status.REJECTED) {
            cli.out().printf("rejected %s (its read-back differed when written; its rows were archived again)%n", u.unitId());
            continue;
          }
          try {
            objects += archiver.verify(u.sourceTable(), u, false).checked().size();
            hashes.add(u.manifestSha256());
            cli.out().printf("ok       %s (%,d rows)%n", u.unitId(), u.rows());
          } catch (Exception e) {
            problems.add(oneLine(e));
            cli.out().printf("FAILED   %s: %s%n", u.unitId(), oneLine(e));
          }
        }
        String result = problems.isEmpty() ? "every unit verifies (" + objects + " object(s)), the chain is intact"
            : problems.size() + " problem(s): " + String.join("; ", problems);
        new AccessLog(rt.meta()).append(parent.principal(), "VERIFY", t, t == null ? "every unit" : "--table " + t, reason,
            result, String.join(",", hashes));
        if (problems.isEmpty()) {
          cli.out().println(result);
          return 0;
        }
        problems.forEach(p -> cli.err().println("parklake: archive verify: " + p));
        return 1;
      }
    }
  }

  @Command(name = "hold", mixinStandardHelpOptions = true,
      description = "Place a legal hold: matching rows are archived as usual but never purged from the lake or source.")
  static class Hold implements Callable<Integer> {
    @ParentCommand ArchiveCommand parent;
    @Option(names = "--table", required = true, description = "the table") String table;
    @Option(names = "--user", description = "every row of this user_id") String user;
    @Option(names = "--key", description = "the row with this key") String key;
    @Option(names = "--reason", required = true, description = "why (e.g. the case number)") String reason;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      if ((user == null) == (key == null)) {
        throw new UserError("--user", "give exactly one of --user or --key");
      }
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
        String t = table(rt.settings().archive(), table);
        long id = rt.archiveCatalog().placeHold(t, user, key, reason, parent.principal());
        String criteria = user != null ? "--user " + user : "--key " + key;
        new AccessLog(rt.meta()).append(parent.principal(), "HOLD", t, criteria, reason, "hold " + id + " placed", "");
        cli.out().printf("hold %d placed on %s %s%n", id, t, criteria);
        return 0;
      }
    }
  }

  @Command(name = "release", mixinStandardHelpOptions = true, description = "Release a legal hold; its rows are purged by the next archive run.")
  static class Release implements Callable<Integer> {
    @ParentCommand ArchiveCommand parent;
    @Parameters(index = "0", paramLabel = "<hold>", description = "the hold's number (archive holds lists them)") long hold;
    @Option(names = "--reason", required = true, description = "why") String reason;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
        if (!rt.archiveCatalog().releaseHold(hold, reason, parent.principal())) {
          throw new UserError("<hold>", "no active hold " + hold + " (./parklake archive holds lists them)");
        }
        new AccessLog(rt.meta()).append(parent.principal(), "RELEASE", null, "hold " + hold, reason, "released", "");
        cli.out().printf("hold %d released%n", hold);
        return 0;
      }
    }
  }

  @Command(name = "holds", mixinStandardHelpOptions = true, description = "List the active legal holds.")
  static class Holds implements Callable<Integer> {
    @ParentCommand ArchiveCommand parent;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
        for (ArchiveCatalog.Hold h : rt.archiveCatalog().activeHolds()) {
          cli.out().printf("%d  %s %s  by %s at %s: %s%n", h.id(), h.table(), h.userId() != null ? "--user " + h.userId()
              : "--key " + h.key(), h.placedBy(), h.placedAt(), h.reason());
        }
        return 0;
      }
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true, description = {
      "List the archive access log (every search, retrieval, verification, hold and release) and check its hash chain.",
      "Exit code 1 when an entry was altered or removed."})
  static class Audit implements Callable<Integer> {
    @ParentCommand ArchiveCommand parent;
    @Option(names = "--last", defaultValue = "50", description = "how many of the latest entries to print (default ${DEFAULT-VALUE})") int last;

    @Override
    public Integer call() throws Exception {
      CliEnvironment cli = parent.cli;
      try (ParkLakeRuntime rt = ParkLakeRuntime.open(cli.settings())) {
        AccessLog log = new AccessLog(rt.meta());
        List<AccessLog.Entry> entries = log.entries();
        for (AccessLog.Entry e : entries.subList(Math.max(0, entries.size() - last), entries.size())) {
          cli.out().printf("%d  %s  %-10s %-8s %-11s %s  reason: %s  -> %s%n", e.seq(), e.at(), e.principal(), e.action(),
              e.table() == null ? "-" : e.table(), e.criteria(), e.reason() == null ? "-" : e.reason(), e.result());
        }
        List<String> problems = AccessLog.verify(entries);
        if (problems.isEmpty()) {
          cli.out().printf("%d entr%s, hash chain intact%n", entries.size(), entries.size() == 1 ? "y" : "ies");
          return 0;
        }
        problems.forEach(p -> cli.err().println("parklake: archive audit: " + p));
        return 1;
      }
    }
  }
}
