package io.parklake.pipelines.demand;

import io.parklake.pipelines.marts.MartContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(DemandHistory.class);
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
    return loadEach(context, new TreeSet<>(Set.of(context.asOf()))).get(context.asOf());
  }

  /**
   * The history as of each of {@code days}, each equal to {@link #load} with that as-of date, from one
   * query over the window they span: each date's series are the hours of its own window (from its
   * local midnights, computed by the same expressions) cut out of the longer series. An hour's
   * arrivals and utilisation do not depend on the window around it (a booking's business date is the
   * local date of its entry, an occupancy row's local date that of its hour), so the cut is exact.
   * A date whose window does not fall on the longer series' hours (a zone whose offset moved by half
   * an hour inside the span) is loaded alone.
   */
  static Map<LocalDate, List<Series>> loadEach(MartContext context, SortedSet<LocalDate> days) {
    Map<LocalDate, List<Series>> out = new TreeMap<>();
    days.forEach(d -> out.put(d, List.of()));
    context.view("silver.bookings", "bookings");
    context.view("silver.facilities", "facilities");
    context.view("gold.occupancy_hourly", "occupancy_hourly");
    // The row filter keeps Delta 4.0.1 from answering min() from partition metadata, which fails on dates.
    Row bounds = context.sql("SELECT min(business_date) FROM bookings WHERE id IS NOT NULL").first();
    if (bounds.isNullAt(0)) {
      return out;
    }
    LocalDate earliest = bounds.getLocalDate(0);
    SortedMap<LocalDate, LocalDate> firstOf = new TreeMap<>();
    for (LocalDate last : days) {
      LocalDate first = last.minusDays(WEEKS * 7L - 1);
      first = earliest.isAfter(first) ? earliest : first;
      // An as-of date before the first booking (or a zone ahead of UTC whose first business date is
      // after a UTC run date) has no history yet, so no series and no forecast.
      if (!first.isAfter(last)) {
        firstOf.put(last, first);
      }
    }
    if (firstOf.isEmpty()) {
      return out;
    }
    LocalDate spanFirst = firstOf.values().stream().min(LocalDate::compareTo).orElseThrow();
    List<Series> span = series(context, spanFirst, firstOf.lastKey());
    if (firstOf.size() == 1) {
      out.put(firstOf.lastKey(), span);
      return out;
    }
    Map<String, Instant[]> windows = windows(context, firstOf);
    firstOf.forEach((last, first) -> {
      List<Series> cut = new ArrayList<>();
      for (Series s : span) {
        Series c = cut(s, windows.get(s.facilityId() + "|" + last));
        if (c == null) {
          log.info("demand history as of {}: facility {} ({}) is loaded alone, its window is not on the span's hours",
              last, s.facilityName(), s.timezone());
          cut = series(context, first, last);
          break;
        }
        cut.add(c);
      }
      out.put(last, List.copyOf(cut));
    });
    return out;
  }

  /** Each active facility's window [start, end) for each as-of date, keyed {@code <facility>|<date>}. */
  private static Map<String, Instant[]> windows(MartContext context, SortedMap<LocalDate, LocalDate> firstOf) {
    String values = firstOf.entrySet().stream().map(e -> "(DATE'" + e.getKey() + "', DATE'" + e.getValue() + "')")
        .collect(Collectors.joining(", "));
    Map<String, Instant[]> out = new HashMap<>();
    for (Row r : context.sql("SELECT f.id, d.last,\n"
        + "  to_utc_timestamp(CAST(d.first AS TIMESTAMP), f.timezone),\n"
        + "  to_utc_timestamp(CAST(date_add(d.last, 1) AS TIMESTAMP), f.timezone)\n"
        + "FROM facilities f CROSS JOIN VALUES " + values + " AS d(last, first) WHERE f.is_active").collectAsList()) {
      out.put(r.getString(0) + "|" + r.getLocalDate(1), new Instant[] {r.getInstant(2), r.getInstant(3)});
    }
    return out;
  }

  /** The hours of {@code s} in {@code window}, or null when the window does not start and end on its hours. */
  private static Series cut(Series s, Instant[] window) {
    if (window == null) {
      return null;
    }
    int from = Arrays.binarySearch(s.hourStarts(), window[0]);
    long seconds = Duration.between(window[0], window[1]).getSeconds();
    if (from < 0 || seconds % 3600 != 0 || from + seconds / 3600 > s.length()) {
      return null;
    }
    int to = from + (int) (seconds / 3600);
    return new Series(s.facilityId(), s.facilityName(), s.timezone(), Arrays.copyOfRange(s.hourStarts(), from, to),
        Arrays.copyOfRange(s.arrivals(), from, to), Arrays.copyOfRange(s.utilisation(), from, to));
  }

  /** The series of the local days {@code first}..{@code last} of every active facility. */
  private static List<Series> series(MartContext context, LocalDate first, LocalDate last) {
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
