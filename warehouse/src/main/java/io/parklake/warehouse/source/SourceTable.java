package io.parklake.warehouse.source;

import io.parklake.warehouse.quality.QualityRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every operator table ParkLake extracts, as the lake sees it: the columns it reads (uuids, chars
 * and json cast to text, money kept numeric), the column whose advance marks a change (the
 * extraction watermark), for facts the timestamp whose local date in the facility's zone is the
 * business date and lake partition, the money columns reconciled against the source, the accepted
 * values of enumerations, the foreign keys that must resolve, and the table-specific quarantine
 * rules (Spark SQL predicates that are true for a bad row).
 */
public enum SourceTable {
  // Dimensions, extracted before facts so facts can be checked against them.
  USERS(Kind.DIMENSION, "users",
      cols("id::text AS id", "email", "full_name", "phone", "role", "is_verified", "is_deleted", "created_at", "updated_at"),
      "updated_at", null, false, List.of(), Map.of(), Map.of(), Map.of()),
  FACILITIES(Kind.DIMENSION, "facilities",
      cols("id::text AS id", "owner_id::text AS owner_id", "name", "city", "timezone", "currency::text AS currency",
          "latitude", "longitude", "total_spots", "is_active", "created_at", "updated_at"),
      "updated_at", null, false, List.of(), Map.of(), Map.of(),
      rules(QualityRule.FACILITY_TIMEZONE_UNKNOWN, "NOT _timezone_known", QualityRule.CAPACITY_NEGATIVE, "total_spots < 0")),
  VEHICLES(Kind.DIMENSION, "vehicles",
      cols("id::text AS id", "user_id::text AS user_id", "plate_number", "vehicle_type", "is_active", "created_at", "updated_at"),
      "updated_at", null, false, List.of(), Map.of(), fks("user_id", "users"), Map.of()),
  ZONES(Kind.DIMENSION, "zones",
      cols("id::text AS id", "facility_id::text AS facility_id", "name", "code", "total_spots", "created_at", "updated_at"),
      "updated_at", null, false, List.of(), Map.of(), fks("facility_id", "facilities"),
      rules(QualityRule.CAPACITY_NEGATIVE, "total_spots < 0")),
  PARKING_SPOTS(Kind.DIMENSION, "parking_spots",
      cols("id::text AS id", "zone_id::text AS zone_id", "spot_number", "size", "has_ev_charger", "is_accessible", "is_active",
          "created_at", "updated_at"),
      "updated_at", null, false, List.of(), Map.of(), fks("zone_id", "zones"), Map.of()),
  PRICING_RULES(Kind.DIMENSION, "pricing_rules",
      cols("id::text AS id", "facility_id::text AS facility_id", "strategy", "config::text AS config", "priority", "free_minutes",
          "created_at", "updated_at"),
      "updated_at", null, false, List.of(), Map.of(), fks("facility_id", "facilities"), Map.of()),
  SUBSCRIPTIONS(Kind.DIMENSION, "subscriptions",
      cols("id::text AS id", "facility_id::text AS facility_id", "name", "price", "duration_days", "entry_count", "created_at",
          "updated_at"),
      "updated_at", null, false, List.of("price"), Map.of(), fks("facility_id", "facilities"),
      rules(QualityRule.MONEY_MISSING_OR_NEGATIVE, "price IS NULL OR price < 0")),
  USER_SUBSCRIPTIONS(Kind.DIMENSION, "user_subscriptions",
      cols("id::text AS id", "user_id::text AS user_id", "subscription_id::text AS subscription_id", "activated_at", "expires_at",
          "entries_remaining", "created_at", "updated_at"),
      "updated_at", null, false, List.of(), Map.of(), fks("user_id", "users", "subscription_id", "subscriptions"),
      rules(QualityRule.END_BEFORE_START, "expires_at < activated_at")),

  // Facts, partitioned by business date.
  BOOKINGS(Kind.FACT, "bookings",
      cols("id::text AS id", "user_id::text AS user_id", "vehicle_id::text AS vehicle_id", "spot_id::text AS spot_id",
          "facility_id::text AS facility_id", "ticket_number", "booking_type", "status", "entry_time", "expected_exit",
          "actual_exit", "estimated_price", "final_price", "payment_id::text AS payment_id", "created_at", "updated_at"),
      "updated_at", "entry_time", true, List.of("final_price"),
      Map.of("status", Set.of("PENDING", "CONFIRMED", "ACTIVE", "COMPLETED", "CANCELLED", "NO_SHOW")),
      fks("user_id", "users", "vehicle_id", "vehicles", "spot_id", "parking_spots", "facility_id", "facilities"),
      rules(QualityRule.END_BEFORE_START, "actual_exit < entry_time OR expected_exit < entry_time",
          QualityRule.MONEY_MISSING_OR_NEGATIVE, "estimated_price < 0 OR final_price < 0 OR (status = 'COMPLETED' AND final_price IS NULL)",
          QualityRule.TIMESTAMP_IN_FUTURE, "updated_at > :now OR created_at > :now OR actual_exit > :now"
              + " OR (entry_time > :now AND status NOT IN ('PENDING', 'CONFIRMED', 'CANCELLED'))")),
  VIOLATIONS(Kind.FACT, "violations",
      cols("id::text AS id", "user_id::text AS user_id", "vehicle_id::text AS vehicle_id", "facility_id::text AS facility_id",
          "booking_id::text AS booking_id", "violation_type", "penalty_amount", "status", "violation_time", "resolved_at",
          "created_at", "updated_at"),
      "updated_at", "violation_time", true, List.of("penalty_amount"),
      Map.of("status", Set.of("OPEN", "PAID", "WAIVED", "DISPUTED", "CANCELLED")),
      fks("user_id", "users", "vehicle_id", "vehicles", "facility_id", "facilities", "booking_id", "bookings"),
      rules(QualityRule.END_BEFORE_START, "resolved_at < violation_time",
          QualityRule.MONEY_MISSING_OR_NEGATIVE, "penalty_amount IS NULL OR penalty_amount < 0",
          QualityRule.TIMESTAMP_IN_FUTURE, "updated_at > :now OR violation_time > :now OR resolved_at > :now")),
  PAYMENTS(Kind.FACT, "payments",
      cols("id::text AS id", "user_id::text AS user_id", "facility_id::text AS facility_id", "booking_id::text AS booking_id",
          "violation_id::text AS violation_id", "user_subscription_id::text AS user_subscription_id", "kind", "amount",
          "currency::text AS currency", "provider", "status", "provider_txn_id", "paid_at", "created_at", "updated_at"),
      // Revenue is recognised when money moves; a payment where none moved is dated by its creation.
      "updated_at", "coalesce(t.paid_at, t.created_at)", true, List.of("amount"),
      Map.of("kind", Set.of("BOOKING", "SUBSCRIPTION", "FINE", "REFUND"),
          "status", Set.of("PENDING", "SUCCEEDED", "FAILED", "REFUNDED"),
          "provider", Set.of("CARD", "CASH", "WALLET", "UPI", "STRIPE", "PAYPAL", "APPLE_PAY", "GOOGLE_PAY", "BANK_TRANSFER")),
      fks("user_id", "users", "facility_id", "facilities", "booking_id", "bookings", "violation_id", "violations",
          "user_subscription_id", "user_subscriptions"),
      rules(QualityRule.MONEY_MISSING_OR_NEGATIVE, "amount IS NULL OR amount <= 0",
          QualityRule.PAID_WITHOUT_TIME, "status IN ('SUCCEEDED', 'REFUNDED') AND paid_at IS NULL",
          QualityRule.TIMESTAMP_IN_FUTURE, "updated_at > :now OR paid_at > :now OR created_at > :now")),
  PARKING_EVENTS(Kind.FACT, "parking_events",
      cols("id", "camera_id", "facility_id::text AS facility_id", "zone_id::text AS zone_id", "track_id", "plate_number",
          "vehicle_type", "direction", "confidence", "event_time", "created_at"),
      "created_at", "event_time", true, List.of(),
      Map.of("direction", Set.of("ENTRY", "EXIT")),
      fks("facility_id", "facilities", "zone_id", "zones"),
      rules(QualityRule.CONFIDENCE_OUT_OF_RANGE, "confidence IS NULL OR confidence < 0 OR confidence > 1",
          QualityRule.TIMESTAMP_IN_FUTURE, "created_at > :now OR event_time > :now")),
  AUDIT_LOGS(Kind.FACT, "audit_logs",
      cols("id::text AS id", "user_id::text AS user_id", "action", "resource_type", "resource_id::text AS resource_id",
          "details::text AS details", "created_at"),
      "created_at", "created_at", false, List.of(), Map.of(), fks("user_id", "users"),
      rules(QualityRule.TIMESTAMP_IN_FUTURE, "created_at > :now"));

  /** Facts grow and are partitioned by business date; dimensions are small, current plus history. */
  public enum Kind { FACT, DIMENSION }

  public static final String KEY = "id";
  public static final String BUSINESS_DATE = "business_date";

  private final Kind kind;
  private final String table;
  private final List<String> columns;
  private final String changeColumn;
  private final String businessTime;
  private final boolean hasFacility;
  private final List<String> moneyColumns;
  private final Map<String, Set<String>> enums;
  private final Map<String, String> foreignKeys;
  private final Map<QualityRule, String> rules;

  SourceTable(Kind kind, String table, List<String> columns, String changeColumn, String businessTime, boolean hasFacility,
      List<String> moneyColumns, Map<String, Set<String>> enums, Map<String, String> foreignKeys,
      Map<QualityRule, String> rules) {
    this.kind = kind;
    this.table = table;
    this.columns = columns;
    this.changeColumn = changeColumn;
    this.businessTime = businessTime;
    this.hasFacility = hasFacility;
    this.moneyColumns = moneyColumns;
    this.enums = enums;
    this.foreignKeys = foreignKeys;
    this.rules = rules;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isFact() {
    return kind == Kind.FACT;
  }

  /** The table's name in the source and in the lake. */
  public String tableName() {
    return table;
  }

  public List<String> columns() {
    return columns;
  }

  /** The names the extracted columns carry in the lake (the alias where a column is cast). */
  public List<String> columnNames() {
    return columns.stream().map(c -> c.contains(" AS ") ? c.substring(c.lastIndexOf(' ') + 1) : c).toList();
  }

  /** {@code updated_at}, or {@code created_at} for the append-only tables (camera events, audit logs). */
  public String changeColumn() {
    return changeColumn;
  }

  /** Rows are never updated in the source: silver only inserts. */
  public boolean appendOnly() {
    return !"updated_at".equals(changeColumn);
  }

  /** SQL over alias {@code t} for the instant whose local date is the business date; null for dimensions. */
  public String businessTime() {
    return businessTime == null ? null : (businessTime.contains("t.") ? businessTime : "t." + businessTime);
  }

  /** Whether business dates are local to the row's facility (otherwise UTC, e.g. audit logs). */
  public boolean hasFacility() {
    return hasFacility;
  }

  public List<String> moneyColumns() {
    return moneyColumns;
  }

  public Map<String, Set<String>> enums() {
    return enums;
  }

  /** Column → referenced table; a non-null value must exist there. */
  public Map<String, String> foreignKeys() {
    return foreignKeys;
  }

  /** The table's own rules (beyond foreign keys, enumerations and time zones) → Spark SQL predicate true for a bad row. */
  public Map<QualityRule, String> rules() {
    return rules;
  }

  public static List<SourceTable> facts() {
    return java.util.Arrays.stream(values()).filter(SourceTable::isFact).toList();
  }

  public static List<SourceTable> dimensions() {
    return java.util.Arrays.stream(values()).filter(t -> !t.isFact()).toList();
  }

  public static SourceTable named(String name) {
    for (SourceTable t : values()) {
      if (t.table.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown source table '" + name + "'");
  }

  private static List<String> cols(String... columns) {
    return List.of(columns);
  }

  private static Map<String, String> fks(String... pairs) {
    return ordered(pairs);
  }

  private static Map<QualityRule, String> rules(QualityRule rule, String predicate) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Map.of(rule, predicate)));
  }

  private static Map<QualityRule, String> rules(QualityRule r1, String p1, QualityRule r2, String p2) {
    Map<QualityRule, String> m = new LinkedHashMap<>(rules(r1, p1));
    m.put(r2, p2);
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Map<QualityRule, String> rules(QualityRule r1, String p1, QualityRule r2, String p2, QualityRule r3,
      String p3) {
    Map<QualityRule, String> m = new LinkedHashMap<>(rules(r1, p1, r2, p2));
    m.put(r3, p3);
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
