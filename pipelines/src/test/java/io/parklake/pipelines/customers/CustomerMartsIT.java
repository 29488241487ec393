package io.parklake.pipelines.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.parklake.pipelines.clv.BgNbdModel;
import io.parklake.pipelines.clv.CustomerHistory;
import io.parklake.pipelines.clv.CustomerHistory.Transaction;
import io.parklake.pipelines.clv.GammaGammaModel;
import io.parklake.pipelines.marts.MartChecks;
import io.parklake.pipelines.marts.MartLake;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.functions;
import org.apache.spark.unsafe.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The customer marts on the shared 35-day test lake, each compared with the same question answered by
 * plain SQL in PostgreSQL on the source (local days by {@code AT TIME ZONE}), and the model outputs
 * with a direct Java fit of the customers PostgreSQL finds.
 */
class CustomerMartsIT {
  private static final LocalDate AS_OF = MartLake.AS_OF;
  private static final String VISIT = "b.status IN ('COMPLETED', 'ACTIVE')";
  private static final String MOVED = "p.paid_at IS NOT NULL AND p.user_id IS NOT NULL AND ((p.kind <> 'REFUND' AND p.status IN "
      + "('SUCCEEDED', 'REFUNDED')) OR (p.kind = 'REFUND' AND p.status = 'SUCCEEDED'))";
  private static MartLake lake;

  @BeforeAll
  static void build() {
    lake = MartLake.get();
  }

  @Test
  void every_customer_mart_has_unique_non_null_keys_and_resolving_foreign_keys() {
    Dataset<Row> facilities = lake.context().table("silver.facilities");
    Dataset<Row> users = lake.context().table("silver.users");
    Dataset<Row> activity = lake.gold("customer_activity_daily");
    MartChecks.keysUniqueAndNotNull(activity, "user_id", "facility_id", "local_date");
    MartChecks.relationship(activity, "user_id", users, "id");
    MartChecks.relationship(activity, "facility_id", facilities, "id");
    MartChecks.keysUniqueAndNotNull(lake.gold("customer_value"), "user_id", "currency");
    MartChecks.relationship(lake.gold("customer_value"), "user_id", users, "id");
    MartChecks.acceptedValues(lake.gold("customer_value"), "currency", Set.of("GBP", "USD", "EUR", "INR", "AUD"));
    MartChecks.keysUniqueAndNotNull(lake.gold("customer_model_fit"), "currency");
    MartChecks.keysUniqueAndNotNull(lake.gold("customer_segments"), "user_id", "currency");
    MartChecks.relationship(lake.gold("customer_segments"), "user_id", users, "id");
    MartChecks.acceptedValues(lake.gold("customer_segments"), "segment", Set.copyOf(CustomerSegmentsMart.SEGMENTS));
    for (String score : List.of("recency_score", "frequency_score", "monetary_score")) {
      MartChecks.acceptedValues(lake.gold("customer_segments"), score, Set.of(1, 2, 3, 4, 5));
    }
    MartChecks.keysUniqueAndNotNull(lake.gold("repeat_customers"), "facility_id", "month_start");
    MartChecks.relationship(lake.gold("repeat_customers"), "facility_id", facilities, "id");
    MartChecks.keysUniqueAndNotNull(lake.gold("favourite_facility"), "user_id");
    MartChecks.relationship(lake.gold("favourite_facility"), "user_id", users, "id");
    MartChecks.relationship(lake.gold("favourite_facility"), "facility_id", facilities, "id");
  }

  @Test
  void customer_activity_daily_equals_plain_sql_for_every_user_facility_and_local_day() {
    Map<String, String> expected = lake.pg(3, """
        WITH booked AS (
          SELECT b.user_id::text AS u, b.facility_id::text AS f, (b.entry_time AT TIME ZONE fa.timezone)::date AS d,
            count(*) FILTER (WHERE %s) AS visits, count(*) AS bookings,
            count(*) FILTER (WHERE b.status = 'CANCELLED') AS cancellations, count(*) FILTER (WHERE b.status = 'NO_SHOW') AS no_shows
          FROM bookings b JOIN facilities fa ON fa.id = b.facility_id GROUP BY 1, 2, 3
        ), paid AS (
          SELECT p.user_id::text AS u, p.facility_id::text AS f, (p.paid_at AT TIME ZONE fa.timezone)::date AS d,
            coalesce(sum(p.amount) FILTER (WHERE p.kind <> 'REFUND'), 0) AS gross,
            coalesce(sum(p.amount) FILTER (WHERE p.kind = 'REFUND'), 0) AS refunds
          FROM payments p JOIN facilities fa ON fa.id = p.facility_id WHERE %s GROUP BY 1, 2, 3
        )
        SELECT u, f, d, fa.currency, coalesce(visits, 0), coalesce(bookings, 0), coalesce(cancellations, 0),
          coalesce(no_shows, 0), coalesce(gross, 0), coalesce(refunds, 0), coalesce(gross, 0) - coalesce(refunds, 0)
        FROM booked FULL JOIN paid USING (u, f, d) JOIN facilities fa ON fa.id::text = f""".formatted(VISIT, MOVED));
    Map<String, String> actual = MartLake.lines(3, lake.gold("customer_activity_daily").selectExpr("user_id", "facility_id",
        "local_date", "currency", "visits", "bookings", "cancellations", "no_shows", "gross_spend", "refunds", "spend"));
    assertThat(expected).hasSizeGreaterThan(3000);
    assertThat(actual).isEqualTo(expected);
    // The data exercise every measure: refunds, cancellations, no-shows, spend on days without a visit.
    assertThat(lake.gold("customer_activity_daily").where("refunds > 0").count()).isPositive();
    assertThat(lake.gold("customer_activity_daily").where("cancellations > 0").count()).isPositive();
    assertThat(lake.gold("customer_activity_daily").where("no_shows > 0").count()).isPositive();
    assertThat(lake.gold("customer_activity_daily").where("visits = 0 AND spend > 0").count()).isPositive();
  }

  @Test
  void customer_value_history_equals_plain_sql_to_the_cent() {
    Map<String, String> expected = lake.pg(2, """
        WITH v AS (
          SELECT b.user_id::text AS u, fa.currency::text AS c, (b.entry_time AT TIME ZONE fa.timezone)::date AS d
          FROM bookings b JOIN facilities fa ON fa.id = b.facility_id
          WHERE %s AND (b.entry_time AT TIME ZONE fa.timezone)::date <= DATE '%s'
        ), vs AS (
          SELECT u, c, min(d) AS first_visit, max(d) AS last_visit, count(*) AS visits, count(DISTINCT d) AS days FROM v GROUP BY u, c
        ), s AS (
          SELECT p.user_id::text AS u, fa.currency::text AS c,
            sum(CASE WHEN p.kind = 'REFUND' THEN -p.amount ELSE p.amount END) AS spend
          FROM payments p JOIN facilities fa ON fa.id = p.facility_id
          WHERE %s AND (p.paid_at AT TIME ZONE fa.timezone)::date <= DATE '%s' GROUP BY u, c
        )
        SELECT vs.u, vs.c, first_visit, last_visit, visits, days, days - 1,
          (last_visit - first_visit)::float8 / 7, (DATE '%s' - first_visit)::float8 / 7,
          coalesce(s.spend, 0), round(coalesce(s.spend, 0) / visits, 2), coalesce(s.spend, 0)
        FROM vs LEFT JOIN s USING (u, c) JOIN users us ON us.id::text = vs.u AND NOT us.is_deleted"""
        .formatted(VISIT, AS_OF, MOVED, AS_OF, AS_OF));
    Map<String, String> actual = MartLake.lines(2, lake.gold("customer_value").selectExpr("user_id", "currency", "first_visit",
        "last_visit", "visits", "visit_days", "frequency", "recency_weeks", "tenure_weeks", "total_spend", "average_spend",
        "historic_clv"));
    assertThat(expected).hasSizeGreaterThan(400);
    assertThat(actual).isEqualTo(expected);
    assertThat(lake.gold("customer_value").select("user_id").distinct().count()).as("users in several currencies")
        .isLessThan(expected.size());
  }

  @Test
  void the_recorded_models_are_the_direct_java_fit_of_the_customers_postgresql_finds() {
    List<Transaction> visitDays = new ArrayList<>();
    Map<String, BigDecimal> spend = new HashMap<>();
    Map<String, String> days = lake.pg(3, """
        SELECT b.user_id::text || '|' || fa.currency, (b.entry_time AT TIME ZONE fa.timezone)::date, fa.currency::text, 1
        FROM bookings b JOIN facilities fa ON fa.id = b.facility_id
        WHERE %s AND (b.entry_time AT TIME ZONE fa.timezone)::date <= DATE '%s' GROUP BY 1, 2, 3""".formatted(VISIT, AS_OF));
    days.keySet().forEach(k -> {
      String[] f = k.split("\\|");
      visitDays.add(new Transaction(f[0] + "|" + f[1], LocalDate.parse(f[2]), BigDecimal.ZERO));
    });
    lake.pg(1, """
        SELECT p.user_id::text || '|' || fa.currency, sum(CASE WHEN p.kind = 'REFUND' THEN -p.amount ELSE p.amount END)
        FROM payments p JOIN facilities fa ON fa.id = p.facility_id
        WHERE %s AND (p.paid_at AT TIME ZONE fa.timezone)::date <= DATE '%s' GROUP BY 1""".formatted(MOVED, AS_OF))
        .forEach((k, v) -> spend.put(k, new BigDecimal(v)));
    List<CustomerHistory> histories = CustomerHistory.summarise(visitDays, AS_OF);
    BgNbdModel direct = BgNbdModel.fit(histories).orElseThrow();

    List<Row> fits = lake.gold("customer_model_fit").orderBy("currency").collectAsList();
    // The test source has four facilities: London, New York, Berlin, Mumbai.
    assertThat(fits).extracting(r -> r.<String>getAs("currency")).containsExactly("EUR", "GBP", "INR", "USD");
    for (Row fit : fits) {
      assertThat(fit.<Integer>getAs("bgnbd_customers")).isEqualTo(histories.size());
      assertThat(fit.<Double>getAs("r")).isCloseTo(direct.r(), within(1e-9 * direct.r()));
      assertThat(fit.<Double>getAs("alpha")).isCloseTo(direct.alpha(), within(1e-9 * direct.alpha()));
      assertThat(fit.<Double>getAs("a")).isCloseTo(direct.a(), within(1e-9 * direct.a()));
      assertThat(fit.<Double>getAs("b")).isCloseTo(direct.b(), within(1e-9 * direct.b()));
      assertThat(fit.<Double>getAs("bgnbd_log_likelihood")).isCloseTo(direct.logLikelihood(), within(1e-6));
      String currency = fit.getAs("currency");
      List<CustomerHistory> repeat = histories.stream().filter(h -> h.customerId().endsWith("|" + currency)).map(h ->
          new CustomerHistory(h.customerId(), h.frequency(), h.recency(), h.age(), spend.getOrDefault(h.customerId(), BigDecimal.ZERO)
              .divide(BigDecimal.valueOf(h.frequency() + 1L), 6, RoundingMode.HALF_EVEN)))
          .filter(h -> h.frequency() > 0 && h.monetary().signum() > 0).toList();
      assertThat(fit.<Integer>getAs("gamma_gamma_customers")).isEqualTo(repeat.size());
      GammaGammaModel gg = GammaGammaModel.fit(repeat).orElseThrow();
      assertThat(fit.<Double>getAs("p")).as(currency).isCloseTo(gg.p(), within(1e-9 * gg.p()));
      assertThat(fit.<Double>getAs("q")).as(currency).isCloseTo(gg.q(), within(1e-9 * gg.q()));
      assertThat(fit.<Double>getAs("gamma")).as(currency).isCloseTo(gg.gamma(), within(1e-9 * gg.gamma()));
    }
    System.out.printf("BG/NBD on %d customers: r=%.4f alpha=%.4f a=%.4f b=%.4f LL=%.2f%n", histories.size(), direct.r(),
        direct.alpha(), direct.a(), direct.b(), direct.logLikelihood());
  }

  @Test
  void above_the_maximum_the_models_are_fitted_on_the_documented_hash_sample_in_any_row_order() {
    Dataset<Row> customers = lake.gold("customer_value");
    List<CustomerModels.Summary> all = customers.collectAsList().stream().map(CustomerModels.Summary::of).toList();
    int max = all.size() / 3;
    CustomerModels sampled = CustomerModels.fit(customers, max).orElseThrow();
    CustomerModels reordered = CustomerModels.fit(customers.repartition(5).orderBy(functions.rand(7)), max).orElseThrow();
    assertThat(reordered.visits).isEqualTo(sampled.visits);
    assertThat(reordered.spendByCurrency).isEqualTo(sampled.spendByCurrency);

    // The sample as the doc states it, selected here in plain Java: xxhash64 (seed 42, Spark's) of
    // "user_id|currency", bucket 0 of ceil(n / max).
    long visitBuckets = (all.size() + max - 1) / max;
    List<CustomerHistory> visitSample = all.stream().filter(c -> inBucketZero(c, visitBuckets))
        .sorted(Comparator.comparing(CustomerModels.Summary::key)).map(CustomerModels.Summary::history).toList();
    assertThat(visitSample.size()).as("a sample, not everyone").isLessThan(all.size()).isGreaterThan(all.size() / 10);
    assertThat(sampled.visitsFittedOn).isEqualTo(visitSample.size());
    assertThat(sampled.visits).isEqualTo(BgNbdModel.fit(visitSample).orElseThrow());
    for (String currency : sampled.customersByCurrency.keySet()) {
      List<CustomerModels.Summary> repeat = all.stream().filter(c -> c.currency().equals(currency) && c.spendsRepeatedly()).toList();
      long buckets = Math.max(1, (repeat.size() + max - 1) / max);
      List<CustomerHistory> spendSample = repeat.stream().filter(c -> inBucketZero(c, buckets))
          .sorted(Comparator.comparing(CustomerModels.Summary::key)).map(CustomerModels.Summary::history).toList();
      assertThat(sampled.spendFittedOn.get(currency)).as(currency).isEqualTo(spendSample.size());
      if (sampled.spendByCurrency.containsKey(currency)) {
        assertThat(sampled.spendByCurrency.get(currency)).as(currency).isEqualTo(GammaGammaModel.fit(spendSample).orElseThrow());
      }
    }
  }

  private static boolean inBucketZero(CustomerModels.Summary c, long buckets) {
    byte[] key = c.key().getBytes(StandardCharsets.UTF_8);
    return Math.floorMod(XXH64.hashUnsafeBytes(key, Platform.BYTE_ARRAY_OFFSET, key.length, 42L), buckets) == 0;
  }

  @Test
  void predictions_are_the_fitted_models_applied_to_each_customer_and_stay_in_range() {
    Row fit = lake.gold("customer_model_fit").where("currency = 'GBP'").first();
    BgNbdModel m = new BgNbdModel(fit.getAs("r"), fit.getAs("alpha"), fit.getAs("a"), fit.getAs("b"), 0);
    GammaGammaModel gg = new GammaGammaModel(fit.getAs("p"), fit.getAs("q"), fit.getAs("gamma"), 0);
    List<Row> rows = lake.gold("customer_value").collectAsList();
    int checkedClv = 0;
    for (Row r : rows) {
      double alive = r.getAs("probability_alive");
      double expected = r.getAs("expected_visits_90d");
      assertThat(alive).isBetween(0.0, 1.0);
      assertThat(expected).isGreaterThanOrEqualTo(0.0);
      int x = r.getAs("frequency");
      long visitDays = r.getAs("visit_days");
      BigDecimal total = r.getAs("total_spend");
      CustomerHistory h = new CustomerHistory("c", x, r.getAs("recency_weeks"), r.getAs("tenure_weeks"),
          total.divide(BigDecimal.valueOf(visitDays), 6, RoundingMode.HALF_EVEN));
      assertThat(alive).isCloseTo(m.probabilityAlive(h), within(1e-12));
      assertThat(expected).isCloseTo(m.expectedPurchases(h, 90 / 7.0), within(1e-9));
      if ("GBP".equals(r.getAs("currency"))) {
        // CLV by hand: spend per visit day × expected visit days of each month, discounted 1 % a month.
        double perVisit = gg.expectedSpend(h);
        double clv = 0;
        for (int k = 1; k <= 12; k++) {
          double month = 365.25 / 12 / 7;
          clv += perVisit * (m.expectedPurchases(h, k * month) - m.expectedPurchases(h, (k - 1) * month)) / Math.pow(1.01, k);
        }
        assertThat(r.<BigDecimal>getAs("expected_avg_spend").doubleValue()).isCloseTo(perVisit, within(0.005));
        assertThat(r.<BigDecimal>getAs("clv_12m_discounted").doubleValue()).isCloseTo(clv, within(0.005));
        checkedClv++;
      }
    }
    assertThat(checkedClv).isGreaterThan(50);
    // A regular who came back recently is more likely alive than one whose visits stopped early.
    assertThat(rows.stream().filter(r -> r.<Integer>getAs("frequency") >= 3).mapToDouble(r -> r.getAs("probability_alive"))
        .min().orElseThrow()).isLessThan(rows.stream().filter(r -> r.<Integer>getAs("frequency") == 0)
        .mapToDouble(r -> r.getAs("probability_alive")).min().orElseThrow());
  }

  @Test
  void favourite_facility_equals_plain_sql_with_ties_to_the_latest_then_smallest_facility() {
    Map<String, String> expected = lake.pg(1, """
        WITH pf AS (
          SELECT b.user_id::text AS u, b.facility_id::text AS f, count(*) AS visits,
            max((b.entry_time AT TIME ZONE fa.timezone)::date) AS last_visit
          FROM bookings b JOIN facilities fa ON fa.id = b.facility_id
          WHERE %s AND (b.entry_time AT TIME ZONE fa.timezone)::date <= DATE '%s' GROUP BY 1, 2
        ), ranked AS (
          SELECT *, row_number() OVER (PARTITION BY u ORDER BY visits DESC, last_visit DESC, f COLLATE "C") AS rn,
            sum(visits) OVER (PARTITION BY u) AS total, count(*) OVER (PARTITION BY u) AS used
          FROM pf
        )
        SELECT u, f, visits, total, visits::float8 / total::float8, used, last_visit FROM ranked WHERE rn = 1"""
        .formatted(VISIT, AS_OF));
    Map<String, String> actual = MartLake.lines(1, lake.gold("favourite_facility").selectExpr("user_id", "facility_id", "visits",
        "total_visits", "visit_share", "facilities_used", "last_visit"));
    assertThat(expected).hasSizeGreaterThan(300);
    assertThat(actual).isEqualTo(expected);
    assertThat(lake.gold("favourite_facility").where("facilities_used > 1").count()).isPositive();
  }

  @Test
  void repeat_customers_equals_plain_sql_with_first_visits_per_facility_over_all_history() {
    Map<String, String> expected = lake.pg(2, """
        WITH v AS (
          SELECT b.user_id AS u, b.facility_id AS f, (b.entry_time AT TIME ZONE fa.timezone)::date AS d
          FROM bookings b JOIN facilities fa ON fa.id = b.facility_id WHERE %s
        ), firsts AS (SELECT u, f, min(d) AS first_visit FROM v GROUP BY u, f),
        per_user AS (
          SELECT v.f, date_trunc('month', v.d)::date AS m, v.u, count(*) AS visits,
            bool_and(fi.first_visit >= date_trunc('month', v.d)::date) AS is_new
          FROM v JOIN firsts fi USING (u, f) GROUP BY 1, 2, 3
        )
        SELECT f::text, m, count(*), count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new),
          (count(*) FILTER (WHERE NOT is_new))::float8 / count(*)::float8, sum(visits)
        FROM per_user GROUP BY 1, 2""".formatted(VISIT));
    Dataset<Row> mart = lake.gold("repeat_customers");
    Map<String, String> actual = MartLake.lines(2, mart.where("customers > 0").selectExpr("facility_id", "month_start",
        "customers", "new_customers", "returning_customers", "repeat_rate", "visits"));
    assertThat(expected).hasSize(8); // four facilities × October, November
    assertThat(actual).isEqualTo(expected);
    assertThat(mart.where("customers = 0 AND (repeat_rate IS NOT NULL OR new_customers <> 0)").count()).isZero();
    assertThat(mart.where("month_start = DATE'2026-11-01' AND returning_customers > 0").count()).isPositive();
  }

  @Test
  void segments_follow_the_rule_table_on_quintile_scores_within_each_currency() {
    List<Row> rows = lake.gold("customer_segments").collectAsList();
    assertThat(rows).hasSize((int) lake.gold("customer_value").count());
    for (Row r : rows) {
      int rs = r.getAs("recency_score");
      int fs = r.getAs("frequency_score");
      int ms = r.getAs("monetary_score");
      String expected = rs >= 4 && fs >= 4 && ms >= 4 ? "Champions"
          : rs >= 3 && fs >= 4 ? "Loyal"
          : rs >= 4 && fs >= 2 ? "Potential loyalist"
          : rs >= 4 ? "New"
          : rs == 3 ? "Needs attention"
          : fs >= 3 ? "At risk"
          : rs == 2 ? "Hibernating" : "Lost";
      assertThat(r.<String>getAs("segment")).as("%s", r).isEqualTo(expected);
      assertThat(r.<String>getAs("rfm")).isEqualTo("" + rs + fs + ms);
    }
    // Hand check of the quintiles in one currency: the score is 1 + floor(5 · (rank − 1) / n), equal values share it.
    List<Row> gbp = lake.gold("customer_value").where("currency = 'GBP'").orderBy("total_spend").collectAsList();
    Map<String, Integer> monetary = new HashMap<>();
    for (int i = 0; i < gbp.size(); i++) {
      int rank = i + 1;
      while (rank > 1 && gbp.get(rank - 2).<BigDecimal>getAs("total_spend").compareTo(gbp.get(i).getAs("total_spend")) == 0) {
        rank--;
      }
      monetary.put(gbp.get(i).getAs("user_id"), 1 + 5 * (rank - 1) / gbp.size());
    }
    Map<String, Integer> actual = new HashMap<>();
    lake.gold("customer_segments").where("currency = 'GBP'").collectAsList()
        .forEach(r -> actual.put(r.getAs("user_id"), r.getAs("monetary_score")));
    assertThat(actual).isEqualTo(monetary);
    assertThat(rows.stream().map(r -> r.<String>getAs("segment")).distinct().count()).isGreaterThanOrEqualTo(6);
  }
}
