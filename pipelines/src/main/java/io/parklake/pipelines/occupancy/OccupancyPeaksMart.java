package io.parklake.pipelines.occupancy;

import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Periods;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code occupancy_peaks}: per facility and local day, the busiest hour and the day's average from
 * {@code gold.occupancy_hourly} (facility utilisation of an hour = Σ zones' occupied / Σ zones'
 * capacity), and the facility's exact peak of concurrent vehicles, from its own sweep over the same
 * stays (the zones' hourly peaks cannot be added: they need not happen at the same moment).
 * See docs/marts/occupancy_peaks.md.
 */
public final class OccupancyPeaksMart implements Mart {

  @Override
  public String name() {
    return "occupancy_peaks";
  }

  @Override
  public List<String> inputs() {
    return List.of("gold.occupancy_hourly", "silver.bookings", "silver.parking_spots", "silver.zones", "silver.facilities");
  }

  @Override
  public String dateColumn() {
    return "local_date";
  }

  /** The same partitions occupancy_hourly refreshes for the same changed days. */
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
    String dates = MartContext.dateList(partitions);
    context.table("gold.occupancy_hourly").where("local_date IN (" + dates + ")").createOrReplaceTempView("pk_hourly");
    SortedSet<LocalDate> days = partitions;
    context.view("silver.facilities", "pk_facilities");
    Dataset<Row> slots = OccupancyHourlyMart.slots(context, days);
    slots.createOrReplaceTempView("pk_slots");
    // The facility days occupancy_hourly holds (it computes no day far beyond the run date).
    Dataset<Row> facilityDays = spark.sql(
        "SELECT DISTINCT h.facility_id, d.timezone, d.local_date, d.ds, d.de FROM pk_hourly h\n"
            + "JOIN pk_slots d ON d.timezone = h.timezone AND d.local_date = h.local_date");
    facilityDays.createOrReplaceTempView("pk_facility_days");
    Dataset<Row> clipped = HourlySweep.clip(spark, OccupancyHourlyMart.bookedStays(context, days, "z.facility_id"), facilityDays);
    Dataset<Row> keyDays = spark.sql("SELECT DISTINCT facility_id AS key, timezone, local_date FROM pk_facility_days");
    HourlySweep.perHour(spark, clipped, keyDays, slots).createOrReplaceTempView("pk_concurrent");

    return spark.sql(
        "WITH fh AS (\n"
            + "  SELECT facility_id, local_date, hour_seq, local_hour, utc_offset, hour_start,\n"
            + "    SUM(occupied_spot_seconds) AS occ, SUM(capacity_spot_seconds) AS cap\n"
            + "  FROM pk_hourly GROUP BY facility_id, local_date, hour_seq, local_hour, utc_offset, hour_start\n"
            + "), ranked AS (\n"
            + "  SELECT *, ROW_NUMBER() OVER (PARTITION BY facility_id, local_date\n"
            + "    ORDER BY CASE WHEN cap > 0 THEN CAST(occ AS DECIMAL(18,0)) / CAST(cap AS DECIMAL(18,0)) END DESC NULLS LAST,\n"
            + "      hour_seq) AS rn\n"
            + "  FROM fh\n"
            + "), day AS (\n"
            + "  SELECT facility_id, local_date, COUNT(*) AS hours, SUM(occ) AS occ, SUM(cap) AS cap FROM fh GROUP BY facility_id, local_date\n"
            + "), conc AS (\n"
            + "  SELECT key AS facility_id, local_date, MAX(peak) AS peak FROM pk_concurrent GROUP BY key, local_date\n"
            + ")\n"
            + "SELECT f.id AS facility_id, f.name AS facility_name, f.timezone, d.local_date, CAST(d.hours AS INT) AS hours,\n"
            + "  CASE WHEN d.occ > 0 THEN r.hour_seq END AS peak_hour_seq,\n"
            + "  CASE WHEN d.occ > 0 THEN r.local_hour END AS peak_local_hour,\n"
            + "  CASE WHEN d.occ > 0 THEN r.utc_offset END AS peak_utc_offset,\n"
            + "  CASE WHEN d.occ > 0 THEN r.hour_start END AS peak_hour_start,\n"
            + "  CASE WHEN r.cap > 0 THEN CAST(CAST(r.occ AS DECIMAL(18,0)) / CAST(r.cap AS DECIMAL(18,0)) AS DECIMAL(12,6)) END\n"
            + "    AS peak_utilisation,\n"
            + "  CASE WHEN d.cap > 0 THEN CAST(CAST(d.occ AS DECIMAL(18,0)) / CAST(d.cap AS DECIMAL(18,0)) AS DECIMAL(12,6)) END\n"
            + "    AS avg_utilisation,\n"
            + "  d.occ AS occupied_spot_seconds, d.cap AS capacity_spot_seconds,\n"
            + "  COALESCE(c.peak, 0) AS peak_concurrent\n"
            + "FROM day d\n"
            + "JOIN ranked r ON r.facility_id = d.facility_id AND r.local_date = d.local_date AND r.rn = 1\n"
            + "JOIN pk_facilities f ON f.id = d.facility_id\n"
            + "LEFT JOIN conc c ON c.facility_id = d.facility_id AND c.local_date = d.local_date");
  }
}
