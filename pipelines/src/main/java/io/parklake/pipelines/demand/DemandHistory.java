package io.parklake.pipelines.demand;

import io.parklake.pipelines.marts.MartContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Each facility's recent demand as regular hourly series, the input of the forecasting marts: arrivals
 * (bookings that entered, by the local hour of entry) and utilisation (occupied over capacity
 * spot-minutes, from {@code gold.occupancy_hourly}), over the {@value #WEEKS} weeks of local days
 * ending on the as-of date, or fewer when the lake holds less (none when the as-of date is before the
 * first booking).
 *
 * <p>Steps are real hours: an hour is identified by the instant it starts in the facility's zone, so
 * the 25-hour autumn day has 25 steps and the spring day 23, and a zone offset by half an hour
 * (Asia/Kolkata) keeps its own hour boundaries.
 */
final class DemandHistory {
  static final int WEEKS = 8;

  /** One facility's hourly history, oldest first; {@code hourStarts[i]} is the instant hour i starts. */
  record Series(String facilityId, String facilityName, String timezone, Instant[] hourStarts, double[] arrivals,
      double[] utilisation) {
    int length() {
      return hourStarts.length;
    }
  }

  private DemandHistory() {}

  static List<Series> load(MartContext context) {
    LocalDate last = context.asOf();
    LocalDate first = last.minusDays(WEEKS * 7L - 1);
    context.view("silver.bookings", "bookings");
    context.view("silver.facilities", "facilities");
    context.view("gold.occupancy_hourly", "occupancy_hourly");
    // The row filter keeps Delta 4.0.1 from answering min() from partition metadata, which fails on dates.
    Row bounds = context.sql("SELECT min(business_date) FROM bookings WHERE id IS NOT NULL").first();
    if (bounds.isNullAt(0)) {
      return List.of();
    }
    if (bounds.getLocalDate(0).isAfter(first)) {
      first = bounds.getLocalDate(0);
    }
    if (first.isAfter(last)) {
      // An as-of date before the first booking (or a zone ahead of UTC whose first business date is
      // after a UTC run date): there is no history yet, so no series and no forecast.
      return List.of();
    }
    List<Row> rows = context.sql(
        "WITH f AS (\n"
            + "  SELECT id, name, timezone,\n"
            + "    to_utc_timestamp(CAST(DATE'" + first + "' AS TIMESTAMP), timezone) AS window_start,\n"
            + "    to_utc_timestamp(CAST(DATE'" + last.plusDays(1) + "' AS TIMESTAMP), timezone) AS window_end\n"
            + "  FROM facilities WHERE is_active\n"
            + "), grid AS (\n"
            + "  SELECT id AS facility_id, name, timezone, hour_start FROM f\n"
            + "  LATERAL VIEW explode(sequence(window_start, window_end - INTERVAL 1 HOUR, INTERVAL 1 HOUR)) g AS hour_start\n"
            + "), arrivals AS (\n"
            + "  SELECT b.facility_id, " + localHourStart("b.entry_time", "f.timezone") + " AS hour_start, COUNT(*) AS n\n"
            + "  FROM bookings b JOIN f ON f.id = b.facility_id\n"
            + "  WHERE b.business_date BETWEEN DATE'" + first + "' AND DATE'" + last + "'\n"
            + "    AND b.status IN ('COMPLETED', 'ACTIVE')\n"
            + "  GROUP BY 1, 2\n"
            + "), used AS (\n"
            + "  SELECT facility_id, hour_start,\n"
            + "    CASE WHEN SUM(capacity_spot_minutes) > 0\n"
            + "      THEN CAST(SUM(occupied_spot_minutes) AS DOUBLE) / CAST(SUM(capacity_spot_minutes) AS DOUBLE) END AS u\n"
            + "  FROM occupancy_hourly WHERE local_date BETWEEN DATE'" + first + "' AND DATE'" + last + "'\n"
            + "  GROUP BY 1, 2\n"
            + ")\n"
            + "SELECT g.facility_id, g.name, g.timezone, g.hour_start, COALESCE(a.n, 0) AS arrivals, COALESCE(u.u, 0D) AS utilisation\n"
            + "FROM grid g\n"
            + "LEFT JOIN arrivals a ON a.facility_id = g.facility_id AND a.hour_start = g.hour_start\n"
            + "LEFT JOIN used u ON u.facility_id = g.facility_id AND u.hour_start = g.hour_start\n"
            + "ORDER BY g.facility_id, g.hour_start").collectAsList();
    Map<String, List<Row>> byFacility = new LinkedHashMap<>();
    for (Row r : rows) {
      byFacility.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }
    List<Series> out = new ArrayList<>();
    byFacility.forEach((id, rs) -> {
      Instant[] hours = new Instant[rs.size()];
      double[] arrivals = new double[rs.size()];
      double[] utilisation = new double[rs.size()];
      for (int i = 0; i < rs.size(); i++) {
        hours[i] = rs.get(i).getInstant(3);
        arrivals[i] = rs.get(i).getLong(4);
        utilisation[i] = rs.get(i).getDouble(5);
      }
      out.add(new Series(id, rs.get(0).getString(1), rs.get(0).getString(2), hours, arrivals, utilisation));
    });
    return out;
  }

  /** Spark SQL for the instant at which the local hour containing {@code ts} starts in zone {@code zone}. */
  static String localHourStart(String ts, String zone) {
    return "timestamp_seconds(unix_seconds(" + ts + ") - minute(from_utc_timestamp(" + ts + ", " + zone + ")) * 60"
        + " - second(from_utc_timestamp(" + ts + ", " + zone + ")))";
  }
}
