package io.parklake.pipelines.occupancy;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Periods;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code occupancy_hourly}: booked occupancy per facility × zone × local hour (docs/marts/occupancy_hourly.md).
 *
 * <p>A booking occupies its spot's zone from {@code entry_time} to {@code actual_exit}, or to
 * {@code expected_exit} while it has none, when its status is ACTIVE or COMPLETED (the synthetic
 * source gives an actual exit only to COMPLETED bookings, and ACTIVE ones are the cars inside at its
 * as-of instant); PENDING and CONFIRMED (not yet entered), CANCELLED and NO_SHOW never occupy.
 * Occupancy is counted in whole seconds; every zone of every active facility gets every hour of
 * every computed day.
 */
public final class OccupancyHourlyMart implements Mart {

  static final String OCCUPYING = "'ACTIVE', 'COMPLETED'";

  @Override
  public String name() {
    return "occupancy_hourly";
  }

  @Override
  public List<String> inputs() {
    return List.of("silver.bookings", "silver.parking_spots", "silver.zones", "silver.facilities");
  }

  @Override
  public String dateColumn() {
    return "local_date";
  }

  /** A booking's business date is its entry day; its stay reaches up to {@value HourlySweep#REACH_DAYS} days further. */
  @Override
  public SortedSet<LocalDate> partitionsFor(SortedSet<LocalDate> changedDays) {
    return Periods.withFollowing(changedDays, HourlySweep.REACH_DAYS);
  }

  @Override
  public boolean hourly() {
    return true;
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> partitions) {
    SparkSession spark = context.spark();
    SortedSet<LocalDate> days = partitions;
    context.view("silver.facilities", "occ_facilities");
    context.view("silver.zones", "occ_zones");
    Dataset<Row> stays = bookedStays(context, days, "s.zone_id");
    Dataset<Row> slots = slots(context, days);
    slots.createOrReplaceTempView("occ_slots");
    // No day after the run date's next day, unless a stay has begun there: days ahead would only show
    // the planned rest of open stays. (The next day is the one an hourly run is in.)
    spark.sql("SELECT DISTINCT timezone, local_date, ds, de FROM occ_slots\n"
        + "WHERE local_date <= greatest(DATE'" + context.asOf().plusDays(1) + "',\n"
        + "  (SELECT max(business_date) FROM occ_bookings WHERE status IN (" + OCCUPYING + ")))")
        .createOrReplaceTempView("occ_days");
    Dataset<Row> facilityDays = spark.sql(
        "SELECT f.id AS facility_id, d.timezone, d.local_date, d.ds, d.de FROM occ_facilities f JOIN occ_days d ON d.timezone = f.timezone");

    Dataset<Row> clipped = HourlySweep.clip(spark, stays, facilityDays);
    clipped.createOrReplaceTempView("occ_clipped");
    // The grid: each zone of an active facility, and any zone a stay overlapped, on each computed day.
    Dataset<Row> zoneDays = spark.sql(
        "SELECT z.id AS key, f.timezone, d.local_date FROM occ_zones z JOIN occ_facilities f ON f.id = z.facility_id\n"
            + "JOIN occ_days d ON d.timezone = f.timezone WHERE f.is_active\n"
            + "UNION SELECT key, timezone, local_date FROM occ_clipped");
    zoneDays.createOrReplaceTempView("occ_zone_days");
    HourlySweep.perHour(spark, clipped, zoneDays, slots).createOrReplaceTempView("occ_per_hour");
    return spark.sql(
        "SELECT f.id AS facility_id, f.name AS facility_name, z.id AS zone_id, z.code AS zone_code, f.timezone,\n"
            + "  s.local_date, s.hour_seq, s.local_hour, s.utc_offset, s.hour_start, s.hour_end,\n"
            + "  z.total_spots,\n"
            + "  COALESCE(p.occupied_s, 0) AS occupied_spot_seconds,\n"
            + "  CAST(COALESCE(p.occupied_s, 0) / 60.0 AS DECIMAL(18,4)) AS occupied_spot_minutes,\n"
            + "  CAST(z.total_spots AS BIGINT) * (s.he - s.hs) AS capacity_spot_seconds,\n"
            + "  CAST(CAST(z.total_spots AS BIGINT) * (s.he - s.hs) / 60.0 AS DECIMAL(18,4)) AS capacity_spot_minutes,\n"
            + "  CASE WHEN z.total_spots > 0 THEN CAST(CAST(COALESCE(p.occupied_s, 0) AS DECIMAL(18,0))\n"
            + "    / CAST(CAST(z.total_spots AS BIGINT) * (s.he - s.hs) AS DECIMAL(18,0)) AS DECIMAL(12,6)) END AS utilisation,\n"
            + "  COALESCE(p.peak, 0) AS peak_concurrent\n"
            + "FROM occ_zone_days k\n"
            + "JOIN occ_zones z ON z.id = k.key\n"
            + "JOIN occ_facilities f ON f.id = z.facility_id\n"
            + "JOIN occ_slots s ON s.timezone = k.timezone AND s.local_date = k.local_date\n"
            + "LEFT JOIN occ_per_hour p ON p.key = k.key AND p.local_date = s.local_date AND p.hour_seq = s.hour_seq");
  }

  /** The hour slots of {@code days} in every facility's zone. */
  static Dataset<Row> slots(MartContext context, SortedSet<LocalDate> days) {
    List<String> zones = new ArrayList<>();
    context.table("silver.facilities").select("timezone").distinct().collectAsList().forEach(r -> zones.add(r.getString(0)));
    return LocalHours.dataset(context.spark(), zones, days);
  }

  /**
   * The occupying stays that may overlap {@code days}, as {@code (facility_id, key, s, e)} in epoch
   * seconds, keyed by {@code keyColumn} ({@code s.zone_id} or {@code z.facility_id}). The stay's
   * facility is its zone's (capacity and occupancy are both the zone's). Read from the business dates
   * {@value HourlySweep#REACH_DAYS}+1 days before each day up to it (partition pruning), plus, from
   * older dates, only the stays still open at the first day (a stay of any length is counted).
   */
  static Dataset<Row> bookedStays(MartContext context, SortedSet<LocalDate> days, String keyColumn) {
    context.view("silver.bookings", "occ_bookings");
    context.view("silver.parking_spots", "occ_spots");
    context.view("silver.zones", "occ_stay_zones");
    if (days.isEmpty()) {
      return context.sql("SELECT CAST(NULL AS STRING) AS facility_id, CAST(NULL AS STRING) AS key, 0L AS s, 0L AS e WHERE false");
    }
    String near = MartContext.dateList(HourlySweep.around(days, HourlySweep.REACH_DAYS + 1, 0));
    String openFrom = "TIMESTAMP'" + days.first().minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "'";
    String fields = "id, spot_id, entry_time, coalesce(actual_exit, expected_exit) AS end_time";
    String occupying = "status IN (" + OCCUPYING + ")";
    return context.sql(
        "WITH b AS (\n"
            + "  SELECT " + fields + " FROM occ_bookings WHERE " + occupying + " AND business_date IN (" + near + ")\n"
            + "  UNION ALL\n"
            + "  SELECT " + fields + " FROM occ_bookings WHERE " + occupying + " AND business_date NOT IN (" + near + ")\n"
            + "    AND business_date <= DATE'" + days.last() + "'\n"
            + "    AND (actual_exit >= " + openFrom + " OR (actual_exit IS NULL AND expected_exit >= " + openFrom + "))\n"
            + ")\n"
            + "SELECT z.facility_id, " + keyColumn + " AS key, unix_seconds(b.entry_time) AS s, unix_seconds(b.end_time) AS e\n"
            + "FROM b JOIN occ_spots s ON s.id = b.spot_id JOIN occ_stay_zones z ON z.id = s.zone_id\n"
            + "WHERE b.end_time IS NOT NULL");
  }
}
