package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.jobs.batch.RunLeases;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SyntheticSource;
import io.parklake.warehouse.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive job in a child JVM, killed with SIGKILL at three moments chosen by what it has logged
 * (a unit written and catalogued but not yet verified; a unit verified but not yet purged; inside
 * the chunked source purge, after its first chunk), each next run restarting the execution the kill
 * left. After every kill nothing is gone from the lake or the source that is not in a verified unit;
 * after the restart that completes, archive ∪ lake holds every row of before exactly once with equal
 * money sums, the source lost exactly the archived rows, and {@code archive verify} passes.
 */
@Tag("processes")
class ArchiveKillNineIT {
  private static final LocalDate START = LocalDate.of(2026, 9, 20);
  private static final LocalDate AS_OF = LocalDate.of(2026, 10, 14);
  private static final List<String> TABLES = List.of("bookings", "payments", "violations", "audit_logs");
  private static final int SIGKILL_EXIT = 128 + 9;

  @TempDir Path dir;

  private record Moment(String name, Pattern killOn) {}

  private static final List<Moment> MOMENTS = List.of(
      new Moment("written, before verify", Pattern.compile("Archiver - archive bookings/2026-09/\\d+: \\d+ row\\(s\\), \\d+ version")),
      new Moment("verified, before purge", Pattern.compile("Archiver - archive violations/2026-09/\\d+: verified")),
      new Moment("in the source purge", Pattern.compile("Archiver - archive payments/2026-09/\\d+: source chunk 1: ")));

  @Test
  void archive_runs_killed_with_sigkill_between_its_states_lose_nothing_and_the_restart_converges() throws Exception {
    DatabaseAddress db = TestPostgres.freshDatabase("archive_kill_nine");
    SourceSchema.migrate(db);
    // Enough September payments (over 1,000) for the source purge to take more than one chunk.
    new SyntheticSource(new SeedOptions(3000, 11, 25, START)).writeTo(db, n -> {});
    Path home = dir.resolve("home");
    Map<String, String> env = env(home, db);
    CliRun nightly = CliRun.run(env, "run", "nightly", "--date", AS_OF.toString());
    assertThat(nightly.exitCode()).as(nightly.err()).isZero();
    Map<String, Map<String, BigDecimal>> sourceBefore = new HashMap<>();
    Map<String, Map<String, BigDecimal>> silverBefore = new HashMap<>();
    for (String t : TABLES) {
      sourceBefore.put(t, query(db, "SELECT id::text, " + money(t) + " FROM " + t));
      silverBefore.put(t, silver(home, t));
    }
    assertThat(query(db, "SELECT t.id::text, NULL::numeric FROM payments t JOIN facilities f ON f.id = t.facility_id "
        + "WHERE (coalesce(t.paid_at, t.created_at) AT TIME ZONE f.timezone)::date < DATE '2026-10-01'"))
        .as("September payments: more than one source-purge chunk").hasSizeGreaterThan(1000);

    List<String> table = new ArrayList<>();
    String[] next = {"run", "archive", "--date", AS_OF.toString()};
    int number = 1;
    for (Moment m : MOMENTS) {
      KillNineIT.Child run = KillNineIT.Child.start(number++, dir, env, m.killOn(), next);
      run.finish();
      assertThat(run.trigger).as("run %d (%s) ended with exit %d before its kill line appeared; its last lines:%n%s",
          run.number, m.name(), run.exitCode, run.tail()).isNotNull();
      assertThat(run.exitCode).as("run %d was killed by SIGKILL", run.number).isEqualTo(SIGKILL_EXIT);
      long killed = Long.parseLong(query(db, "SELECT max(job_execution_id)::text, NULL::numeric FROM parklake.batch_job_execution")
          .keySet().iterator().next());
      CliRun status = CliRun.run(env, "status");
      assertThat(status.exitCode()).isZero();
      assertThat(query(db, "SELECT status || ' ' || exit_message, NULL::numeric FROM parklake.batch_job_execution "
          + "WHERE job_execution_id = " + killed).keySet()).containsExactly("FAILED " + RunLeases.ABANDONED);
      String units = String.join(", ", query(db, "SELECT unit_id || ' ' || status, NULL::numeric FROM parklake.archive_unit "
          + "ORDER BY 1").keySet().stream().sorted().toList());
      table.add(String.format("%-26s %-7.1f %s%n%-34s units: %s", m.name(), run.triggerSeconds, safe(db, home, sourceBefore,
          silverBefore), "", units));
      next = new String[] {"restart", String.valueOf(killed)};
    }
    KillNineIT.Child completes = KillNineIT.Child.start(number, dir, env, null, next);
    completes.finish();
    assertThat(completes.exitCode).as("the restart after the kills; its last lines:%n%s", completes.tail()).isZero();
    table.add(String.format("%-26s %-7s %s", "restart to the end", "-", safe(db, home, sourceBefore, silverBefore)));
    System.out.println("\narchive kill -9 moments and outcomes\n" + String.format("%-26s %-7s %s", "moment", "at s", "after it")
        + "\n" + String.join("\n", table) + "\n");

    for (String t : TABLES) {
      Map<String, BigDecimal> archived = query(db, "SELECT r.row_key, r.money FROM parklake.archive_row r JOIN parklake.archive_unit u "
          + "USING (unit_id) WHERE r.table_name = '" + t + "' AND u.status <> 'REJECTED'");
      long archivedRows = Long.parseLong(query(db, "SELECT count(*)::text, NULL::numeric FROM parklake.archive_row r JOIN "
          + "parklake.archive_unit u USING (unit_id) WHERE r.table_name = '" + t + "' AND u.status <> 'REJECTED'").keySet().iterator().next());
      assertThat(archivedRows).as("%s: each archived key in one unit", t).isEqualTo(archived.size());
      assertThat(archived).as("%s: something archived", t).isNotEmpty();
      assertThat(query(db, "SELECT unit_id || ' ' || status, NULL::numeric FROM parklake.archive_unit WHERE table_name = '" + t
          + "' AND status NOT IN ('SOURCE_PURGED', 'REJECTED')")).as("%s: every unit went as far as its policy", t).isEmpty();
      Map<String, BigDecimal> lake = silver(home, t);
      Set<String> both = new HashSet<>(lake.keySet());
      both.retainAll(archived.keySet());
      assertThat(both).as("%s: keys both in the lake and archived", t).isEmpty();
      assertThat(lake.size() + archived.size()).as("%s rows: lake + archive", t).isEqualTo(silverBefore.get(t).size());
      assertThat(sum(lake).add(sum(archived))).as("%s money: lake + archive", t).isEqualByComparingTo(sum(silverBefore.get(t)));
      Set<String> gone = new HashSet<>(sourceBefore.get(t).keySet());
      gone.removeAll(query(db, "SELECT id::text, NULL::numeric FROM " + t).keySet());
      assertThat(gone).as("%s: deleted from the source = archived", t).isEqualTo(archived.keySet());
    }
    CliRun verify = CliRun.run(env, "archive", "verify", "--reason", "after the kills");
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(query(db, "SELECT job_execution_id::text, NULL::numeric FROM parklake.run_lease")).isEmpty();
  }

  /**
   * Nothing gone that is not in a verified unit: keys missing from silver must be in a unit at least
   * VERIFIED, keys missing from the source in a unit at least PURGED. Returns what is gone, per table.
   */
  private static String safe(DatabaseAddress db, Path home, Map<String, Map<String, BigDecimal>> sourceBefore,
      Map<String, Map<String, BigDecimal>> silverBefore) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (String t : TABLES) {
      Set<String> lakeGone = new HashSet<>(silverBefore.get(t).keySet());
      lakeGone.removeAll(silver(home, t).keySet());
      Set<String> sourceGone = new HashSet<>(sourceBefore.get(t).keySet());
      sourceGone.removeAll(query(db, "SELECT id::text, NULL::numeric FROM " + t).keySet());
      Set<String> verified = query(db, "SELECT r.row_key, NULL::numeric FROM parklake.archive_row r JOIN parklake.archive_unit u "
          + "USING (unit_id) WHERE r.table_name = '" + t + "' AND u.status IN ('VERIFIED', 'PURGED', 'SOURCE_PURGED')").keySet();
      Set<String> purged = query(db, "SELECT r.row_key, NULL::numeric FROM parklake.archive_row r JOIN parklake.archive_unit u "
          + "USING (unit_id) WHERE r.table_name = '" + t + "' AND u.status IN ('PURGED', 'SOURCE_PURGED')").keySet();
      assertThat(verified).as("%s: rows gone from the lake are in a verified unit", t).containsAll(lakeGone);
      assertThat(purged).as("%s: rows gone from the source are in a unit purged from the lake", t).containsAll(sourceGone);
      out.put(t, "-" + lakeGone.size() + "/-" + sourceGone.size());
    }
    return "safe (lake/source rows gone, all in verified units): " + out;
  }

  private static Map<String, String> env(Path home, DatabaseAddress db) {
    Map<String, String> env = new HashMap<>(Map.of("PARKLAKE_HOME", home.toString(), "PARKLAKE_SOURCE_URL", db.url(),
        "PARKLAKE_SOURCE_USER", db.user(), "PARKLAKE_SOURCE_PASSWORD", db.password(), "PARKLAKE_MART_SCHEMA", "none"));
    for (String t : TABLES) {
      env.put("PARKLAKE_ARCHIVE_AGE_" + t.toUpperCase(), "P1D");
      env.put("PARKLAKE_ARCHIVE_PURGE_SOURCE_" + t.toUpperCase(), "true");
    }
    return env;
  }

  private static String money(String table) {
    return switch (table) {
      case "bookings" -> "final_price";
      case "payments" -> "amount";
      case "violations" -> "penalty_amount";
      default -> "NULL::numeric";
    };
  }

  private static Map<String, BigDecimal> silver(Path home, String table) {
    var spark = io.parklake.warehouse.testing.TestSpark.session();
    String m = money(table);
    var rows = DeltaTables.read(spark, new LakeLayout(home.resolve("lake")).silver(table))
        .selectExpr("CAST(id AS STRING)", m.startsWith("NULL") ? "CAST(NULL AS DECIMAL(12,2))" : m).collectAsList();
    Map<String, BigDecimal> out = new HashMap<>();
    for (Row r : rows) {
      out.put(r.getString(0), r.isNullAt(1) ? null : r.getDecimal(1));
    }
    return out;
  }

  private static Map<String, BigDecimal> query(DatabaseAddress db, String sql) throws Exception {
    Map<String, BigDecimal> out = new HashMap<>();
    try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.put(r.getString(1), r.getBigDecimal(2));
      }
    }
    return out;
  }

  private static BigDecimal sum(Map<String, BigDecimal> rows) {
    return rows.values().stream().filter(java.util.Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
