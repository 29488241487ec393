package io.parklake.pipelines.extract;

import java.util.List;

/**
 * A fact table in the operator's database as the extract reads it: the columns to select (uuids and
 * fixed chars cast to text, money kept as numeric) and the timestamp whose local date, in the
 * facility's zone, is the row's business date and lake partition.
 */
public enum FactTable {
  BOOKINGS(
      "bookings",
      List.of("id::text AS id", "user_id::text AS user_id", "vehicle_id::text AS vehicle_id", "spot_id::text AS spot_id",
          "facility_id::text AS facility_id", "ticket_number", "booking_type", "status", "entry_time", "expected_exit",
          "actual_exit", "estimated_price", "final_price", "payment_id::text AS payment_id", "created_at", "updated_at"),
      "entry_time"),
  PAYMENTS(
      "payments",
      List.of("id::text AS id", "user_id::text AS user_id", "facility_id::text AS facility_id", "booking_id::text AS booking_id",
          "violation_id::text AS violation_id", "user_subscription_id::text AS user_subscription_id", "kind", "amount",
          "currency::text AS currency", "provider", "status", "provider_txn_id", "paid_at", "created_at", "updated_at"),
      // Revenue is recognised when money moves; rows where none moved are dated by creation.
      "coalesce(paid_at, created_at)");

  private final String table;
  private final List<String> columns;
  private final String businessTime;

  FactTable(String table, List<String> columns, String businessTime) {
    this.table = table;
    this.columns = columns;
    this.businessTime = businessTime;
  }

  public String tableName() {
    return table;
  }

  /**
   * The source query for the local business dates {@code [from, to]}: a UTC range wide enough for
   * every zone on earth narrows the scan, then the exact local date is computed by PostgreSQL in the
   * facility's zone. Timestamps are written with an explicit offset so the session zone never matters.
   */
  String query(java.time.LocalDate from, java.time.LocalDate toInclusive) {
    String t = "t.";
    StringBuilder select = new StringBuilder();
    for (String c : columns) {
      select.append(select.length() == 0 ? "" : ", ").append(t).append(c);
    }
    String time = businessTime.replace("paid_at", "t.paid_at").replace("created_at", "t.created_at")
        .replace("entry_time", "t.entry_time");
    String localDate = "((" + time + ") AT TIME ZONE f.timezone)::date";
    return "SELECT " + select + ", " + localDate + "::text AS business_date"
        + " FROM " + table + " t JOIN facilities f ON f.id = t.facility_id"
        + " WHERE " + time + " >= '" + from.minusDays(1) + " 00:00:00+00'::timestamptz"
        + " AND " + time + " < '" + toInclusive.plusDays(2) + " 00:00:00+00'::timestamptz"
        + " AND " + localDate + " BETWEEN DATE '" + from + "' AND DATE '" + toInclusive + "'";
  }
}
