package io.parklake.pipelines.occupancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Marts;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The occupancy marts on a hand-made silver lake: one London facility (zone A 10 spots, zone B 5),
 * a few bookings and camera passes placed on the awkward instants, and the expected seconds worked
 * out by hand below each case. London is UTC+1 (BST) until 2026-10-25 01:00 UTC, when 02:00 BST
 * becomes 01:00 GMT (the 25-hour day), and UTC+0 from 2026-03-29 01:00 UTC, when 01:00 GMT becomes
 * 02:00 BST (the 23-hour day).
 */
class OccupancyHandWorkedIT {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final String F = "f-london";
  private static final String A = "zone-a";
  private static final String B = "zone-b";
  private static final LocalDate AS_OF = LocalDate.of(2026, 10, 31);

  private static LakeLayout lake;
  private static MartContext context;

  @BeforeAll
  static void lake() throws Exception {
    SparkSession spark = TestSpark.session();
    lake = new LakeLayout(Files.createTempDirectory("parklake-occupancy-hand").resolve("lake"));
    write(spark, "facilities", new StructType().add("id", "string").add("name", "string").add("timezone", "string")
        .add("is_active", "boolean"), List.of(RowFactory.create(F, "London Central", "Europe/London", true)));
    write(spark, "zones", new StructType().add("id", "string").add("facility_id", "string").add("code", "string")
        .add("total_spots", "int"), List.of(RowFactory.create(A, F, "A", 10), RowFactory.create(B, F, "B", 5)));
    write(spark, "parking_spots", new StructType().add("id", "string").add("zone_id", "string"),
        List.of(RowFactory.create("a-1", A), RowFactory.create("a-2", A), RowFactory.create("a-3", A), RowFactory.create("b-1", B)));

    List<Row> bookings = new ArrayList<>();
    // 1. Across midnight: 2026-10-20 23:30 BST (22:30Z) to 2026-10-21 01:15 BST (00:15Z).
    bookings.add(booking("b1", "a-1", "COMPLETED", "2026-10-20T22:30:00Z", "2026-10-21T00:00:00Z", "2026-10-21T00:15:00Z"));
    // 2. Across the fall-back hour: 00:30 BST (23:30Z on the 24th) to 02:30 GMT (02:30Z): 2 h on the clock, 3 h elapsed.
    bookings.add(booking("b2", "a-1", "COMPLETED", "2026-10-24T23:30:00Z", "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z"));
    // 3. Inside the second 01:00 (GMT): 01:00Z to 01:30Z, overlapping b2.
    bookings.add(booking("b3", "a-2", "COMPLETED", "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z", "2026-10-25T01:30:00Z"));
    // 4. Arrives at the instant b2 leaves (02:30Z) and stays to 03:10Z: intervals are half-open, no overlap.
    bookings.add(booking("b4", "a-2", "COMPLETED", "2026-10-25T02:30:00Z", "2026-10-25T03:00:00Z", "2026-10-25T03:10:00Z"));
    // 5. Zone B, 01:10Z to 01:20Z: the facility holds 3 vehicles then, though no zone holds more than 2.
    bookings.add(booking("b5", "b-1", "COMPLETED", "2026-10-25T01:10:00Z", "2026-10-25T01:20:00Z", "2026-10-25T01:20:00Z"));
    // 6. Statuses that never occupy, at the same time as b2.
    for (String status : List.of("CANCELLED", "NO_SHOW", "CONFIRMED", "PENDING")) {
      bookings.add(booking("x-" + status, "a-3", status, "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", null));
    }
    // 7. Open (ACTIVE, no actual exit): occupies to expected_exit, 2026-10-28 10:00Z to 10:45Z (10:00 to 10:45 GMT).
    bookings.add(booking("b7", "a-3", "ACTIVE", "2026-10-28T10:00:00Z", "2026-10-28T10:45:00Z", null));
    // 8. Across the spring-forward: 00:30 GMT (00:30Z) to 03:30 BST (02:30Z) on 2026-03-29: 3 h on the clock, 2 h elapsed.
    bookings.add(booking("b8", "a-1", "COMPLETED", "2026-03-29T00:30:00Z", "2026-03-29T02:30:00Z", "2026-03-29T02:30:00Z"));
    // 9. A ten-day stay, 2026-10-01 09:00Z to 2026-10-11 09:00Z, beyond the seven days partitionsFor reaches.
    bookings.add(booking("b9", "b-1", "COMPLETED", "2026-10-01T09:00:00Z", "2026-10-06T09:00:00Z", "2026-10-11T09:00:00Z"));
    write(spark, "bookings", new StructType().add("id", "string").add("spot_id", "string").add("facility_id", "string")
        .add("status", "string").add("entry_time", "timestamp").add("expected_exit", "timestamp").add("actual_exit", "timestamp")
        .add("business_date", "date"), bookings);

    List<Row> events = new ArrayList<>();
    // t1: the same midnight crossing seen by the camera, with a duplicate ENTRY 2 s later.
    events.add(event(1, "t1", "P1", "ENTRY", "2026-10-20T22:30:00Z"));
    events.add(event(2, "t1", "P1", "ENTRY", "2026-10-20T22:30:02Z"));
    events.add(event(3, "t1", "P1", "EXIT", "2026-10-21T00:15:00Z"));
    // t2: an ENTRY never followed by an EXIT: inside for 24 h, 2026-10-21 08:00Z to 2026-10-22 08:00Z.
    events.add(event(4, "t2", "P2", "ENTRY", "2026-10-21T08:00:00Z"));
    // t3: an EXIT with no ENTRY before it.
    events.add(event(5, "t3", "P3", "EXIT", "2026-10-21T10:00:00Z"));
    // t4: in at 01:30 BST (00:30Z), out at 01:30 GMT (01:30Z): the two 01:00 hours get 30 minutes each.
    events.add(event(6, "t4", "P4", "ENTRY", "2026-10-25T00:30:00Z"));
    events.add(event(7, "t4", "P4", "EXIT", "2026-10-25T01:30:00Z"));
    write(spark, "parking_events", new StructType().add("id", "long").add("camera_id", "string").add("facility_id", "string")
        .add("zone_id", "string").add("track_id", "string").add("plate_number", "string").add("direction", "string")
        .add("event_time", "timestamp").add("business_date", "date"), events);

    context = new MartContext(spark, lake, AS_OF);
    Marts.rebuild(context, m -> m.name().startsWith("occupancy_"));
  }

  @Test
  void the_fall_back_day_has_25_distinct_hours_and_the_spring_forward_day_23() {
    Dataset<Row> hourly = gold("occupancy_hourly");
    assertThat(hourly.where("zone_id = '" + A + "' AND local_date = DATE'2026-10-25'").count()).isEqualTo(25);
    assertThat(hourly.where("zone_id = '" + A + "' AND local_date = DATE'2026-10-25' AND local_hour = 1")
        .select("utc_offset").as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactlyInAnyOrder("+01:00", "+00:00");
    assertThat(hourly.where("zone_id = '" + A + "' AND local_date = DATE'2026-03-29'").count()).isEqualTo(23);
    assertThat(hourly.where("zone_id = '" + A + "' AND local_date = DATE'2026-03-29' AND local_hour = 1").count()).isZero();
    assertThat(hourly.where("zone_id = '" + A + "' AND local_date = DATE'2026-10-21'").count()).isEqualTo(24);
    // Every zone of the facility gets every hour of every computed day.
    assertThat(hourly.where("local_date = DATE'2026-10-23'").count()).isEqualTo(48);
  }

  @Test
  void a_stay_across_midnight_is_cut_at_the_local_midnight() {
    // 23:30–24:00 on the 20th: 30 min; 00:00–01:00 on the 21st: 60 min; 01:00–01:15: 15 min.
    Map<String, String> a = zoneHours(A, "2026-10-20", "2026-10-21");
    assertThat(a).containsEntry("2026-10-20|23|23|+01:00", "1800|30|36000|0.05|1")
        .containsEntry("2026-10-21|0|0|+01:00", "3600|60|36000|0.1|1")
        .containsEntry("2026-10-21|1|1|+01:00", "900|15|36000|0.025|1");
    assertThat(total(A, "2026-10-20") + total(A, "2026-10-21")).isEqualTo(105 * 60);
  }

  @Test
  void a_stay_across_the_fall_back_hour_counts_its_three_elapsed_hours() {
    // hour_seq|local_hour|offset → seconds|minutes|capacity|utilisation|peak, zone A on 2026-10-25:
    //  0 00:00 BST (23:00Z–00:00Z)  b2 from 23:30Z: 30 min
    //  1 01:00 BST (00:00Z–01:00Z)  b2: 60 min
    //  2 01:00 GMT (01:00Z–02:00Z)  b2 60 + b3 30 = 90 min, two at once from 01:00Z to 01:30Z
    //  3 02:00 GMT (02:00Z–03:00Z)  b2 to 02:30Z: 30 + b4 from 02:30Z: 30 = 60 min, never two at once
    //  4 03:00 GMT (03:00Z–04:00Z)  b4 to 03:10Z: 10 min
    // The cancelled, no-show, confirmed and pending bookings add nothing.
    Map<String, String> a = zoneHours(A, "2026-10-25");
    assertThat(a).containsEntry("2026-10-25|0|0|+01:00", "1800|30|36000|0.05|1")
        .containsEntry("2026-10-25|1|1|+01:00", "3600|60|36000|0.1|1")
        .containsEntry("2026-10-25|2|1|+00:00", "5400|90|36000|0.15|2")
        .containsEntry("2026-10-25|3|2|+00:00", "3600|60|36000|0.1|1")
        .containsEntry("2026-10-25|4|3|+00:00", "600|10|36000|0.016667|1")
        .containsEntry("2026-10-25|24|23|+00:00", "0|0|36000|0|0");
    assertThat(total(A, "2026-10-25")).isEqualTo((30 + 60 + 90 + 60 + 10) * 60);
  }

  @Test
  void a_stay_across_the_spring_forward_gap_counts_its_two_elapsed_hours() {
    // 00:00 GMT (00:00Z–01:00Z): 30 min; 02:00 BST (01:00Z–02:00Z): 60 min; 03:00 BST (02:00Z–03:00Z): 30 min.
    Map<String, String> a = zoneHours(A, "2026-03-29");
    assertThat(a).containsEntry("2026-03-29|0|0|+00:00", "1800|30|36000|0.05|1")
        .containsEntry("2026-03-29|1|2|+01:00", "3600|60|36000|0.1|1")
        .containsEntry("2026-03-29|2|3|+01:00", "1800|30|36000|0.05|1");
    assertThat(total(A, "2026-03-29")).isEqualTo(2 * 3600);
  }

  @Test
  void an_open_booking_occupies_to_its_expected_exit() {
    // 2026-10-28 10:00 GMT: b7 from 10:00Z to 10:45Z.
    assertThat(zoneHours(A, "2026-10-28")).containsEntry("2026-10-28|10|10|+00:00", "2700|45|36000|0.075|1");
    assertThat(total(A, "2026-10-28")).isEqualTo(45 * 60);
  }

  @Test
  void a_stay_longer_than_the_refresh_reach_is_still_counted_on_every_day_it_covers() {
    // Computing 2026-10-10 alone (9 days after b9's business date) still finds b9: zone B full 24 h, one car.
    Dataset<Row> day = new OccupancyHourlyMart().compute(context, new TreeSet<>(List.of(LocalDate.of(2026, 10, 10))))
        .where("zone_id = '" + B + "'");
    assertThat(day.count()).isEqualTo(24);
    assertThat(day.where("occupied_spot_seconds = 3600 AND peak_concurrent = 1").count()).isEqualTo(24);
    // Its last day: 00:00–10:00 BST.
    Dataset<Row> last = new OccupancyHourlyMart().compute(context, new TreeSet<>(List.of(LocalDate.of(2026, 10, 11))))
        .where("zone_id = '" + B + "'");
    assertThat(last.agg(org.apache.spark.sql.functions.sum("occupied_spot_seconds")).first().getLong(0)).isEqualTo(10 * 3600);
  }

  @Test
  void peaks_take_the_busiest_facility_hour_and_the_facility_wide_concurrency() {
    // Facility hour 2 (01:00 GMT): zone A 5400 + zone B 600 (b5) over 15 spots × 3600 s = 6000 / 54000.
    // Day: (1800 + 3600 + 6000 + 3600 + 600) / (15 × 25 × 3600) = 15600 / 1350000 = 0.0115555… → 0.011556.
    // Concurrency: 01:10Z–01:20Z b2, b3 (zone A) and b5 (zone B) are all inside: 3.
    Row p = gold("occupancy_peaks").where("local_date = DATE'2026-10-25'").first();
    assertThat(p.<Integer>getAs("hours")).isEqualTo(25);
    assertThat(p.<Integer>getAs("peak_hour_seq")).isEqualTo(2);
    assertThat(p.<Integer>getAs("peak_local_hour")).isEqualTo(1);
    assertThat(p.<String>getAs("peak_utc_offset")).isEqualTo("+00:00");
    assertThat(p.<Instant>getAs("peak_hour_start")).isEqualTo(Instant.parse("2026-10-25T01:00:00Z"));
    assertThat(p.<BigDecimal>getAs("peak_utilisation")).isEqualByComparingTo("0.111111");
    assertThat(p.<BigDecimal>getAs("avg_utilisation")).isEqualByComparingTo("0.011556");
    assertThat(p.<Long>getAs("occupied_spot_seconds")).isEqualTo(15600L);
    assertThat(p.<Long>getAs("peak_concurrent")).isEqualTo(3L);
    // A day without any stay has no peak hour.
    Row quiet = gold("occupancy_peaks").where("local_date = DATE'2026-10-23'").first();
    assertThat(quiet.<Integer>getAs("peak_hour_seq")).isNull();
    assertThat(quiet.<Long>getAs("peak_concurrent")).isZero();
  }

  @Test
  void camera_passes_are_paired_deduplicated_and_the_unpaired_counted() {
    // hour → seconds|peak|entries|exits|unpaired entries|unpaired exits, zone A.
    Map<String, String> o = observedHours(A, "2026-10-20", "2026-10-21", "2026-10-22", "2026-10-25");
    // t1: in 22:30Z (23:30 BST, the duplicate 2 s later dropped), out 00:15Z (01:15 BST).
    assertThat(o).containsEntry("2026-10-20|23", "1800|1|1|0|0|0")
        .containsEntry("2026-10-21|0", "3600|1|0|0|0|0")
        .containsEntry("2026-10-21|1", "900|1|0|1|0|0");
    // t2: in at 08:00Z (09:00 BST) on the 21st, never out: 24 h, to 09:00 BST on the 22nd.
    assertThat(o).containsEntry("2026-10-21|9", "3600|1|1|0|1|0")
        .containsEntry("2026-10-21|23", "3600|1|0|0|0|0")
        .containsEntry("2026-10-22|8", "3600|1|0|0|0|0")
        .containsEntry("2026-10-22|9", "0|0|0|0|0|0");
    // t3: an EXIT alone at 10:00Z (11:00 BST): counted, adds no presence.
    assertThat(o).containsEntry("2026-10-21|11", "3600|1|0|1|0|1");
    // t4: 01:30 BST to 01:30 GMT: the first 01:00 (seq 1) and the second (seq 2) get 30 min each.
    assertThat(o).containsEntry("2026-10-25|1", "1800|1|1|0|0|0").containsEntry("2026-10-25|2", "1800|1|0|1|0|0");
    Dataset<Row> all = gold("occupancy_observed_hourly");
    assertThat(all.agg(org.apache.spark.sql.functions.sum("entries"), org.apache.spark.sql.functions.sum("exits"),
        org.apache.spark.sql.functions.sum("unpaired_entries"), org.apache.spark.sql.functions.sum("unpaired_exits")).first()
        .toString()).isEqualTo("[3,3,1,1]");
    assertThat(all.where("zone_id = '" + A + "' AND local_date = DATE'2026-10-21'")
        .agg(org.apache.spark.sql.functions.sum("observed_vehicle_seconds")).first().getLong(0))
        .isEqualTo(3600 + 900 + 15 * 3600);
  }

  // ---------------------------------------------------------------- helpers

  private static Dataset<Row> gold(String mart) {
    return context.table("gold." + mart);
  }

  private static Map<String, String> zoneHours(String zone, String... days) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : gold("occupancy_hourly").where("zone_id = '" + zone + "' AND local_date IN (" + dates(days) + ")")
        .selectExpr("local_date", "hour_seq", "local_hour", "utc_offset", "occupied_spot_seconds", "occupied_spot_minutes",
            "capacity_spot_seconds", "utilisation", "peak_concurrent").collectAsList()) {
      out.put(r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3),
          r.get(4) + "|" + plain(r.getDecimal(5)) + "|" + r.get(6) + "|" + plain(r.getDecimal(7)) + "|" + r.get(8));
    }
    return out;
  }

  private static Map<String, String> observedHours(String zone, String... days) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : gold("occupancy_observed_hourly").where("zone_id = '" + zone + "' AND local_date IN (" + dates(days) + ")")
        .selectExpr("local_date", "hour_seq", "observed_vehicle_seconds", "peak_concurrent_observed", "entries", "exits",
            "unpaired_entries", "unpaired_exits").collectAsList()) {
      out.put(r.get(0) + "|" + r.get(1), r.get(2) + "|" + r.get(3) + "|" + r.get(4) + "|" + r.get(5) + "|" + r.get(6) + "|" + r.get(7));
    }
    return out;
  }

  private static long total(String zone, String day) {
    return gold("occupancy_hourly").where("zone_id = '" + zone + "' AND local_date = DATE'" + day + "'")
        .agg(org.apache.spark.sql.functions.sum("occupied_spot_seconds")).first().getLong(0);
  }

  private static String dates(String... days) {
    return String.join(", ", java.util.Arrays.stream(days).map(d -> "DATE'" + d + "'").toList());
  }

  private static String plain(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  private static Row booking(String id, String spot, String status, String entry, String expected, String actual) {
    Instant e = Instant.parse(entry);
    return RowFactory.create(id, spot, F, status, e, Instant.parse(expected), actual == null ? null : Instant.parse(actual),
        e.atZone(LONDON).toLocalDate());
  }

  private static Row event(long id, String track, String plate, String direction, String at) {
    Instant t = Instant.parse(at);
    return RowFactory.create(id, "cam-A", F, A, track, plate, direction, t, t.atZone(LONDON).toLocalDate());
  }

  private static void write(SparkSession spark, String table, StructType schema, List<Row> rows) {
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    boolean fact = List.of(schema.fieldNames()).contains("business_date");
    DeltaTables.overwrite(df, lake.silver(table), fact ? "business_date" : null);
  }
}
