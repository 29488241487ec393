package io.parklake.jobs.benchmark;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gold marts' Spark SQL rewritten for DuckDB, one statement per mart: the single-machine
 * reference of {@code parklake benchmark marts}. Each is a full recompute over views named after the
 * silver tables ({@code payments}, {@code facilities}, ...) and, for roll-ups, the DuckDB tables of
 * the marts they read ({@code revenue_daily}, {@code customer_activity_daily}), created earlier in
 * {@code Marts.all()} order; the benchmark checks once per run that both engines give the same rows,
 * so a change to a mart that is not mirrored here shows up as a ✗.
 *
 * <p>Dialect differences worth knowing: DuckDB divides decimals in DOUBLE, so the half-up cent
 * rounding Spark does in decimal is done here in integer cents ({@code div_round2}); local times use
 * ICU ({@code ts AT TIME ZONE zone}, statically linked in the JDBC driver, so it works offline); Spark
 * numbers weekdays from Sunday, DuckDB's {@code isodow} from Monday, as the mart publishes them;
 * {@code occupancy_hourly}'s local hours, which Spark takes from {@code java.time}, are derived from
 * quarter-hour instants in ICU (see {@code occupancyHourly}).
 */
public final class DuckDbMarts {
  /** Same rule as the revenue marts' {@code RevenueSql.MONEY_MOVED}. */
  private static final String MONEY_MOVED = "paid_at IS NOT NULL AND ((kind <> 'REFUND' AND status IN ('SUCCEEDED', 'REFUNDED'))"
      + " OR (kind = 'REFUND' AND status = 'SUCCEEDED'))";

  /** {@code revenue_by_hour_of_week}'s window, in weeks (its {@code WEEKS}). */
  private static final int HOUR_OF_WEEK_WEEKS = 8;

  /** {@code OccupancyHourlyMart.OCCUPYING}: the booking statuses whose car is (or was) inside. */
  private static final String OCCUPYING = "'ACTIVE', 'COMPLETED'";

  /** {@code HourlySweep.REACH_DAYS}: the days after a booking's business date its mart partitions reach. */
  private static final int REACH_DAYS = 7;

  private static final Map<String, Function<LocalDate, String>> SQL = new LinkedHashMap<>();

  static {
    SQL.put("revenue_daily", asOf -> "WITH days AS (SELECT DISTINCT business_date AS local_date FROM payments WHERE business_date IS NOT NULL),\n"
        + "moved AS (SELECT facility_id, business_date AS local_date, kind, amount FROM payments\n"
        + "  WHERE business_date IS NOT NULL AND " + MONEY_MOVED + "),\n"
        + "per_facility AS (\n"
        + "  SELECT facility_id, local_date,\n"
        + "    SUM(CASE WHEN kind <> 'REFUND' THEN amount ELSE 0 END) AS gross,\n"
        + "    SUM(CASE WHEN kind = 'REFUND' THEN amount ELSE 0 END) AS refunds,\n"
        + "    COUNT(CASE WHEN kind <> 'REFUND' THEN 1 END) AS payments,\n"
        + "    SUM(CASE WHEN kind = 'BOOKING' THEN amount ELSE 0 END) AS booking_gross,\n"
        + "    SUM(CASE WHEN kind = 'SUBSCRIPTION' THEN amount ELSE 0 END) AS subscription_gross,\n"
        + "    SUM(CASE WHEN kind = 'FINE' THEN amount ELSE 0 END) AS fine_gross\n"
        + "  FROM moved GROUP BY facility_id, local_date)\n"
        + "SELECT f.id AS facility_id, f.name AS facility_name, f.city, f.timezone, f.currency, d.local_date,\n"
        + "  " + money("COALESCE(p.gross, 0)") + " AS gross,\n"
        + "  " + money("COALESCE(p.refunds, 0)") + " AS refunds,\n"
        + "  " + money("COALESCE(p.gross, 0) - COALESCE(p.refunds, 0)") + " AS net,\n"
        + "  COALESCE(p.payments, 0) AS payments,\n"
        + "  " + averageTicket("p.gross", "p.payments") + " AS average_ticket,\n"
        + "  " + money("COALESCE(p.booking_gross, 0)") + " AS booking_gross,\n"
        + "  " + money("COALESCE(p.subscription_gross, 0)") + " AS subscription_gross,\n"
        + "  " + money("COALESCE(p.fine_gross, 0)") + " AS fine_gross\n"
        + "FROM facilities f CROSS JOIN days d\n"
        + "LEFT JOIN per_facility p ON p.facility_id = f.id AND p.local_date = d.local_date\n"
        + "WHERE f.is_active OR p.facility_id IS NOT NULL");
    SQL.put("revenue_weekly", asOf -> "SELECT facility_id, facility_name, city, timezone, currency, week_start,\n"
        + "  CAST(isoyear(week_start) AS INTEGER) AS iso_year, CAST(week(week_start) AS INTEGER) AS iso_week,\n"
        + "  gross, refunds, net, payments, average_ticket, booking_gross, subscription_gross, fine_gross, days_with_rows\n"
        + "FROM (" + rollUp("week_start", "CAST(date_trunc('week', local_date) AS DATE)") + ")");
    SQL.put("revenue_monthly", asOf -> "SELECT facility_id, facility_name, city, timezone, currency, month_start,\n"
        + "  gross, refunds, net, payments, average_ticket, booking_gross, subscription_gross, fine_gross, days_with_rows\n"
        + "FROM (" + rollUp("month_start", "CAST(date_trunc('month', local_date) AS DATE)") + ")");
    SQL.put("revenue_by_hour_of_week", asOf -> {
      LocalDate first = asOf.minusDays(HOUR_OF_WEEK_WEEKS * 7L - 1);
      int w = HOUR_OF_WEEK_WEEKS;
      return "WITH moved AS (\n"
          + "  SELECT p.facility_id, p.kind, p.amount, CAST(p.paid_at AS TIMESTAMPTZ) AT TIME ZONE f.timezone AS local_time\n"
          + "  FROM payments p JOIN facilities f ON f.id = p.facility_id\n"
          + "  WHERE p.business_date BETWEEN DATE '" + first + "' AND DATE '" + asOf + "' AND " + MONEY_MOVED + "\n"
          + "), slots AS (\n"
          + "  SELECT facility_id, isodow(local_time) AS iso_weekday, hour(local_time) AS hour,\n"
          + "    SUM(CASE WHEN kind <> 'REFUND' THEN amount ELSE 0 END) AS gross,\n"
          + "    SUM(CASE WHEN kind = 'REFUND' THEN -amount ELSE amount END) AS net,\n"
          + "    COUNT(CASE WHEN kind <> 'REFUND' THEN 1 END) AS payments\n"
          + "  FROM moved GROUP BY 1, 2, 3\n"
          + "), grid AS (\n"
          + "  SELECT f.id AS facility_id, f.name AS facility_name, f.currency, d.d AS iso_weekday, h.h AS hour\n"
          + "  FROM facilities f, range(1, 8) d(d), range(0, 24) h(h)\n"
          + "  WHERE f.is_active OR EXISTS (SELECT 1 FROM slots s WHERE s.facility_id = f.id)\n"
          + ")\n"
          + "SELECT g.facility_id, g.facility_name, g.currency, CAST(g.iso_weekday AS INTEGER) AS iso_weekday,\n"
          + "  CAST(g.hour AS INTEGER) AS hour,\n"
          + "  CAST(div_round2(COALESCE(s.gross, 0), " + w + ") AS DECIMAL(18,2)) AS average_gross,\n"
          + "  CAST(div_round2(COALESCE(s.net, 0), " + w + ") AS DECIMAL(18,2)) AS average_net,\n"
          + "  COALESCE(s.payments, 0) / " + w + ".0 AS average_payments,\n"
          + "  DATE '" + first + "' AS window_start, DATE '" + asOf + "' AS window_end, " + w + " AS weeks\n"
          + "FROM grid g LEFT JOIN slots s ON s.facility_id = g.facility_id AND s.iso_weekday = g.iso_weekday AND s.hour = g.hour";
    });
    SQL.put("payment_methods", asOf -> "WITH attempts AS (\n"
        + "  SELECT facility_id, CAST(date_trunc('month', business_date) AS DATE) AS month_start, provider, status, paid_at, kind, amount\n"
        + "  FROM payments WHERE kind <> 'REFUND' AND business_date IS NOT NULL\n"
        + "), per_provider AS (\n"
        + "  SELECT facility_id, month_start, provider, COUNT(*) AS attempts,\n"
        + "    COUNT(CASE WHEN status IN ('SUCCEEDED', 'REFUNDED') THEN 1 END) AS succeeded,\n"
        + "    COUNT(CASE WHEN status = 'FAILED' THEN 1 END) AS failed,\n"
        + "    CAST(SUM(CASE WHEN " + MONEY_MOVED + " THEN amount ELSE 0 END) AS DECIMAL(18,2)) AS amount\n"
        + "  FROM attempts GROUP BY 1, 2, 3\n"
        + ")\n"
        + "SELECT p.facility_id, f.name AS facility_name, f.currency, p.month_start, p.provider,\n"
        + "  p.attempts, p.succeeded, p.failed, p.amount,\n"
        + "  CASE WHEN SUM(p.amount) OVER w = 0 THEN NULL ELSE CAST(p.amount AS DOUBLE) / CAST(SUM(p.amount) OVER w AS DOUBLE) END AS share,\n"
        + "  CAST(p.failed AS DOUBLE) / p.attempts AS failure_rate\n"
        + "FROM per_provider p JOIN facilities f ON f.id = p.facility_id\n"
        + "WINDOW w AS (PARTITION BY p.facility_id, p.month_start)");
    SQL.put("violations_daily", asOf -> "WITH v AS (SELECT * FROM violations WHERE business_date IS NOT NULL),\n"
        + "collected AS (\n"
        + "  SELECT violation_id, SUM(amount) AS amount FROM payments\n"
        + "  WHERE kind = 'FINE' AND status IN ('SUCCEEDED', 'REFUNDED') AND paid_at IS NOT NULL AND violation_id IS NOT NULL\n"
        + "  GROUP BY violation_id\n"
        + ")\n"
        + "SELECT v.facility_id, f.name AS facility_name, f.currency, v.business_date AS local_date, v.violation_type,\n"
        + "  COUNT(*) AS issued,\n"
        + "  CAST(SUM(v.penalty_amount) AS DECIMAL(18,2)) AS fines_issued,\n"
        + "  CAST(COALESCE(SUM(c.amount), 0) AS DECIMAL(18,2)) AS fines_collected,\n"
        + "  CASE WHEN SUM(v.penalty_amount) = 0 THEN NULL\n"
        + "    ELSE CAST(COALESCE(SUM(c.amount), 0) AS DOUBLE) / CAST(SUM(v.penalty_amount) AS DOUBLE) END AS collection_rate,\n"
        + "  COUNT(CASE WHEN v.status = 'PAID' THEN 1 END) AS paid,\n"
        + "  COUNT(CASE WHEN v.status = 'WAIVED' THEN 1 END) AS waived,\n"
        + "  COUNT(CASE WHEN v.status IN ('OPEN', 'DISPUTED') THEN 1 END) AS \"open\",\n"
        + "  COUNT(v.resolved_at) AS resolved,\n"
        + "  quantile_cont((epoch_us(v.resolved_at) - epoch_us(v.violation_time)) / 3600000000.0, 0.5) AS median_hours_to_resolve\n"
        + "FROM v JOIN facilities f ON f.id = v.facility_id\n"
        + "LEFT JOIN collected c ON c.violation_id = v.id\n"
        + "GROUP BY v.facility_id, f.name, f.currency, v.business_date, v.violation_type");
    SQL.put("booking_durations", asOf -> "WITH stays AS (\n"
        + "  SELECT facility_id, CAST(date_trunc('month', business_date) AS DATE) AS month_start,\n"
        + "    (epoch_us(actual_exit) - epoch_us(entry_time)) / 60000000.0 AS minutes,\n"
        + "    expected_exit IS NOT NULL AND actual_exit > expected_exit AS overstay\n"
        + "  FROM bookings\n"
        + "  WHERE status = 'COMPLETED' AND actual_exit IS NOT NULL AND business_date IS NOT NULL\n"
        + ")\n"
        + "SELECT s.facility_id, f.name AS facility_name, s.month_start, COUNT(*) AS completed_stays,\n"
        + "  quantile_cont(s.minutes, 0.5) AS p50_minutes, quantile_cont(s.minutes, 0.9) AS p90_minutes,\n"
        + "  AVG(s.minutes) AS mean_minutes,\n"
        + "  COUNT(CASE WHEN s.overstay THEN 1 END) AS overstays,\n"
        + "  COUNT(CASE WHEN s.overstay THEN 1 END) / CAST(COUNT(*) AS DOUBLE) AS overstay_rate\n"
        + "FROM stays s JOIN facilities f ON f.id = s.facility_id\n"
        + "GROUP BY s.facility_id, f.name, s.month_start");
    SQL.put("booking_outcomes", asOf -> "SELECT b.facility_id, f.name AS facility_name, b.week_start,\n"
        + "  COUNT(*) AS bookings,\n"
        + "  COUNT(CASE WHEN b.status = 'COMPLETED' THEN 1 END) AS completed,\n"
        + "  COUNT(CASE WHEN b.status = 'ACTIVE' THEN 1 END) AS active,\n"
        + "  COUNT(CASE WHEN b.status IN ('PENDING', 'CONFIRMED') THEN 1 END) AS upcoming,\n"
        + "  COUNT(CASE WHEN b.status = 'CANCELLED' THEN 1 END) AS cancelled,\n"
        + "  COUNT(CASE WHEN b.status = 'NO_SHOW' THEN 1 END) AS no_shows,\n"
        + "  COUNT(CASE WHEN b.status = 'CANCELLED' THEN 1 END) / CAST(COUNT(*) AS DOUBLE) AS cancellation_rate,\n"
        + "  COUNT(CASE WHEN b.status = 'NO_SHOW' THEN 1 END) / CAST(COUNT(*) AS DOUBLE) AS no_show_rate\n"
        + "FROM (SELECT *, CAST(date_trunc('week', business_date) AS DATE) AS week_start FROM bookings WHERE business_date IS NOT NULL) b\n"
        + "JOIN facilities f ON f.id = b.facility_id\n"
        + "GROUP BY b.facility_id, f.name, b.week_start");
    SQL.put("customer_activity_daily", asOf -> "WITH booked AS (\n"
        + "  SELECT user_id, facility_id, business_date AS local_date,\n"
        + "    COUNT(CASE WHEN status IN ('COMPLETED', 'ACTIVE') THEN 1 END) AS visits,\n"
        + "    COUNT(*) AS bookings,\n"
        + "    COUNT(CASE WHEN status = 'CANCELLED' THEN 1 END) AS cancellations,\n"
        + "    COUNT(CASE WHEN status = 'NO_SHOW' THEN 1 END) AS no_shows\n"
        + "  FROM bookings WHERE business_date IS NOT NULL\n"
        + "  GROUP BY user_id, facility_id, business_date\n"
        + "), paid AS (\n"
        + "  SELECT user_id, facility_id, business_date AS local_date,\n"
        + "    SUM(CASE WHEN kind <> 'REFUND' THEN amount ELSE 0 END) AS gross,\n"
        + "    SUM(CASE WHEN kind = 'REFUND' THEN amount ELSE 0 END) AS refunds\n"
        + "  FROM payments WHERE business_date IS NOT NULL AND user_id IS NOT NULL AND " + MONEY_MOVED + "\n"
        + "  GROUP BY user_id, facility_id, business_date\n"
        + ")\n"
        + "SELECT COALESCE(b.user_id, p.user_id) AS user_id, f.id AS facility_id, f.currency,\n"
        + "  COALESCE(b.local_date, p.local_date) AS local_date,\n"
        + "  COALESCE(b.visits, 0) AS visits, COALESCE(b.bookings, 0) AS bookings,\n"
        + "  COALESCE(b.cancellations, 0) AS cancellations, COALESCE(b.no_shows, 0) AS no_shows,\n"
        + "  " + money("COALESCE(p.gross, 0)") + " AS gross_spend,\n"
        + "  " + money("COALESCE(p.refunds, 0)") + " AS refunds,\n"
        + "  " + money("COALESCE(p.gross, 0) - COALESCE(p.refunds, 0)") + " AS spend\n"
        + "FROM booked b\n"
        + "FULL OUTER JOIN paid p ON p.user_id = b.user_id AND p.facility_id = b.facility_id AND p.local_date = b.local_date\n"
        + "JOIN facilities f ON f.id = COALESCE(b.facility_id, p.facility_id)");
    // Spark's months: every month from the first to the last business date of bookings and payments
    // (the dates the rebuild finds in customer_activity_daily's inputs), gaps included.
    SQL.put("repeat_customers", asOf -> "WITH bounds AS (\n"
        + "  SELECT min(d) AS lo, max(d) AS hi\n"
        + "  FROM (SELECT business_date AS d FROM bookings UNION ALL SELECT business_date FROM payments)\n"
        + "), months AS (\n"
        + "  SELECT CAST(unnest(generate_series(CAST(date_trunc('month', lo) AS DATE), CAST(date_trunc('month', hi) AS DATE),\n"
        + "    INTERVAL 1 MONTH)) AS DATE) AS month_start FROM bounds WHERE lo IS NOT NULL\n"
        + "), visited AS (SELECT user_id, facility_id, local_date, visits FROM customer_activity_daily WHERE visits > 0),\n"
        + "firsts AS (SELECT user_id, facility_id, MIN(local_date) AS first_visit FROM visited GROUP BY user_id, facility_id),\n"
        + "per_user AS (\n"
        + "  SELECT v.facility_id, CAST(date_trunc('month', v.local_date) AS DATE) AS month_start, v.user_id,\n"
        + "    SUM(v.visits) AS visits,\n"
        + "    MIN(f.first_visit) >= CAST(date_trunc('month', v.local_date) AS DATE) AS is_new\n"
        + "  FROM visited v JOIN firsts f ON f.user_id = v.user_id AND f.facility_id = v.facility_id\n"
        + "  WHERE CAST(date_trunc('month', v.local_date) AS DATE) IN (SELECT month_start FROM months)\n"
        + "  GROUP BY 1, 2, 3\n"
        + "), per_facility AS (\n"
        + "  SELECT facility_id, month_start, COUNT(*) AS customers, COUNT(CASE WHEN is_new THEN 1 END) AS new_customers,\n"
        + "    CAST(SUM(visits) AS BIGINT) AS visits\n"
        + "  FROM per_user GROUP BY facility_id, month_start\n"
        + ")\n"
        + "SELECT f.id AS facility_id, m.month_start,\n"
        + "  COALESCE(p.customers, 0) AS customers, COALESCE(p.new_customers, 0) AS new_customers,\n"
        + "  COALESCE(p.customers - p.new_customers, 0) AS returning_customers,\n"
        + "  CAST(p.customers - p.new_customers AS DOUBLE) / p.customers AS repeat_rate,\n"
        + "  COALESCE(p.visits, 0) AS visits\n"
        + "FROM facilities f CROSS JOIN months m\n"
        + "LEFT JOIN per_facility p ON p.facility_id = f.id AND p.month_start = m.month_start\n"
        + "WHERE f.is_active OR p.facility_id IS NOT NULL");
    SQL.put("favourite_facility", asOf -> "WITH per_facility AS (\n"
        + "  SELECT user_id, facility_id, CAST(SUM(visits) AS BIGINT) AS visits, MAX(local_date) AS last_visit\n"
        + "  FROM customer_activity_daily WHERE visits > 0 AND local_date <= DATE '" + asOf + "'\n"
        + "  GROUP BY user_id, facility_id\n"
        + "), ranked AS (\n"
        + "  SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY visits DESC, last_visit DESC, facility_id) AS rn,\n"
        + "    CAST(SUM(visits) OVER (PARTITION BY user_id) AS BIGINT) AS total_visits,\n"
        + "    COUNT(*) OVER (PARTITION BY user_id) AS facilities_used\n"
        + "  FROM per_facility\n"
        + ")\n"
        + "SELECT user_id, facility_id, visits, total_visits, CAST(visits AS DOUBLE) / total_visits AS visit_share,\n"
        + "  facilities_used, last_visit, DATE '" + asOf + "' AS as_of\n"
        + "FROM ranked WHERE rn = 1");
    SQL.put("occupancy_hourly", DuckDbMarts::occupancyHourly);
  }

  private DuckDbMarts() {}

  /** The DuckDB SELECT computing all of {@code mart}'s rows as of {@code asOf}, or empty when there is no reference. */
  public static Optional<String> select(String mart, LocalDate asOf) {
    return Optional.ofNullable(SQL.get(mart)).map(f -> f.apply(asOf));
  }

  /** The silver tables the statements read, each to be a view of that name. */
  public static List<String> silverInputs() {
    return List.of("facilities", "payments", "bookings", "violations", "zones", "parking_spots");
  }

  /**
   * Macros the statements use. {@code div_round2(x, n)}: x / n rounded half away from zero to the
   * cent, exactly (Spark's decimal ROUND), for a decimal x with at most two places and a positive n.
   * {@code div_round_int(x, n)}: the integer x / n rounded half away from zero, for integers and a positive n.
   */
  public static List<String> macros() {
    return List.of("CREATE OR REPLACE MACRO div_round2(x, n) AS "
        + "CAST(sign(x) * ((abs(CAST(x * 100 AS HUGEINT)) * 2 + n) // (2 * n)) AS DECIMAL(38,0)) * 0.01",
        "CREATE OR REPLACE MACRO div_round_int(x, n) AS sign(x) * ((abs(CAST(x AS HUGEINT)) * 2 + n) // (2 * n))");
  }

  /**
   * {@code occupancy_hourly} as a full rebuild computes it. The days: each business date of
   * {@code bookings} and the {@value #REACH_DAYS} after it, none after {@code asOf} + 1 unless an
   * occupying booking begins there. The hour slots of {@code LocalHours}: a local day runs from the
   * first quarter-hour instant whose local date is that day to the first of the next, cut at every
   * instant whose local time is a whole hour, and at a shift of the offset by a fraction of an hour
   * (Lord Howe's half hour); equal to {@code java.time}'s slots for every zone checked (17, over 2026,
   * Chatham and Kathmandu included), for zones whose offsets are whole quarter hours. Then the same
   * clipping to local days and the same event sweep as {@code HourlySweep}, in epoch seconds.
   */
  private static String occupancyHourly(LocalDate asOf) {
    String lastDay = "DATE '" + asOf.plusDays(1) + "'";
    return "WITH days AS (\n"
        + "  SELECT DISTINCT CAST(b.d + CAST(r.i AS INTEGER) AS DATE) AS local_date\n"
        + "  FROM (SELECT DISTINCT business_date AS d FROM bookings WHERE business_date IS NOT NULL) b, range(0, " + (REACH_DAYS + 1)
        + ") r(i)\n"
        + "), computed AS (\n"
        + "  SELECT local_date FROM days WHERE local_date <= greatest(" + lastDay + ",\n"
        + "    coalesce((SELECT max(business_date) FROM bookings WHERE status IN (" + OCCUPYING + ")), " + lastDay + "))\n"
        + "), instants AS (\n"
        + "  SELECT timezone, local_date, t, lt, (epoch_us(lt) - epoch_us(t)) // 60000000 AS offset_minutes FROM (\n"
        + "    SELECT timezone, local_date, t, CAST(t AS TIMESTAMPTZ) AT TIME ZONE timezone AS lt FROM (\n"
        + "      SELECT z.timezone, d.local_date, unnest(generate_series(CAST(d.local_date AS TIMESTAMP) - INTERVAL 15 HOUR,\n"
        + "        CAST(d.local_date AS TIMESTAMP) + INTERVAL 39 HOUR, INTERVAL 15 MINUTE)) AS t\n"
        + "      FROM (SELECT DISTINCT timezone FROM facilities) z, computed d))\n"
        + "), in_day AS (\n"
        + "  SELECT *, min(t) OVER dw AS day_start, max(t) OVER dw + INTERVAL 15 MINUTE AS day_end\n"
        + "  FROM (SELECT *, (offset_minutes - lag(offset_minutes) OVER (PARTITION BY timezone, local_date ORDER BY t)) % 60 <> 0\n"
        + "    AS odd_shift FROM instants)\n"
        + "  WHERE CAST(lt AS DATE) = local_date\n"
        + "  WINDOW dw AS (PARTITION BY timezone, local_date)\n"
        + "), slots AS (\n"
        + "  SELECT timezone, local_date, CAST(row_number() OVER w - 1 AS INTEGER) AS hour_seq, CAST(hour(lt) AS INTEGER) AS local_hour,\n"
        + "    CASE WHEN offset_minutes < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(offset_minutes) // 60 AS VARCHAR), 2, '0') || ':'\n"
        + "      || lpad(CAST(abs(offset_minutes) % 60 AS VARCHAR), 2, '0') AS utc_offset,\n"
        + "    epoch_us(t) // 1000000 AS hs, coalesce(lead(epoch_us(t) // 1000000) OVER w, epoch_us(day_end) // 1000000) AS he,\n"
        + "    epoch_us(day_start) // 1000000 AS ds, epoch_us(day_end) // 1000000 AS de\n"
        + "  FROM in_day WHERE t = day_start OR (minute(lt) = 0 AND second(lt) = 0) OR odd_shift\n"
        + "  WINDOW w AS (PARTITION BY timezone, local_date ORDER BY t)\n"
        + "), facility_days AS (\n"
        + "  SELECT f.id AS facility_id, d.timezone, d.local_date, CAST(d.local_date - DATE '1970-01-01' AS BIGINT) AS day_no, d.ds, d.de\n"
        + "  FROM facilities f JOIN (SELECT DISTINCT timezone, local_date, ds, de FROM slots) d ON d.timezone = f.timezone\n"
        + "), stays AS (\n"
        + "  SELECT z.facility_id, s.zone_id AS key, epoch_us(b.entry_time) // 1000000 AS s,\n"
        + "    epoch_us(coalesce(b.actual_exit, b.expected_exit)) // 1000000 AS e\n"
        + "  FROM bookings b JOIN parking_spots s ON s.id = b.spot_id JOIN zones z ON z.id = s.zone_id\n"
        + "  WHERE b.status IN (" + OCCUPYING + ") AND b.business_date IS NOT NULL\n"
        + "    AND coalesce(b.actual_exit, b.expected_exit) IS NOT NULL\n"
        + "), clipped AS (\n"
        + "  SELECT d.facility_id, i.key, d.timezone, d.local_date, greatest(i.s, d.ds) AS cs, least(i.e, d.de) AS ce, d.de\n"
        + "  FROM (SELECT facility_id, key, s, e, unnest(range(s // 86400 - 1, e // 86400 + 2)) AS day_no FROM stays WHERE e > s) i\n"
        + "  JOIN facility_days d ON d.facility_id = i.facility_id AND d.day_no = i.day_no\n"
        + "  WHERE i.s < d.de AND i.e > d.ds\n"
        + "), zone_days AS (\n"
        + "  SELECT z.id AS key, d.timezone, d.local_date FROM zones z JOIN facilities f ON f.id = z.facility_id\n"
        + "  JOIN facility_days d ON d.facility_id = f.id WHERE f.is_active\n"
        + "  UNION SELECT key, timezone, local_date FROM clipped\n"
        + "), events AS (\n"
        + "  SELECT k.key, k.local_date, s.hs AS t, 0 AS delta, s.hour_seq, s.de\n"
        + "  FROM zone_days k JOIN slots s ON s.timezone = k.timezone AND s.local_date = k.local_date\n"
        + "  UNION ALL SELECT key, local_date, cs, 1, NULL, de FROM clipped\n"
        + "  UNION ALL SELECT key, local_date, ce, -1, NULL, de FROM clipped WHERE ce < de\n"
        + "), net AS (\n"
        + "  SELECT key, local_date, t, SUM(delta) AS delta, MAX(hour_seq) AS hour_seq, MAX(de) AS de FROM events GROUP BY key, local_date, t\n"
        + "), run AS (\n"
        // Hour starts are events and their hour_seq rises with t: the running max is the hour an event is in.
        + "  SELECT key, local_date, t, SUM(delta) OVER w AS level, MAX(hour_seq) OVER w AS hour_seq,\n"
        + "    coalesce(lead(t) OVER (PARTITION BY key, local_date ORDER BY t), de) AS t_next\n"
        + "  FROM net WINDOW w AS (PARTITION BY key, local_date ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)\n"
        + "), per_hour AS (\n"
        + "  SELECT key, local_date, hour_seq, CAST(SUM(level * (t_next - t)) AS BIGINT) AS occupied_s, CAST(MAX(level) AS BIGINT) AS peak\n"
        + "  FROM run GROUP BY key, local_date, hour_seq\n"
        + ")\n"
        + "SELECT f.id AS facility_id, f.name AS facility_name, z.id AS zone_id, z.code AS zone_code, f.timezone,\n"
        + "  s.local_date, s.hour_seq, s.local_hour, s.utc_offset, to_timestamp(s.hs) AS hour_start, to_timestamp(s.he) AS hour_end,\n"
        + "  z.total_spots,\n"
        + "  COALESCE(p.occupied_s, 0) AS occupied_spot_seconds,\n"
        + "  " + scaled("COALESCE(p.occupied_s, 0)", "60", 4, "DECIMAL(18,4)") + " AS occupied_spot_minutes,\n"
        + "  CAST(z.total_spots AS BIGINT) * (s.he - s.hs) AS capacity_spot_seconds,\n"
        + "  " + scaled("CAST(z.total_spots AS BIGINT) * (s.he - s.hs)", "60", 4, "DECIMAL(18,4)") + " AS capacity_spot_minutes,\n"
        + "  CASE WHEN z.total_spots > 0 THEN "
        + scaled("COALESCE(p.occupied_s, 0)", "CAST(z.total_spots AS BIGINT) * (s.he - s.hs)", 6, "DECIMAL(12,6)") + " END AS utilisation,\n"
        + "  COALESCE(p.peak, 0) AS peak_concurrent\n"
        + "FROM zone_days k\n"
        + "JOIN zones z ON z.id = k.key\n"
        + "JOIN facilities f ON f.id = z.facility_id\n"
        + "JOIN slots s ON s.timezone = k.timezone AND s.local_date = k.local_date\n"
        + "LEFT JOIN per_hour p ON p.key = k.key AND p.local_date = s.local_date AND p.hour_seq = s.hour_seq";
  }

  /** Integer {@code x / n} rounded half away from zero to {@code places} decimals, exactly (Spark's decimal division and cast). */
  private static String scaled(String x, String n, int places, String type) {
    return "CAST(CAST(div_round_int(CAST(" + x + " AS HUGEINT) * " + BigDecimal.TEN.pow(places) + ", " + n + ") AS DECIMAL(38,0)) * "
        + BigDecimal.ONE.movePointLeft(places).toPlainString() + " AS " + type + ")";
  }

  private static String money(String expression) {
    return "CAST(" + expression + " AS DECIMAL(18,2))";
  }

  private static String averageTicket(String gross, String payments) {
    return "CAST(CASE WHEN COALESCE(" + payments + ", 0) = 0 THEN NULL ELSE div_round2(" + gross + ", " + payments
        + ") END AS DECIMAL(18,2))";
  }

  private static String rollUp(String periodColumn, String periodExpression) {
    StringBuilder sums = new StringBuilder();
    for (String m : List.of("gross", "refunds", "net", "booking_gross", "subscription_gross", "fine_gross")) {
      sums.append("  ").append(money("SUM(" + m + ")")).append(" AS ").append(m).append(",\n");
    }
    return "SELECT facility_id, max(facility_name) AS facility_name, max(city) AS city, max(timezone) AS timezone,\n"
        + "  max(currency) AS currency, " + periodColumn + ",\n"
        + sums
        + "  SUM(payments) AS payments,\n"
        + "  " + averageTicket("SUM(gross)", "SUM(payments)") + " AS average_ticket,\n"
        + "  COUNT(DISTINCT local_date) AS days_with_rows\n"
        + "FROM (SELECT *, " + periodExpression + " AS " + periodColumn + " FROM revenue_daily) r\n"
        + "GROUP BY facility_id, " + periodColumn;
  }
}
