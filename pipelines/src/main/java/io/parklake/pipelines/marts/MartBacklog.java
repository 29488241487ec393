package io.parklake.pipelines.marts;

import io.parklake.warehouse.db.DatabaseAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The refresh work marts are owed because a run could not do it (table {@code
 * parklake.mart_refresh_owed}): a failed mart, or one skipped because something it reads failed.
 * The next pass over the marts, a restart's or the next run's, adds it to its own work and settles
 * each mart it writes, so a failure never leaves a partition stale for longer than one run.
 */
public final class MartBacklog {
  private final DatabaseAddress meta;

  public MartBacklog(DatabaseAddress meta) {
    this.meta = meta;
  }

  /** Every mart's owed work. */
  public Map<String, Marts.Work> owed() throws SQLException {
    Map<String, Marts.Work> out = new LinkedHashMap<>();
    try (Connection c = meta.open();
        PreparedStatement q = c.prepareStatement("SELECT mart, dates, rebuild FROM parklake.mart_refresh_owed ORDER BY mart");
        ResultSet r = q.executeQuery()) {
      while (r.next()) {
        SortedSet<LocalDate> days = new TreeSet<>();
        for (Object d : (Object[]) r.getArray(2).getArray()) {
          days.add(((java.sql.Date) d).toLocalDate());
        }
        out.put(r.getString(1), new Marts.Work(days, r.getBoolean(3)));
      }
    }
    return out;
  }

  /**
   * Records what {@code outcome} left undone (merged with anything already owed) and settles every
   * mart it refreshed, in one transaction.
   */
  public void record(Marts.Outcome outcome, String runId) throws SQLException {
    Map<String, String> reasons = new LinkedHashMap<>();
    outcome.failed().forEach(f -> reasons.put(f.mart(), "failed: " + f.cause()));
    outcome.skipped().forEach(k -> reasons.put(k.mart(), "skipped: " + k.because()));
    try (Connection c = meta.open()) {
      c.setAutoCommit(false);
      settle(c, outcome.refreshed().stream().map(Marts.Refreshed::mart).toList());
      try (PreparedStatement up = c.prepareStatement("INSERT INTO parklake.mart_refresh_owed (mart, dates, rebuild, reason, run_id) "
          + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (mart) DO UPDATE SET "
          + "dates = ARRAY(SELECT DISTINCT d FROM unnest(mart_refresh_owed.dates || EXCLUDED.dates) d ORDER BY d), "
          + "rebuild = mart_refresh_owed.rebuild OR EXCLUDED.rebuild, reason = EXCLUDED.reason, run_id = EXCLUDED.run_id")) {
        for (Map.Entry<String, Marts.Work> e : outcome.owed().entrySet()) {
          up.setString(1, e.getKey());
          up.setArray(2, c.createArrayOf("date", e.getValue().days().stream().map(java.sql.Date::valueOf).toArray()));
          up.setBoolean(3, e.getValue().rebuild());
          up.setString(4, reasons.getOrDefault(e.getKey(), "not refreshed"));
          up.setString(5, runId);
          up.addBatch();
        }
        up.executeBatch();
      }
      c.commit();
    }
  }

  private static void settle(Connection c, Collection<String> marts) throws SQLException {
    if (marts.isEmpty()) {
      return;
    }
    try (PreparedStatement d = c.prepareStatement("DELETE FROM parklake.mart_refresh_owed WHERE mart = ANY (?)")) {
      d.setArray(1, c.createArrayOf("varchar", marts.toArray()));
      d.executeUpdate();
    }
  }
}
