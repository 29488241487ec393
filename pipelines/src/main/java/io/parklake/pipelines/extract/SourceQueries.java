package io.parklake.pipelines.extract;

import io.parklake.warehouse.source.SourceTable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * The SQL ParkLake runs against the operator's database. Business dates are computed by PostgreSQL
 * in each facility's zone (facilities with an unknown zone give no date and are quarantined), and
 * every foreign key is checked against the source itself, so a fact is never judged against a lake
 * that lags behind. Instants are written with an explicit UTC offset: the session zone never matters.
 */
final class SourceQueries {
  /** Rows whose change time is this far past the batch's high watermark are future-dated, not late. */
  static final String FUTURE_TOLERANCE = "5 minutes";

  private SourceQueries() {}

  /**
   * Row versions of {@code table} changed in {@code (low, high]}, plus any future-dated rows (which
   * quarantine rejects), with {@code business_date} for facts and one {@code _fk_<column>} flag per
   * foreign key.
   */
  static String changes(SourceTable table, Instant low, Instant high) {
    return select(table) + " WHERE " + changeWindow(table, low, high);
  }

  /**
   * Whether {@link #changes} would return any row: one index probe on the change column, so that a
   * table nothing happened to costs a query, not Spark jobs and commits.
   */
  static String anyChanges(SourceTable table, Instant low, Instant high) {
    return "SELECT EXISTS (SELECT 1 FROM " + table.tableName() + " t WHERE " + changeWindow(table, low, high) + ")";
  }

  /** The rows changed in {@code (low, high]}, and those changed implausibly far past {@code high} (quarantined). */
  private static String changeWindow(SourceTable table, Instant low, Instant high) {
    String change = "t." + table.changeColumn();
    String window = (low == null ? "TRUE" : change + " > " + ts(low)) + " AND " + change + " <= " + ts(high);
    return "(" + window + ") OR " + change + " > " + ts(high) + " + interval '" + FUTURE_TOLERANCE + "'";
  }

  /** The keys (text) of rows whose business date is in {@code [from, to]}; every key for dimensions. */
  static String keys(SourceTable table, LocalDate from, LocalDate to) {
    if (!table.isFact()) {
      return "SELECT t.id::text AS id FROM " + table.tableName() + " t";
    }
    return "SELECT t.id::text AS id FROM " + table.tableName() + " t" + facilityJoin(table)
        + " WHERE " + businessDate(table) + " BETWEEN DATE '" + from + "' AND DATE '" + to + "'";
  }

  /** Which of the given keys still exist in the source. */
  static String existing(SourceTable table) {
    String type = table == SourceTable.PARKING_EVENTS ? "bigint[]" : "uuid[]";
    return "SELECT t.id::text FROM " + table.tableName() + " t WHERE t.id = ANY (?::" + type + ")";
  }

  /**
   * Per business date in {@code [from, to]}: the row count and each money column's sum, over rows
   * whose change time is at most {@code high} (what the lake has been given).
   */
  static String aggregates(SourceTable table, LocalDate from, LocalDate to, Instant high) {
    StringBuilder sql = new StringBuilder("SELECT ").append(businessDate(table)).append("::text AS business_date, count(*) AS n");
    for (String m : table.moneyColumns()) {
      sql.append(", coalesce(sum(t.").append(m).append("), 0) AS ").append(m);
    }
    sql.append(" FROM ").append(table.tableName()).append(" t").append(facilityJoin(table))
        .append(" WHERE t.").append(table.changeColumn()).append(" <= ").append(ts(high))
        .append(" AND ").append(businessDate(table)).append(" BETWEEN DATE '").append(from).append("' AND DATE '").append(to)
        .append("' GROUP BY 1");
    return sql.toString();
  }

  /** Keys changed after {@code high}: they are excluded from both sides of a reconciliation. */
  static String changedAfter(SourceTable table, Instant high) {
    return "SELECT t.id::text AS id FROM " + table.tableName() + " t WHERE t." + table.changeColumn() + " > " + ts(high);
  }

  private static String select(SourceTable table) {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (String c : table.columns()) {
      sql.append("t.").append(c).append(", ");
    }
    if (table.isFact()) {
      sql.append(businessDate(table)).append("::text AS ").append(SourceTable.BUSINESS_DATE).append(", ");
    }
    if (table == SourceTable.FACILITIES) {
      sql.append("(t.timezone IN (SELECT name FROM tz)) AS _timezone_known, ");
    }
    int i = 0;
    StringBuilder joins = new StringBuilder();
    for (Map.Entry<String, String> fk : table.foreignKeys().entrySet()) {
      String alias = "fk" + i++;
      sql.append("(t.").append(fk.getKey()).append(" IS NULL OR ").append(alias).append(".id IS NOT NULL) AS _fk_")
          .append(fk.getKey()).append(", ");
      joins.append(" LEFT JOIN ").append(fk.getValue()).append(' ').append(alias).append(" ON ").append(alias)
          .append(".id = t.").append(fk.getKey());
    }
    sql.setLength(sql.length() - 2);
    sql.append(" FROM ").append(table.tableName()).append(" t").append(table.isFact() ? facilityJoin(table) : "").append(joins);
    return withTimeZones(table) + sql;
  }

  private static String withTimeZones(SourceTable table) {
    return table == SourceTable.FACILITIES ? "WITH tz AS MATERIALIZED (SELECT name FROM pg_timezone_names) " : "";
  }

  /**
   * Joins the facility whose zone dates the row; a zone PostgreSQL does not know becomes NULL inside
   * a CASE, so no plan order (outer joins become inner ones under a date filter) can evaluate
   * {@code AT TIME ZONE} with it.
   */
  private static String facilityJoin(SourceTable table) {
    if (!table.hasFacility()) {
      return "";
    }
    return " LEFT JOIN (SELECT f.id, CASE WHEN f.timezone IN (SELECT name FROM pg_timezone_names) THEN f.timezone END AS timezone"
        + " FROM facilities f) bz ON bz.id = t.facility_id";
  }

  private static String businessDate(SourceTable table) {
    String time = table.businessTime();
    return table.hasFacility() ? "((" + time + ") AT TIME ZONE bz.timezone)::date" : "((" + time + ") AT TIME ZONE 'UTC')::date";
  }

  static String ts(Instant i) {
    return "'" + i + "'::timestamptz";
  }
}
