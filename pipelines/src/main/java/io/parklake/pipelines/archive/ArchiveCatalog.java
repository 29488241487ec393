package io.parklake.pipelines.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.pipelines.archive.ArchiveManifest.ObjectEntry;
import io.parklake.pipelines.archive.ArchiveUnit.Status;
import io.parklake.pipelines.marts.FrozenPeriods;
import io.parklake.warehouse.db.DatabaseAddress;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.postgresql.PGConnection;

/**
 * The archive catalogue in schema {@code parklake} of the metadata database: units, their objects,
 * one index row per archived row (key, date, user, booking, plate, money) so that searches never open
 * an archive, and legal holds.
 */
public final class ArchiveCatalog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DatabaseAddress meta;

  public ArchiveCatalog(DatabaseAddress meta) {
    this.meta = meta;
  }

  /** One archived row as the index holds it. */
  public record IndexedRow(String key, LocalDate businessDate, Instant changeTime, String userId, String bookingId,
      String plateNumber, BigDecimal money) {}

  /** A search hit: the row's index entry and the unit holding it. */
  public record Hit(IndexedRow row, String unitId, Status status, boolean sourcePurged) {}

  /** An active legal hold. */
  public record Hold(long id, String table, String userId, String key, String reason, String placedBy, Instant placedAt) {}

  /** The last manifest of the chain: its position and SHA-256 (empty for the first unit ever). */
  public record ChainHead(long seq, String sha256) {}

  public Optional<ChainHead> chainHead() throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "SELECT chain_seq, manifest_sha256 FROM parklake.archive_unit ORDER BY chain_seq DESC LIMIT 1");
        ResultSet r = s.executeQuery()) {
      return r.next() ? Optional.of(new ChainHead(r.getLong(1), r.getString(2))) : Optional.empty();
    }
  }

  /**
   * The business dates of the rows purged from the lake, per table: the mart partitions they fed are
   * frozen ({@link FrozenPeriods}). A unit counts from PURGED on; rows a hold kept in the lake count too,
   * since their dates lost the other rows.
   */
  public FrozenPeriods frozenPeriods() throws SQLException {
    Map<String, SortedSet<LocalDate>> days = new TreeMap<>();
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement("SELECT DISTINCT r.table_name, r.business_date FROM parklake.archive_row r"
            + " JOIN parklake.archive_unit u USING (unit_id) WHERE u.status IN ('PURGED', 'SOURCE_PURGED')"
            + " AND r.business_date IS NOT NULL");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        days.computeIfAbsent(r.getString(1), t -> new TreeSet<>()).add(r.getDate(2).toLocalDate());
      }
    }
    return new FrozenPeriods(days);
  }

  /** The next part number of {@code table}'s {@code month} (1 for a month never archived). */
  public int nextPart(String table, YearMonth month) throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "SELECT coalesce(max(part), 0) + 1 FROM parklake.archive_unit WHERE table_name = ? AND month = ?")) {
      s.setString(1, table);
      s.setDate(2, Date.valueOf(month.atDay(1)));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /** Catalogues a written unit, its objects and its rows' index in one transaction. */
  public void insert(ArchiveUnit u, List<ObjectEntry> objects, Iterator<IndexedRow> rows) throws SQLException, IOException {
    try (Connection c = meta.open()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO parklake.archive_unit (unit_id, chain_seq, table_name, month, "
          + "part, status, row_count, version_count, money, key_min, key_max, storage_class, retain_until, manifest_key, "
          + "manifest_sha256, previous_manifest_sha256, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, u.unitId());
        s.setLong(2, u.chainSeq());
        s.setString(3, u.table());
        s.setDate(4, Date.valueOf(u.month().atDay(1)));
        s.setInt(5, u.part());
        s.setString(6, u.status().name());
        s.setLong(7, u.rows());
        s.setLong(8, u.versions());
        Map<String, String> money = new TreeMap<>();
        u.money().forEach((k, v) -> money.put(k, v.toPlainString()));
        s.setString(9, JSON.writeValueAsString(money));
        s.setString(10, u.keyMin());
        s.setString(11, u.keyMax());
        s.setString(12, u.storageClass());
        s.setTimestamp(13, u.retainUntil() == null ? null : Timestamp.from(u.retainUntil()));
        s.setString(14, u.manifestKey());
        s.setString(15, u.manifestSha256());
        s.setString(16, u.previousManifestSha256());
        s.setString(17, u.runId());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO parklake.archive_object (unit_id, name, object_key, sha256, "
          + "bytes, row_count) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (ObjectEntry o : objects) {
          s.setString(1, u.unitId());
          s.setString(2, o.name());
          s.setString(3, o.key());
          s.setString(4, o.sha256());
          s.setLong(5, o.bytes());
          s.setLong(6, o.rows());
          s.addBatch();
        }
        s.executeBatch();
      }
      copyRows(c, u, rows);
      c.commit();
    }
  }

  private static void copyRows(Connection c, ArchiveUnit u, Iterator<IndexedRow> rows) throws SQLException, IOException {
    var copy = c.unwrap(PGConnection.class).getCopyAPI();
    StringBuilder chunk = new StringBuilder();
    String sql = "COPY parklake.archive_row (table_name, row_key, unit_id, business_date, change_time, user_id, booking_id, "
        + "plate_number, money) FROM STDIN (FORMAT text)";
    while (rows.hasNext()) {
      IndexedRow r = rows.next();
      chunk.append(text(u.table())).append('\t').append(text(r.key())).append('\t').append(text(u.unitId())).append('\t')
          .append(text(r.businessDate())).append('\t').append(text(r.changeTime())).append('\t').append(text(r.userId()))
          .append('\t').append(text(r.bookingId())).append('\t').append(text(r.plateNumber())).append('\t')
          .append(r.money() == null ? "\\N" : r.money().toPlainString()).append('\n');
      if (chunk.length() > (1 << 20)) {
        copy.copyIn(sql, new StringReader(chunk.toString()));
        chunk.setLength(0);
      }
    }
    if (chunk.length() > 0) {
      copy.copyIn(sql, new StringReader(chunk.toString()));
    }
  }

  private static String text(Object v) {
    if (v == null) {
      return "\\N";
    }
    return v.toString().replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  /** Units, oldest chain position first; {@code table} null for every table; months inclusive, null for open. */
  public List<ArchiveUnit> units(String table, YearMonth from, YearMonth to) throws SQLException {
    StringBuilder where = new StringBuilder("true");
    List<Object> args = new ArrayList<>();
    if (table != null) {
      where.append(" AND table_name = ?");
      args.add(table);
    }
    if (from != null) {
      where.append(" AND month >= ?");
      args.add(Date.valueOf(from.atDay(1)));
    }
    if (to != null) {
      where.append(" AND month <= ?");
      args.add(Date.valueOf(to.atDay(1)));
    }
    return select(where.toString(), args);
  }

  public Optional<ArchiveUnit> unit(String unitId) throws SQLException {
    return select("unit_id = ?", List.of(unitId)).stream().findFirst();
  }

  private List<ArchiveUnit> select(String where, List<Object> args) throws SQLException {
    String sql = "SELECT unit_id, chain_seq, table_name, month, part, status, row_count, version_count, money::text, key_min, "
        + "key_max, storage_class, retain_until, manifest_key, manifest_sha256, previous_manifest_sha256, run_id "
        + "FROM parklake.archive_unit WHERE " + where + " ORDER BY chain_seq";
    List<ArchiveUnit> out = new ArrayList<>();
    try (Connection c = meta.open(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        s.setObject(i + 1, args.get(i));
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(unit(r));
        }
      }
    }
    return out;
  }

  private static ArchiveUnit unit(ResultSet r) throws SQLException {
    Map<String, BigDecimal> money = new LinkedHashMap<>();
    try {
      JSON.readTree(r.getString(9)).fields().forEachRemaining(e -> money.put(e.getKey(), new BigDecimal(e.getValue().asText())));
    } catch (IOException e) {
      throw new SQLException("unreadable money of unit " + r.getString(1), e);
    }
    Timestamp retain = r.getTimestamp(13);
    return new ArchiveUnit(r.getString(1), r.getLong(2), r.getString(3), YearMonth.from(r.getDate(4).toLocalDate()),
        r.getInt(5), Status.valueOf(r.getString(6)), r.getLong(7), r.getLong(8), money, r.getString(10), r.getString(11),
        r.getString(12), retain == null ? null : retain.toInstant(), r.getString(14), r.getString(15), r.getString(16),
        r.getString(17));
  }

  public List<ObjectEntry> objects(String unitId) throws SQLException {
    List<ObjectEntry> out = new ArrayList<>();
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "SELECT name, object_key, sha256, bytes, row_count FROM parklake.archive_object WHERE unit_id = ? ORDER BY name")) {
      s.setString(1, unitId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new ObjectEntry(r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5)));
        }
      }
    }
    return out;
  }

  /** Moves a unit on to {@code status}, stamping when. */
  public void setStatus(String unitId, Status status) throws SQLException {
    String stamp = switch (status) {
      case WRITTEN -> "written_at";
      case VERIFIED -> "verified_at";
      case PURGED -> "purged_at";
      case SOURCE_PURGED -> "source_purged_at";
      case REJECTED -> throw new IllegalArgumentException("a unit is rejected with reject(), which keeps the reason");
    };
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "UPDATE parklake.archive_unit SET status = ?, " + stamp + " = now(), last_error = NULL WHERE unit_id = ?")) {
      s.setString(1, status.name());
      s.setString(2, unitId);
      s.executeUpdate();
    }
  }

  /** Marks a written unit whose read-back differs as REJECTED, with the reason; its rows become due again. */
  public void reject(String unitId, String error) throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "UPDATE parklake.archive_unit SET status = 'REJECTED', last_error = ? WHERE unit_id = ? AND status = 'WRITTEN'")) {
      s.setString(1, error);
      s.setString(2, unitId);
      s.executeUpdate();
    }
  }

  public void recordError(String unitId, String error) throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement("UPDATE parklake.archive_unit SET last_error = ? WHERE unit_id = ?")) {
      s.setString(1, error);
      s.setString(2, unitId);
      s.executeUpdate();
    }
  }

  /** The metadata database the catalogue lives in (Spark reads a purge's keys from it). */
  public DatabaseAddress address() {
    return meta;
  }

  /** The SQL selecting the index rows of {@code unitIds} to purge from the lake: key and change time, held rows left out. */
  public static String purgeKeysQuery(List<String> unitIds) {
    return "SELECT row_key AS _key, change_time AS _change FROM parklake.archive_row WHERE NOT kept_by_hold AND unit_id IN ("
        + String.join(", ", unitIds.stream().map(u -> "'" + u.replace("'", "''") + "'").toList()) + ")";
  }

  /** The business dates of the rows of {@code unitIds} not kept by a hold (empty for tables without one). */
  public java.util.SortedSet<LocalDate> purgeDates(List<String> unitIds) throws SQLException {
    java.util.SortedSet<LocalDate> out = new java.util.TreeSet<>();
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement("SELECT DISTINCT business_date FROM parklake.archive_row "
            + "WHERE unit_id = ANY (?) AND NOT kept_by_hold AND business_date IS NOT NULL")) {
      s.setArray(1, c.createArrayOf("text", unitIds.toArray()));
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getDate(1).toLocalDate());
        }
      }
    }
    return out;
  }

  /** The index rows of a unit, by key. */
  public Map<String, IndexedRow> rows(String unitId) throws SQLException {
    Map<String, IndexedRow> out = new HashMap<>();
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement("SELECT row_key, business_date, change_time, user_id, booking_id, "
            + "plate_number, money FROM parklake.archive_row WHERE unit_id = ?")) {
      s.setString(1, unitId);
      s.setFetchSize(10_000);
      c.setAutoCommit(false);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), indexed(r, 1));
        }
      }
      c.commit();
    }
    return out;
  }

  private static IndexedRow indexed(ResultSet r, int first) throws SQLException {
    Date d = r.getDate(first + 1);
    Timestamp t = r.getTimestamp(first + 2);
    return new IndexedRow(r.getString(first), d == null ? null : d.toLocalDate(), t == null ? null : t.toInstant(),
        r.getString(first + 3), r.getString(first + 4), r.getString(first + 5), r.getBigDecimal(first + 6));
  }

  /**
   * Keys of {@code table} that are archived but must not be archived again while still in silver: rows
   * of units not yet purged, and rows a legal hold kept in the lake.
   */
  public List<String> archivedButKept(String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement("SELECT r.row_key FROM parklake.archive_row r JOIN parklake.archive_unit u "
            + "USING (unit_id) WHERE r.table_name = ? AND (u.status IN ('WRITTEN', 'VERIFIED') OR r.kept_by_hold)")) {
      s.setString(1, table);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
    }
    return out;
  }

  /** Keys of a unit that an active hold covers (by key or by user). */
  public List<String> heldKeys(String table, String unitId) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement("SELECT DISTINCT r.row_key FROM parklake.archive_row r "
            + "JOIN parklake.archive_hold h ON h.table_name = r.table_name AND h.released_at IS NULL "
            + "AND (h.row_key = r.row_key OR h.user_id = r.user_id) WHERE r.unit_id = ? AND r.table_name = ?")) {
      s.setString(1, unitId);
      s.setString(2, table);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
    }
    return out;
  }

  /** Flags rows of a unit: {@code column} is {@code kept_by_hold} or {@code source_purged}. */
  public void flag(String unitId, String column, Collection<String> keys) throws SQLException {
    if (!column.equals("kept_by_hold") && !column.equals("source_purged")) {
      throw new IllegalArgumentException(column);
    }
    if (keys.isEmpty()) {
      return;
    }
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "UPDATE parklake.archive_row SET " + column + " = true WHERE unit_id = ? AND row_key = ANY (?)")) {
      s.setString(1, unitId);
      s.setArray(2, c.createArrayOf("text", keys.toArray()));
      s.executeUpdate();
    }
  }

  /** Index rows of {@code table} whose {@code column} (row_key, user_id, booking_id, plate_number) equals {@code value}. */
  public List<Hit> search(String table, String column, String value, YearMonth from, YearMonth to) throws SQLException {
    if (!List.of("row_key", "user_id", "booking_id", "plate_number").contains(column)) {
      throw new IllegalArgumentException(column);
    }
    StringBuilder sql = new StringBuilder("SELECT r.row_key, r.business_date, r.change_time, r.user_id, r.booking_id, "
        + "r.plate_number, r.money, r.unit_id, u.status, r.source_purged FROM parklake.archive_row r JOIN parklake.archive_unit u "
        + "USING (unit_id) WHERE r.table_name = ? AND r." + column + " = ? AND u.status <> 'REJECTED'");
    if (from != null) {
      sql.append(" AND u.month >= ?");
    }
    if (to != null) {
      sql.append(" AND u.month <= ?");
    }
    sql.append(" ORDER BY r.business_date, r.row_key, u.chain_seq");
    List<Hit> out = new ArrayList<>();
    try (Connection c = meta.open(); PreparedStatement s = c.prepareStatement(sql.toString())) {
      int i = 1;
      s.setString(i++, table);
      s.setString(i++, value);
      if (from != null) {
        s.setDate(i++, Date.valueOf(from.atDay(1)));
      }
      if (to != null) {
        s.setDate(i, Date.valueOf(to.atDay(1)));
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new Hit(indexed(r, 1), r.getString(8), Status.valueOf(r.getString(9)), r.getBoolean(10)));
        }
      }
    }
    return out;
  }

  public long placeHold(String table, String userId, String key, String reason, String principal) throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement("INSERT INTO parklake.archive_hold (table_name, user_id, row_key, reason, "
            + "placed_by) VALUES (?, ?, ?, ?, ?) RETURNING hold_id")) {
      s.setString(1, table);
      s.setString(2, userId);
      s.setString(3, key);
      s.setString(4, reason);
      s.setString(5, principal);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** Releases an active hold; false when there is no such active hold. */
  public boolean releaseHold(long holdId, String reason, String principal) throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement("UPDATE parklake.archive_hold SET released_at = now(), released_by = ?, "
            + "release_reason = ? WHERE hold_id = ? AND released_at IS NULL")) {
      s.setString(1, principal);
      s.setString(2, reason);
      s.setLong(3, holdId);
      return s.executeUpdate() == 1;
    }
  }

  public List<Hold> activeHolds() throws SQLException {
    List<Hold> out = new ArrayList<>();
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement("SELECT hold_id, table_name, user_id, row_key, reason, placed_by, placed_at "
            + "FROM parklake.archive_hold WHERE released_at IS NULL ORDER BY hold_id");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(new Hold(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
            r.getTimestamp(7).toInstant()));
      }
    }
    return out;
  }
}
