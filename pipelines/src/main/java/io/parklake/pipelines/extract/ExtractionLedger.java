package io.parklake.pipelines.extract;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.source.SourceTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Extraction state in schema {@code parklake}: each table's watermark and its batches. A batch is
 * opened PENDING with a fixed change window before anything is read; the next run resumes a PENDING
 * batch with the same window and id (so its Delta commits are recognised as already done), and a
 * batch is committed together with the watermark move in one transaction, after the lake commits.
 */
public final class ExtractionLedger {
  private final DatabaseAddress meta;

  public ExtractionLedger(DatabaseAddress meta) {
    this.meta = meta;
  }

  /** A change window {@code (low, high]} of one table, identified by a per-ledger increasing id. */
  public record Batch(long id, SourceTable table, Instant low, Instant high, String runId, boolean resumed) {}

  /** One table's state for {@code parklake status}. */
  public record TableState(String table, Instant watermark, String lastRunId, long rowsExtracted, Instant updatedAt,
      boolean pending) {}

  /**
   * The PENDING batch of {@code table} if a previous run left one, otherwise a new one reading from
   * the watermark minus {@code lookBack} up to {@code sourceNow}.
   */
  public Batch openOrResume(SourceTable table, Instant sourceNow, Duration lookBack, String runId) throws SQLException {
    try (Connection c = meta.open()) {
      c.setAutoCommit(false);
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
        lock.setString(1, "parklake.extract." + table.tableName());
        lock.execute();
      }
      try (PreparedStatement q = c.prepareStatement(
          "SELECT batch_id, low_watermark, high_watermark FROM parklake.extraction_batch "
              + "WHERE source_table = ? AND status = 'PENDING'")) {
        q.setString(1, table.tableName());
        try (ResultSet r = q.executeQuery()) {
          if (r.next()) {
            Batch b = new Batch(r.getLong(1), table, instant(r.getTimestamp(2)), instant(r.getTimestamp(3)), runId, true);
            c.commit();
            return b;
          }
        }
      }
      Instant watermark = watermark(c, table).orElse(null);
      Instant low = watermark == null ? null : watermark.minus(lookBack);
      try (PreparedStatement ins = c.prepareStatement(
          "INSERT INTO parklake.extraction_batch (source_table, low_watermark, high_watermark, run_id, status) "
              + "VALUES (?, ?, ?, ?, 'PENDING') RETURNING batch_id")) {
        ins.setString(1, table.tableName());
        ins.setTimestamp(2, low == null ? null : Timestamp.from(low));
        ins.setTimestamp(3, Timestamp.from(sourceNow));
        ins.setString(4, runId);
        try (ResultSet r = ins.executeQuery()) {
          r.next();
          Batch b = new Batch(r.getLong(1), table, low, sourceNow, runId, false);
          c.commit();
          return b;
        }
      }
    }
  }

  /** Marks the batch done and moves the table's watermark to its high end, atomically. */
  public void commit(Batch batch, ExtractStats stats) throws SQLException {
    try (Connection c = meta.open()) {
      c.setAutoCommit(false);
      try (PreparedStatement u = c.prepareStatement(
          "UPDATE parklake.extraction_batch SET status = 'COMMITTED', committed_at = now(), rows_read = ?, rows_written = ?, "
              + "rows_quarantined = ?, rows_collapsed = ?, affected_dates = ? WHERE batch_id = ? AND status = 'PENDING'")) {
        u.setLong(1, stats.read());
        u.setLong(2, stats.written());
        u.setLong(3, stats.quarantined());
        u.setLong(4, stats.collapsed());
        u.setArray(5, c.createArrayOf("date", stats.affectedDates().stream().sorted().map(java.sql.Date::valueOf).toArray()));
        u.setLong(6, batch.id());
        if (u.executeUpdate() != 1) {
          throw new IllegalStateException("extraction batch " + batch.id() + " of " + batch.table().tableName()
              + " is no longer pending: another run committed it");
        }
      }
      try (PreparedStatement w = c.prepareStatement(
          "INSERT INTO parklake.extraction_watermark (source_table, high_watermark, last_run_id, rows_extracted, updated_at) "
              + "VALUES (?, ?, ?, ?, now()) ON CONFLICT (source_table) DO UPDATE SET high_watermark = "
              + "GREATEST(parklake.extraction_watermark.high_watermark, EXCLUDED.high_watermark), last_run_id = EXCLUDED.last_run_id, "
              + "rows_extracted = parklake.extraction_watermark.rows_extracted + EXCLUDED.rows_extracted, updated_at = now()")) {
        w.setString(1, batch.table().tableName());
        w.setTimestamp(2, Timestamp.from(batch.high()));
        w.setString(3, batch.runId());
        w.setLong(4, stats.written());
        w.executeUpdate();
      }
      c.commit();
    }
  }

  public Optional<Instant> watermark(SourceTable table) throws SQLException {
    try (Connection c = meta.open()) {
      return watermark(c, table);
    }
  }

  public List<TableState> states() throws SQLException {
    List<TableState> out = new ArrayList<>();
    try (Connection c = meta.open();
        PreparedStatement q = c.prepareStatement(
            "SELECT w.source_table, w.high_watermark, w.last_run_id, w.rows_extracted, w.updated_at, "
                + "EXISTS (SELECT 1 FROM parklake.extraction_batch b WHERE b.source_table = w.source_table AND b.status = 'PENDING') "
                + "FROM parklake.extraction_watermark w ORDER BY 1");
        ResultSet r = q.executeQuery()) {
      while (r.next()) {
        out.add(new TableState(r.getString(1), instant(r.getTimestamp(2)), r.getString(3), r.getLong(4),
            instant(r.getTimestamp(5)), r.getBoolean(6)));
      }
    }
    return out;
  }

  /** Records keys found deleted in the source. */
  public void recordDeletions(SourceTable table, List<String> keys, String runId) throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement p = c.prepareStatement(
            "INSERT INTO parklake.extraction_deletion (source_table, key, run_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (String k : keys) {
        p.setString(1, table.tableName());
        p.setString(2, k);
        p.setString(3, runId);
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  private static Optional<Instant> watermark(Connection c, SourceTable table) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(
        "SELECT high_watermark FROM parklake.extraction_watermark WHERE source_table = ?")) {
      q.setString(1, table.tableName());
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(instant(r.getTimestamp(1))) : Optional.empty();
      }
    }
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  /** Committed batches whose changed dates a mart refresh has not taken yet: their ids and dates per table. */
  public record MartChanges(java.util.List<Long> batchIds, java.util.Map<String, java.util.SortedSet<java.time.LocalDate>> dates) {}

  /**
   * The business dates, per table, of every committed batch the hourly ({@code nightly} false) or the
   * nightly marts have not been refreshed for: this run's batches and any a crashed run left.
   */
  public MartChanges pendingMartChanges(boolean nightly) throws SQLException {
    java.util.List<Long> ids = new java.util.ArrayList<>();
    java.util.Map<String, java.util.SortedSet<java.time.LocalDate>> dates = new java.util.TreeMap<>();
    try (Connection c = meta.open();
        PreparedStatement q = c.prepareStatement("SELECT batch_id, source_table, affected_dates FROM parklake.extraction_batch "
            + "WHERE status = 'COMMITTED' AND " + (nightly ? "marts_nightly_at" : "marts_hourly_at") + " IS NULL ORDER BY batch_id");
        java.sql.ResultSet r = q.executeQuery()) {
      while (r.next()) {
        ids.add(r.getLong(1));
        java.util.SortedSet<java.time.LocalDate> set = dates.computeIfAbsent(r.getString(2), k -> new java.util.TreeSet<>());
        for (Object d : (Object[]) r.getArray(3).getArray()) {
          set.add(((java.sql.Date) d).toLocalDate());
        }
      }
    }
    return new MartChanges(ids, dates);
  }

  /** Records that the hourly (or nightly, which covers both) marts were refreshed for {@code batchIds}. */
  public void markMartsRefreshed(java.util.List<Long> batchIds, boolean nightly) throws SQLException {
    if (batchIds.isEmpty()) {
      return;
    }
    try (Connection c = meta.open();
        PreparedStatement u = c.prepareStatement("UPDATE parklake.extraction_batch SET marts_hourly_at = coalesce(marts_hourly_at, now())"
            + (nightly ? ", marts_nightly_at = coalesce(marts_nightly_at, now())" : "") + " WHERE batch_id = ANY (?)")) {
      u.setArray(1, c.createArrayOf("bigint", batchIds.toArray()));
      u.executeUpdate();
    }
  }
}
