package io.parklake.pipelines.customers;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.pipelines.extract.FaultInjector;
import io.parklake.pipelines.extract.LakeExtraction;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.MartLake;
import io.parklake.pipelines.marts.Marts;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.meta.MetadataSchema;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.testing.TestPostgres;
import io.parklake.warehouse.testing.TestSpark;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three users on a hand-written source, every figure worked out by hand: a New York visit whose local
 * day (Oct 31) differs from its UTC day (Nov 1) and whose payment lands on the next local day, a
 * payment refunded the day after, a failed payment, two visits on one day (one visit day), a
 * cancellation, a no-show, and favourite-facility ties broken both ways.
 */
class CustomerMartsHandWorkedIT {
  private static final String LONDON = "00000000-0000-0000-0000-0000000000f1";
  private static final String NEW_YORK = "00000000-0000-0000-0000-0000000000f2";
  private static final String MANCHESTER = "00000000-0000-0000-0000-0000000000f3";
  private static final String U1 = "00000000-0000-0000-0000-0000000000a1";
  private static final String U2 = "00000000-0000-0000-0000-0000000000a2";
  private static final String U3 = "00000000-0000-0000-0000-0000000000a3";
  private static final LocalDate AS_OF = LocalDate.of(2026, 11, 4);
  private static MartContext context;
  private static int ids;

  @BeforeAll
  static void build() throws Exception {
    DatabaseAddress db = TestPostgres.freshDatabase("customers_hand_worked");
    SourceSchema.migrate(db);
    MetadataSchema.migrate(db);
    try (Connection c = db.open(); Statement s = c.createStatement()) {
      String created = "TIMESTAMPTZ '2025-01-01 00:00Z'";
      s.execute("INSERT INTO facilities (id, name, city, timezone, currency, total_spots, created_at, updated_at) VALUES"
          + " ('" + LONDON + "', 'London', 'London', 'Europe/London', 'GBP', 10, " + created + ", " + created + "),"
          + " ('" + NEW_YORK + "', 'New York', 'New York', 'America/New_York', 'USD', 10, " + created + ", " + created + "),"
          + " ('" + MANCHESTER + "', 'Manchester', 'Manchester', 'Europe/London', 'GBP', 10, " + created + ", " + created + ")");
      for (String u : List.of(U1, U2, U3)) {
        s.execute("INSERT INTO users (id, email, role, created_at, updated_at) VALUES ('" + u + "', '" + u + "@mail.example',"
            + " 'CUSTOMER', " + created + ", " + created + ")");
      }
      booking(s, U1, LONDON, "COMPLETED", "2026-10-10 09:00");
      pay(s, U1, LONDON, "BOOKING", "5.00", "SUCCEEDED", "2026-10-10 11:00");
      booking(s, U1, MANCHESTER, "COMPLETED", "2026-10-12 09:00");
      pay(s, U1, MANCHESTER, "BOOKING", "3.00", "FAILED", null);
      pay(s, U1, MANCHESTER, "BOOKING", "4.00", "SUCCEEDED", "2026-10-12 11:00");
      booking(s, U1, LONDON, "COMPLETED", "2026-10-20 09:00");
      booking(s, U1, MANCHESTER, "COMPLETED", "2026-10-20 18:00");
      pay(s, U1, LONDON, "BOOKING", "7.50", "REFUNDED", "2026-10-20 11:00");
      pay(s, U1, LONDON, "REFUND", "7.50", "SUCCEEDED", "2026-10-21 10:00");
      booking(s, U1, LONDON, "CANCELLED", "2026-10-22 09:00");
      booking(s, U1, LONDON, "NO_SHOW", "2026-10-23 09:00");
      // 21:00 EDT on Oct 31 is Nov 1 01:00 UTC; paid at 01:30 EDT on Nov 1 (the first 01:30 of the DST day).
      booking(s, U1, NEW_YORK, "COMPLETED", "2026-10-31 21:00");
      s.execute("INSERT INTO payments (id, user_id, facility_id, kind, amount, currency, provider, status, paid_at, created_at,"
          + " updated_at) VALUES (gen_random_uuid(), '" + U1 + "', '" + NEW_YORK + "', 'BOOKING', 12.00, 'USD', 'CARD',"
          + " 'SUCCEEDED', TIMESTAMPTZ '2026-11-01 05:30Z', TIMESTAMPTZ '2026-11-01 05:30Z', TIMESTAMPTZ '2026-11-01 05:30Z')");
      booking(s, U2, LONDON, "COMPLETED", "2026-10-15 08:00");
      booking(s, U2, LONDON, "COMPLETED", "2026-11-02 08:00");
      booking(s, U2, MANCHESTER, "COMPLETED", "2026-10-30 08:00");
      booking(s, U3, LONDON, "COMPLETED", "2026-10-15 08:00");
      booking(s, U3, MANCHESTER, "COMPLETED", "2026-10-30 08:00");
    }
    LakeLayout lake = new LakeLayout(Files.createTempDirectory("parklake-customers-hand").resolve("lake"));
    new LakeExtraction(TestSpark.session(), db, db, lake, FaultInjector.NONE)
        .extract(List.of(SourceTable.values()), Duration.ofHours(1), "hand");
    context = new MartContext(TestSpark.session(), lake, AS_OF);
    Set<String> marts = Set.of("customer_activity_daily", "customer_value", "customer_model_fit", "customer_segments",
        "repeat_customers", "favourite_facility");
    Marts.rebuild(context, m -> marts.contains(m.name()));
  }

  @Test
  void activity_dates_visits_by_local_entry_day_and_spend_by_local_payment_day() {
    Map<String, String> rows = MartLake.lines(3, context.table("gold.customer_activity_daily").selectExpr("user_id",
        "facility_id", "local_date", "visits", "bookings", "cancellations", "no_shows", "gross_spend", "refunds", "spend"));
    assertThat(rows).isEqualTo(Map.ofEntries(
        Map.entry(U1 + "|" + LONDON + "|2026-10-10", "1|1|0|0|5|0|5"),
        Map.entry(U1 + "|" + MANCHESTER + "|2026-10-12", "1|1|0|0|4|0|4"),
        Map.entry(U1 + "|" + LONDON + "|2026-10-20", "1|1|0|0|7.5|0|7.5"),
        Map.entry(U1 + "|" + MANCHESTER + "|2026-10-20", "1|1|0|0|0|0|0"),
        Map.entry(U1 + "|" + LONDON + "|2026-10-21", "0|0|0|0|0|7.5|-7.5"),
        Map.entry(U1 + "|" + LONDON + "|2026-10-22", "0|1|1|0|0|0|0"),
        Map.entry(U1 + "|" + LONDON + "|2026-10-23", "0|1|0|1|0|0|0"),
        Map.entry(U1 + "|" + NEW_YORK + "|2026-10-31", "1|1|0|0|0|0|0"),
        Map.entry(U1 + "|" + NEW_YORK + "|2026-11-01", "0|0|0|0|12|0|12"),
        Map.entry(U2 + "|" + LONDON + "|2026-10-15", "1|1|0|0|0|0|0"),
        Map.entry(U2 + "|" + LONDON + "|2026-11-02", "1|1|0|0|0|0|0"),
        Map.entry(U2 + "|" + MANCHESTER + "|2026-10-30", "1|1|0|0|0|0|0"),
        Map.entry(U3 + "|" + LONDON + "|2026-10-15", "1|1|0|0|0|0|0"),
        Map.entry(U3 + "|" + MANCHESTER + "|2026-10-30", "1|1|0|0|0|0|0")));
  }

  @Test
  void customer_value_has_one_row_per_user_and_currency_with_visit_days_as_purchases() {
    Map<String, String> rows = MartLake.lines(2, context.table("gold.customer_value").selectExpr("user_id", "currency",
        "first_visit", "last_visit", "visits", "visit_days", "frequency", "round(recency_weeks * 7, 6)", "round(tenure_weeks * 7, 6)", "total_spend",
        "average_spend", "expected_avg_spend", "clv_12m_discounted"));
    // U1 in GBP: visits on Oct 10, 12, 20 (twice: one visit day); net 5 + 4 + 7.50 − 7.50 = 9.00 over 4 visits.
    // U2 in GBP: London Oct 15 and Nov 2, Manchester Oct 30: three visit days across two GBP facilities.
    // Three customers in a currency are too few for a Gamma-Gamma model: spend predictions are null.
    assertThat(rows).isEqualTo(Map.of(
        U1 + "|GBP", "2026-10-10|2026-10-20|4|3|2|10.0|25.0|9|2.25|null|null",
        U1 + "|USD", "2026-10-31|2026-10-31|1|1|0|0.0|4.0|12|12|null|null",
        U2 + "|GBP", "2026-10-15|2026-11-02|3|3|2|18.0|20.0|0|0|null|null",
        U3 + "|GBP", "2026-10-15|2026-10-30|2|2|1|15.0|20.0|0|0|null|null"));
    assertThat(context.table("gold.customer_value").where("currency = 'USD'").first().<Double>getAs("probability_alive"))
        .as("no repeat visit yet: alive by the model's assumption").isEqualTo(1.0);
  }

  @Test
  void favourite_facility_breaks_ties_by_latest_visit_then_smallest_id() {
    Map<String, String> rows = MartLake.lines(1, context.table("gold.favourite_facility").selectExpr("user_id", "facility_id",
        "visits", "total_visits", "visit_share", "facilities_used", "last_visit"));
    assertThat(rows).isEqualTo(Map.of(
        // 2 visits each in London and Manchester, both last on Oct 20: the smaller id (London) wins.
        U1, LONDON + "|2|5|0.4|3|2026-10-20",
        U2, LONDON + "|2|3|0.6666666666666666|2|2026-11-02",
        // 1 visit each: Manchester was visited later.
        U3, MANCHESTER + "|1|2|0.5|2|2026-10-30"));
  }

  @Test
  void repeat_customers_counts_first_visits_per_facility() {
    Map<String, String> rows = MartLake.lines(2, context.table("gold.repeat_customers").selectExpr("facility_id", "month_start",
        "customers", "new_customers", "returning_customers", "repeat_rate", "visits"));
    assertThat(rows).containsEntry(LONDON + "|2026-10-01", "3|3|0|0.0|4")
        .containsEntry(MANCHESTER + "|2026-10-01", "3|3|0|0.0|4")
        .containsEntry(NEW_YORK + "|2026-10-01", "1|1|0|0.0|1")
        // U2 came back to London in November: returning, not new.
        .containsEntry(LONDON + "|2026-11-01", "1|0|1|1.0|1")
        .containsEntry(NEW_YORK + "|2026-11-01", "0|0|0|null|0");
  }

  private static void booking(Statement s, String user, String facility, String status, String localEntry) throws Exception {
    String id = String.format("00000000-0000-0000-0000-%012d", ++ids);
    String entry = "(TIMESTAMP '" + localEntry + "' AT TIME ZONE f.timezone)";
    boolean completed = "COMPLETED".equals(status);
    s.execute("INSERT INTO bookings (id, user_id, facility_id, ticket_number, booking_type, status, entry_time, expected_exit,"
        + " actual_exit, estimated_price, final_price, created_at, updated_at) SELECT '" + id + "', '" + user + "', f.id, 'T" + ids
        + "', 'RESERVATION', '" + status + "', " + entry + ", " + entry + " + INTERVAL '1 hour', "
        + (completed ? entry + " + INTERVAL '1 hour'" : "NULL") + ", 5.00, " + (completed ? "5.00" : "NULL") + ", "
        + entry + " - INTERVAL '1 day', " + entry + " + INTERVAL '2 hours' FROM facilities f WHERE f.id = '" + facility + "'");
  }

  private static void pay(Statement s, String user, String facility, String kind, String amount, String status, String localPaid)
      throws Exception {
    String paid = localPaid == null ? "NULL" : "(TIMESTAMP '" + localPaid + "' AT TIME ZONE f.timezone)";
    String created = localPaid == null ? "TIMESTAMPTZ '2026-10-12 10:00Z'" : paid;
    s.execute("INSERT INTO payments (id, user_id, facility_id, kind, amount, currency, provider, status, paid_at, created_at,"
        + " updated_at) SELECT gen_random_uuid(), '" + user + "', f.id, '" + kind + "', " + amount + ", f.currency, 'CARD', '"
        + status + "', " + paid + ", " + created + ", " + created + " FROM facilities f WHERE f.id = '" + facility + "'");
  }
}
