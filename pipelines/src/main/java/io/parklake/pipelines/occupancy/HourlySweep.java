package io.parklake.pipelines.occupancy;

import java.time.LocalDate;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The interval arithmetic the occupancy marts share, in whole epoch seconds (exact integers).
 *
 * <ol>
 *   <li>{@link #clip}: each stay {@code [s, e)} is cut into the local days of its facility it overlaps,
 *       {@code [cs, ce)} = {@code [greatest(s, day start), least(e, day end))}. The candidate days are
 *       the UTC dates of {@code s}..{@code e} widened by one day each side, so the join is an equi-join
 *       and a stay of any length is cut correctly.</li>
 *   <li>{@link #perHour}: an event sweep per key (zone or facility) and local day: +1 at each
 *       {@code cs}, −1 at each {@code ce} (not at the day's end), and a 0 at every hour start. Events at
 *       the same instant are netted first (intervals are half-open: a car leaving at t and one
 *       arriving at t never overlap). The running sum is the number of vehicles present from that
 *       instant to the next event; since every hour start is an event, no such stretch crosses an
 *       hour. Per hour: occupied seconds = Σ level × (next event − event), exactly the sum of each
 *       stay's overlap with the hour; peak concurrent = max level (the level at the hour start
 *       included).</li>
 * </ol>
 */
final class HourlySweep {
  private HourlySweep() {}

  /** Days a stay can reach past its entry day that {@code partitionsFor} refreshes (see the mart docs). */
  static final int REACH_DAYS = 7;

  /**
   * {@code intervals(facility_id, key, s, e)} cut into {@code facilityDays(facility_id, timezone,
   * local_date, ds, de)}: {@code (facility_id, key, timezone, local_date, cs, ce, de)}.
   */
  static Dataset<Row> clip(SparkSession spark, Dataset<Row> intervals, Dataset<Row> facilityDays) {
    intervals.createOrReplaceTempView("sweep_intervals");
    facilityDays.createOrReplaceTempView("sweep_facility_days");
    return spark.sql(
        "SELECT d.facility_id, i.key, d.timezone, d.local_date, greatest(i.s, d.ds) AS cs, least(i.e, d.de) AS ce, d.de\n"
            + "FROM (SELECT facility_id, key, s, e, explode(sequence(\n"
            + "        date_add(date_from_unix_date(CAST(s DIV 86400 AS INT)), -1),\n"
            + "        date_add(date_from_unix_date(CAST(e DIV 86400 AS INT)), 1))) AS local_date\n"
            + "      FROM sweep_intervals WHERE e > s) i\n"
            + "JOIN sweep_facility_days d ON d.facility_id = i.facility_id AND d.local_date = i.local_date\n"
            + "WHERE i.s < d.de AND i.e > d.ds");
  }

  /**
   * Occupied seconds and peak concurrency per {@code (key, local_date, hour_seq)} for every key-day of
   * {@code keyDays(key, timezone, local_date)} (zeros where nothing overlaps), from {@code clipped}
   * (as {@link #clip} returns; every key-day in it must be in {@code keyDays}) and the hour slots.
   */
  static Dataset<Row> perHour(SparkSession spark, Dataset<Row> clipped, Dataset<Row> keyDays, Dataset<Row> slots) {
    clipped.createOrReplaceTempView("sweep_clipped");
    keyDays.createOrReplaceTempView("sweep_key_days");
    slots.createOrReplaceTempView("sweep_slots");
    return spark.sql(
        "WITH ev AS (\n"
            + "  SELECT k.key, k.local_date, s.hs AS t, 0 AS delta, s.hour_seq, s.de\n"
            + "  FROM sweep_key_days k JOIN sweep_slots s ON s.timezone = k.timezone AND s.local_date = k.local_date\n"
            + "  UNION ALL SELECT key, local_date, cs, 1, CAST(NULL AS INT), de FROM sweep_clipped\n"
            + "  UNION ALL SELECT key, local_date, ce, -1, CAST(NULL AS INT), de FROM sweep_clipped WHERE ce < de\n"
            + "), net AS (\n"
            + "  SELECT key, local_date, t, SUM(delta) AS delta, MAX(hour_seq) AS hour_seq, MAX(de) AS de\n"
            + "  FROM ev GROUP BY key, local_date, t\n"
            + "), run AS (\n"
            + "  SELECT key, local_date, t,\n"
            + "    SUM(delta) OVER w AS level,\n"
            + "    last(hour_seq, true) OVER w AS hour_seq,\n"
            + "    COALESCE(LEAD(t) OVER (PARTITION BY key, local_date ORDER BY t), de) AS t_next\n"
            + "  FROM net\n"
            + "  WINDOW w AS (PARTITION BY key, local_date ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)\n"
            + ")\n"
            + "SELECT key, local_date, hour_seq, CAST(SUM(level * (t_next - t)) AS BIGINT) AS occupied_s,\n"
            + "  CAST(MAX(level) AS BIGINT) AS peak\n"
            + "FROM run GROUP BY key, local_date, hour_seq");
  }

  /** The business dates within {@code before} days before each of {@code days}, and {@code after} days after. */
  static SortedSet<LocalDate> around(SortedSet<LocalDate> days, int before, int after) {
    SortedSet<LocalDate> out = new TreeSet<>();
    for (LocalDate d : days) {
      for (int i = -before; i <= after; i++) {
        out.add(d.plusDays(i));
      }
    }
    return out;
  }
}
