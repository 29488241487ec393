package io.parklake.pipelines.occupancy;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code occupancy_observed_hourly}: occupancy seen by the cameras per facility × zone × local hour,
 * the independent check on the booked {@code occupancy_hourly} (docs/marts/occupancy_observed_hourly.md).
 *
 * <p>Events of one vehicle pass are those with the same facility, zone, camera {@code track_id} and
 * plate, in time order. A repeat of the previous event's direction within {@value #DUPLICATE_SECONDS}
 * s is a duplicate detection and dropped. An ENTRY whose next event is an EXIT within
 * {@value #PAIR_DAYS} days is paired with it: the vehicle is inside from entry to exit. An ENTRY
 * without one is unpaired and counted inside for at most {@value #OPEN_HOURS} hours (or until the
 * next event of the pass). An EXIT not paired that way is counted as unpaired and adds no presence.
 */
public final class OccupancyObservedHourlyMart implements Mart {
  static final int DUPLICATE_SECONDS = 60;
  static final int PAIR_DAYS = 7;
  static final int OPEN_HOURS = 24;
  /** Business dates read around each computed day: pairs and their duplicates within 7 days, with DST slack. */
  static final int LOOK_BACK_DAYS = PAIR_DAYS + 2;
  static final int LOOK_AHEAD_DAYS = PAIR_DAYS + 1;

  @Override
  public String name() {
    return "occupancy_observed_hourly";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.parking_events", "silver.zones", "silver.facilities");
  }

  @Override
  public String dateColumn() {
    return "local_date";
  }

  /**
   * An event on day X can pair with, or unpair, an event up to {@value #PAIR_DAYS} days either side,
   * changing presence on the days between: X − 8 .. X + 8 (days after the data are not computed).
   */
  @Override
  public SortedSet<LocalDate> partitionsFor(SortedSet<LocalDate> changedDays) {
    return HourlySweep.around(changedDays, PAIR_DAYS + 1, PAIR_DAYS + 1);
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> partitions) {
    SparkSession spark = context.spark();
    SortedSet<LocalDate> days = partitions;
    context.view("silver.facilities", "obs_facilities");
    context.view("silver.zones", "obs_zones");
    context.view("silver.parking_events", "obs_events_all");
    Dataset<Row> slots = OccupancyHourlyMart.slots(context, days);
    slots.createOrReplaceTempView("obs_slots");
    // No day after the run date's next day or the last event's day (partitionsFor reaches 8 days ahead).
    // (The zone_id filter also keeps Delta 4.0.1 from answering max() from metadata, which fails on dates.)
    spark.sql("SELECT DISTINCT timezone, local_date, ds, de FROM obs_slots\n"
        + "WHERE local_date <= greatest(DATE'" + context.asOf().plusDays(1) + "',\n"
        + "  (SELECT max(business_date) FROM obs_events_all WHERE zone_id IS NOT NULL))")
        .createOrReplaceTempView("obs_days");
    Dataset<Row> facilityDays = spark.sql(
        "SELECT f.id AS facility_id, d.timezone, d.local_date, d.ds, d.de FROM obs_facilities f JOIN obs_days d ON d.timezone = f.timezone");
    facilityDays.createOrReplaceTempView("obs_facility_days");

    String window = days.isEmpty() ? "NULL" : MartContext.dateList(HourlySweep.around(days, LOOK_BACK_DAYS, LOOK_AHEAD_DAYS));
    Dataset<Row> passes = spark.sql(
        "WITH e AS (\n"
            + "  SELECT v.id, z.facility_id, v.zone_id, v.track_id, coalesce(v.plate_number, '') AS plate, v.direction,\n"
            + "    unix_micros(v.event_time) AS us, unix_seconds(v.event_time) AS s\n"
            + "  FROM obs_events_all v JOIN obs_zones z ON z.id = v.zone_id\n"
            + "  WHERE v.business_date IN (" + window + ")\n"
            + "), d AS (\n"
            + "  SELECT *, LAG(direction) OVER k = direction AND us - LAG(us) OVER k <= " + DUPLICATE_SECONDS + " * 1000000L AS dup\n"
            + "  FROM e WINDOW k AS (PARTITION BY facility_id, zone_id, track_id, plate ORDER BY us, id)\n"
            + ")\n"
            + "SELECT facility_id, zone_id, direction, us, s,\n"
            + "  LEAD(direction) OVER k AS next_dir, LEAD(us) OVER k AS next_us, LEAD(s) OVER k AS next_s,\n"
            + "  LAG(direction) OVER k AS prev_dir, LAG(us) OVER k AS prev_us\n"
            + "FROM d WHERE NOT coalesce(dup, false)\n"
            + "WINDOW k AS (PARTITION BY facility_id, zone_id, track_id, plate ORDER BY us, id)");
    passes.createOrReplaceTempView("obs_passes");
    String pairUs = PAIR_DAYS + " * 86400000000L";
    Dataset<Row> classified = spark.sql(
        "SELECT facility_id, zone_id, direction, s,\n"
            + "  CASE WHEN direction = 'ENTRY' THEN next_dir = 'EXIT' AND next_us - us <= " + pairUs + "\n"
            + "       ELSE prev_dir = 'ENTRY' AND us - prev_us <= " + pairUs + " END AS paired,\n"
            + "  CASE WHEN direction <> 'ENTRY' THEN NULL\n"
            + "       WHEN next_dir = 'EXIT' AND next_us - us <= " + pairUs + " THEN next_s\n"
            + "       ELSE least(s + " + OPEN_HOURS + " * 3600, coalesce(next_s, s + " + OPEN_HOURS + " * 3600)) END AS until_s\n"
            + "FROM obs_passes");
    classified.createOrReplaceTempView("obs_classified");

    Dataset<Row> stays = spark.sql(
        "SELECT facility_id, zone_id AS key, s, until_s AS e FROM obs_classified WHERE direction = 'ENTRY'");
    Dataset<Row> clipped = HourlySweep.clip(spark, stays, facilityDays);
    clipped.createOrReplaceTempView("obs_clipped");
    // Each event in the slot of its instant, for the counts. The event's local day is one of its UTC
    // date ± 1: joining on those candidates keeps the join an equi-join (a range join on the facility
    // alone compares every event with every day of its facility).
    spark.sql(
        "SELECT c.zone_id, s.local_date, s.hour_seq,\n"
            + "  COUNT(CASE WHEN c.direction = 'ENTRY' THEN 1 END) AS entries,\n"
            + "  COUNT(CASE WHEN c.direction = 'EXIT' THEN 1 END) AS exits,\n"
            + "  COUNT(CASE WHEN c.direction = 'ENTRY' AND NOT coalesce(c.paired, false) THEN 1 END) AS unpaired_entries,\n"
            + "  COUNT(CASE WHEN c.direction = 'EXIT' AND NOT coalesce(c.paired, false) THEN 1 END) AS unpaired_exits\n"
            + "FROM (SELECT *, explode(sequence(date_add(date_from_unix_date(CAST(s DIV 86400 AS INT)), -1),\n"
            + "        date_add(date_from_unix_date(CAST(s DIV 86400 AS INT)), 1))) AS candidate_date\n"
            + "      FROM obs_classified) c\n"
            + "JOIN obs_facility_days d ON d.facility_id = c.facility_id AND d.local_date = c.candidate_date\n"
            + "  AND c.s >= d.ds AND c.s < d.de\n"
            + "JOIN obs_slots s ON s.timezone = d.timezone AND s.local_date = d.local_date AND c.s >= s.hs AND c.s < s.he\n"
            + "GROUP BY c.zone_id, s.local_date, s.hour_seq").createOrReplaceTempView("obs_counts");
    Dataset<Row> zoneDays = spark.sql(
        "SELECT z.id AS key, f.timezone, d.local_date FROM obs_zones z JOIN obs_facilities f ON f.id = z.facility_id\n"
            + "JOIN obs_days d ON d.timezone = f.timezone WHERE f.is_active\n"
            + "UNION SELECT key, timezone, local_date FROM obs_clipped\n"
            + "UNION SELECT c.zone_id, s.timezone, s.local_date FROM obs_counts c\n"
            + "  JOIN obs_zones z ON z.id = c.zone_id JOIN obs_facilities f ON f.id = z.facility_id\n"
            + "  JOIN obs_slots s ON s.timezone = f.timezone AND s.local_date = c.local_date AND s.hour_seq = c.hour_seq");
    zoneDays.createOrReplaceTempView("obs_zone_days");
    HourlySweep.perHour(spark, clipped, zoneDays, slots).createOrReplaceTempView("obs_per_hour");
    return spark.sql(
        "SELECT f.id AS facility_id, f.name AS facility_name, z.id AS zone_id, z.code AS zone_code, f.timezone,\n"
            + "  s.local_date, s.hour_seq, s.local_hour, s.utc_offset, s.hour_start, s.hour_end,\n"
            + "  z.total_spots,\n"
            + "  COALESCE(p.occupied_s, 0) AS observed_vehicle_seconds,\n"
            + "  CAST(COALESCE(p.occupied_s, 0) / 60.0 AS DECIMAL(18,4)) AS observed_vehicle_minutes,\n"
            + "  CAST(z.total_spots AS BIGINT) * (s.he - s.hs) AS capacity_spot_seconds,\n"
            + "  CASE WHEN z.total_spots > 0 THEN CAST(CAST(COALESCE(p.occupied_s, 0) AS DECIMAL(18,0))\n"
            + "    / CAST(CAST(z.total_spots AS BIGINT) * (s.he - s.hs) AS DECIMAL(18,0)) AS DECIMAL(12,6)) END AS observed_utilisation,\n"
            + "  COALESCE(p.peak, 0) AS peak_concurrent_observed,\n"
            + "  COALESCE(n.entries, 0) AS entries, COALESCE(n.exits, 0) AS exits,\n"
            + "  COALESCE(n.unpaired_entries, 0) AS unpaired_entries, COALESCE(n.unpaired_exits, 0) AS unpaired_exits\n"
            + "FROM obs_zone_days k\n"
            + "JOIN obs_zones z ON z.id = k.key\n"
            + "JOIN obs_facilities f ON f.id = z.facility_id\n"
            + "JOIN obs_slots s ON s.timezone = k.timezone AND s.local_date = k.local_date\n"
            + "LEFT JOIN obs_per_hour p ON p.key = k.key AND p.local_date = s.local_date AND p.hour_seq = s.hour_seq\n"
            + "LEFT JOIN obs_counts n ON n.zone_id = k.key AND n.local_date = s.local_date AND n.hour_seq = s.hour_seq");
  }
}
