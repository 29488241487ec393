package io.parklake.pipelines.archive;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.storage.S3Clients;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code parklake.archive_access_log}: every search, retrieval, verification, hold and release, who
 * asked, why, what came back and the hashes served. Each entry's SHA-256 covers its fields and the
 * previous entry's hash, so editing or deleting an entry breaks the chain ({@link #verify}).
 */
public final class AccessLog {
  private final DatabaseAddress meta;

  public AccessLog(DatabaseAddress meta) {
    this.meta = meta;
  }

  /** One entry as stored. */
  public record Entry(long seq, Instant at, String principal, String action, String table, String criteria, String reason,
      String result, String hashes, String previousSha256, String sha256) {}

  /** Appends an entry (serialised with other writers by a table lock) and returns it. */
  public Entry append(String principal, String action, String table, String criteria, String reason, String result,
      String hashes) throws SQLException {
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    try (Connection c = meta.open()) {
      c.setAutoCommit(false);
      try (Statement lock = c.createStatement()) {
        lock.execute("LOCK TABLE parklake.archive_access_log IN EXCLUSIVE MODE");
      }
      String previous = null;
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT entry_sha256 FROM parklake.archive_access_log ORDER BY seq DESC LIMIT 1")) {
        if (r.next()) {
          previous = r.getString(1);
        }
      }
      String sha = hash(at, principal, action, table, criteria, reason, result, hashes, previous);
      long seq;
      try (PreparedStatement s = c.prepareStatement("INSERT INTO parklake.archive_access_log (at, principal, action, "
          + "table_name, criteria, reason, result, hashes, previous_sha256, entry_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          + "RETURNING seq")) {
        s.setTimestamp(1, Timestamp.from(at));
        s.setString(2, principal);
        s.setString(3, action);
        s.setString(4, table);
        s.setString(5, criteria);
        s.setString(6, reason);
        s.setString(7, result);
        s.setString(8, hashes);
        s.setString(9, previous);
        s.setString(10, sha);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          seq = r.getLong(1);
        }
      }
      c.commit();
      return new Entry(seq, at, principal, action, table, criteria, reason, result, hashes, previous, sha);
    }
  }

  public List<Entry> entries() throws SQLException {
    List<Entry> out = new ArrayList<>();
    try (Connection c = meta.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT seq, at, principal, action, table_name, criteria, reason, result, hashes, "
            + "previous_sha256, entry_sha256 FROM parklake.archive_access_log ORDER BY seq")) {
      while (r.next()) {
        out.add(new Entry(r.getLong(1), r.getTimestamp(2).toInstant(), r.getString(3), r.getString(4), r.getString(5),
            r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getString(11)));
      }
    }
    return out;
  }

  /** Problems with the chain, one line each (empty when every entry's hash and link hold). */
  public List<String> verify() throws SQLException {
    return verify(entries());
  }

  /** {@link #verify()} over entries already read (all of them, in order), so a listing and its check see one state. */
  public static List<String> verify(List<Entry> entries) {
    List<String> problems = new ArrayList<>();
    String previous = null;
    for (Entry e : entries) {
      if (!Objects.equals(e.previousSha256(), previous)) {
        problems.add("entry " + e.seq() + ": links to " + e.previousSha256() + ", the entry before it hashes to " + previous
            + " (an entry before it was removed or altered)");
      }
      String sha = hash(e.at(), e.principal(), e.action(), e.table(), e.criteria(), e.reason(), e.result(), e.hashes(),
          e.previousSha256());
      if (!sha.equals(e.sha256())) {
        problems.add("entry " + e.seq() + ": its fields hash to " + sha + ", stored " + e.sha256() + " (it was altered)");
      }
      previous = e.sha256();
    }
    return problems;
  }

  static String hash(Instant at, String principal, String action, String table, String criteria, String reason,
      String result, String hashes, String previous) {
    String text = String.join("\u001f", at.toString(), principal, action, String.valueOf(table), criteria,
        String.valueOf(reason), result, hashes, String.valueOf(previous));
    return S3Clients.sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
