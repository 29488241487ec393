package io.parklake.warehouse.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyntheticSourceIT {
  private static final SeedOptions OPTIONS = new SeedOptions(6000, 7, 14, LocalDate.of(2026, 10, 19));
  private static DatabaseAddress db;
  private static SeedSummary summary;

  @BeforeAll
  static void seed() throws SQLException {
    db = TestPostgres.freshDatabase("synthetic");
    SourceSchema.migrate(db);
    summary = new SyntheticSource(OPTIONS).writeTo(db, n -> {});
  }

  @Test
  void given_same_options_when_seeded_twice_then_every_table_is_identical() throws SQLException {
    DatabaseAddress other = TestPostgres.freshDatabase("synthetic_again");
    SourceSchema.migrate(other);
    new SyntheticSource(OPTIONS).writeTo(other, n -> {});
    assertThat(fingerprints(other)).isEqualTo(fingerprints(db));
  }

  @Test
  void writes_exactly_the_requested_bookings_and_reports_true_counts() throws SQLException {
    assertThat(scalar("SELECT count(*) FROM bookings")).isEqualTo(6000L);
    for (Map.Entry<String, Long> e : summary.rowsPerTable().entrySet()) {
      assertThat(scalar("SELECT count(*) FROM " + e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void facilities_span_several_cities_and_time_zones_with_zones_and_spots() throws SQLException {
    assertThat(scalar("SELECT count(DISTINCT timezone) FROM facilities")).isGreaterThanOrEqualTo(2L);
    assertThat(scalar("SELECT count(DISTINCT city) FROM facilities")).isGreaterThanOrEqualTo(3L);
    assertThat(scalar("SELECT count(*) FROM facilities f WHERE total_spots <> "
        + "(SELECT count(*) FROM parking_spots s JOIN zones z ON z.id = s.zone_id WHERE z.facility_id = f.id)")).isZero();
    assertThat(scalar("SELECT count(*) FROM bookings b LEFT JOIN facilities f ON f.id = b.facility_id WHERE f.id IS NULL"))
        .isZero();
  }

  @Test
  void bookings_have_the_status_mix_and_weekly_seasonality() throws SQLException {
    for (String status : new String[] {"COMPLETED", "CANCELLED", "NO_SHOW"}) {
      assertThat(scalar("SELECT count(*) FROM bookings WHERE status = '" + status + "'")).as(status).isPositive();
    }
    assertThat(scalar("SELECT count(*) FROM bookings WHERE status = 'COMPLETED'") * 2)
        .isGreaterThan(scalar("SELECT count(*) FROM bookings"));
    // Weekdays carry more bookings than Sundays (local entry day of week).
    long weekdayAvg = scalar("SELECT count(*) / 10 FROM bookings b JOIN facilities f ON f.id = b.facility_id "
        + "WHERE extract(isodow FROM b.entry_time AT TIME ZONE f.timezone) BETWEEN 1 AND 5");
    long sundayAvg = scalar("SELECT count(*) / 2 FROM bookings b JOIN facilities f ON f.id = b.facility_id "
        + "WHERE extract(isodow FROM b.entry_time AT TIME ZONE f.timezone) = 7");
    assertThat(weekdayAvg).isGreaterThan(sundayAvg);
    assertThat(scalar("SELECT count(*) FROM bookings WHERE actual_exit IS NOT NULL AND actual_exit <= entry_time")).isZero();
  }

  @Test
  void completed_bookings_are_priced_by_the_facility_rule_and_paid() throws SQLException {
    // Recompute every completed price in SQL from the pricing rule's JSON: started hours at the
    // hourly rate after the free minutes, capped per started day.
    long mismatches = scalar("""
        SELECT count(*) FROM bookings b JOIN pricing_rules r ON r.facility_id = b.facility_id,
        LATERAL (SELECT ceil(extract(epoch FROM b.actual_exit - b.entry_time) / 60 - 0.0000001)::bigint AS m) d
        WHERE b.status = 'COMPLETED' AND b.final_price <> CASE WHEN floor(extract(epoch FROM b.actual_exit - b.entry_time) / 60) <= r.free_minutes THEN 0
          ELSE (floor(extract(epoch FROM b.actual_exit - b.entry_time) / 60)::bigint / 1440) * (r.config->>'daily_cap')::numeric
             + least((r.config->>'daily_cap')::numeric,
                     ceil(((floor(extract(epoch FROM b.actual_exit - b.entry_time) / 60)::bigint % 1440)) / 60.0) * (r.config->>'hourly_rate')::numeric)
          END""");
    assertThat(mismatches).isZero();
    assertThat(scalar("SELECT count(*) FROM bookings b WHERE status = 'COMPLETED' AND final_price > 0 AND NOT EXISTS "
        + "(SELECT 1 FROM payments p WHERE p.booking_id = b.id AND p.kind = 'BOOKING')")).isZero();
  }

  @Test
  void payments_include_failures_refunds_and_several_providers_with_positive_amounts() throws SQLException {
    assertThat(scalar("SELECT count(*) FROM payments WHERE status = 'FAILED'")).isPositive();
    assertThat(scalar("SELECT count(*) FROM payments WHERE kind = 'REFUND' AND status = 'SUCCEEDED'")).isPositive();
    assertThat(scalar("SELECT count(*) FROM payments WHERE status = 'REFUNDED'")).isPositive();
    assertThat(scalar("SELECT count(*) FROM payments WHERE kind = 'SUBSCRIPTION'")).isPositive();
    assertThat(scalar("SELECT count(*) FROM payments WHERE kind = 'FINE'")).isPositive();
    assertThat(scalar("SELECT count(DISTINCT provider) FROM payments")).isGreaterThanOrEqualTo(4L);
    assertThat(scalar("SELECT count(*) FROM payments WHERE amount <= 0")).isZero();
    assertThat(scalar("SELECT count(*) FROM payments WHERE status IN ('SUCCEEDED', 'REFUNDED') AND paid_at IS NULL")).isZero();
    assertThat(scalar("SELECT count(*) FROM payments p JOIN facilities f ON f.id = p.facility_id WHERE p.currency <> f.currency"))
        .isZero();
  }

  @Test
  void camera_events_pair_entries_with_exits_and_include_duplicate_detections() throws SQLException {
    assertThat(scalar("SELECT count(*) FROM parking_events WHERE direction = 'ENTRY'"))
        .isGreaterThanOrEqualTo(scalar("SELECT count(*) FROM bookings WHERE status IN ('COMPLETED', 'ACTIVE')"));
    assertThat(scalar("SELECT count(*) FROM (SELECT camera_id, track_id, direction FROM parking_events "
        + "GROUP BY 1, 2, 3 HAVING count(*) > 1) d")).isPositive();
    assertThat(scalar("SELECT count(*) FROM violations")).isPositive();
    assertThat(scalar("SELECT count(*) FROM audit_logs")).isGreaterThan(6000L);
    assertThat(scalar("SELECT count(*) FROM user_subscriptions")).isPositive();
  }

  @Test
  void nothing_happens_after_the_seeded_world_stands() throws SQLException {
    String asOf = "'" + summary.asOf() + "'::timestamptz";
    for (String t : new String[] {"bookings", "payments", "violations", "user_subscriptions"}) {
      assertThat(scalar("SELECT count(*) FROM " + t + " WHERE updated_at > " + asOf + " OR created_at > " + asOf)).as(t).isZero();
    }
    assertThat(scalar("SELECT count(*) FROM parking_events WHERE event_time > " + asOf + " OR created_at > " + asOf)).isZero();
    assertThat(scalar("SELECT count(*) FROM audit_logs WHERE created_at > " + asOf)).isZero();
    assertThat(scalar("SELECT count(*) FROM payments WHERE paid_at > " + asOf)).isZero();
    assertThat(scalar("SELECT count(*) FROM bookings WHERE actual_exit > " + asOf)).isZero();
    assertThat(scalar("SELECT count(*) FROM bookings WHERE entry_time > " + asOf + " AND status <> 'CONFIRMED'")).isZero();
  }

  private static long scalar(String sql) throws SQLException {
    try (Connection c = db.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static Map<String, String> fingerprints(DatabaseAddress target) throws SQLException {
    Map<String, String> prints = new LinkedHashMap<>();
    try (Connection c = target.open();
        Statement s = c.createStatement()) {
      for (String t : summary.rowsPerTable().keySet()) {
        try (ResultSet r = s.executeQuery("SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM " + t + " x")) {
          r.next();
          prints.put(t, r.getString(1));
        }
      }
    }
    return prints;
  }
}
