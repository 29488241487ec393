package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SyntheticSource;
import io.parklake.warehouse.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeds a source over the European DST change (2026-10-25), runs {@code nightly} for two days and
 * compares {@code revenue_daily} with the same figures computed by plain SQL in PostgreSQL.
 */
class NightlyRevenueIT {
  private static final LocalDate FIRST = LocalDate.of(2026, 10, 25);
  private static final LocalDate LAST = LocalDate.of(2026, 10, 26);

  @TempDir static Path home;
  private static DatabaseAddress source;
  private static Map<String, String> env;

  @BeforeAll
  static void seedAndRun() throws Exception {
    source = TestPostgres.freshDatabase("nightly_revenue");
    SourceSchema.migrate(source);
    // Seed a window wider than the run so that late payments for earlier entries exist.
    new SyntheticSource(new SeedOptions(4000, 11, 6, FIRST.minusDays(3))).writeTo(source, n -> {});
    env = Map.of(
        "PARKLAKE_HOME", home.toString(),
        "PARKLAKE_SOURCE_URL", source.url(),
        "PARKLAKE_SOURCE_USER", source.user(),
        "PARKLAKE_SOURCE_PASSWORD", source.password());
    CliRun run = CliRun.run(env, "run", "nightly", "--from", FIRST.toString(), "--to", LAST.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("nightly 2026-10-25..2026-10-26 (2 dates): COMPLETED");
  }

  @Test
  void revenue_daily_equals_plain_sql_per_facility_and_local_day_to_the_cent() throws Exception {
    // The mart holds every local day with money moved (the first nightly extracts the whole history)
    // plus the run dates; plain SQL must agree on each of them.
    List<String> martDays = spark().read().format("delta").load(lake().gold("revenue_daily")).select("local_date").distinct()
        .collectAsList().stream().map(r -> "DATE '" + r.get(0) + "'").sorted().toList();
    assertThat(martDays).contains("DATE '2026-10-24'", "DATE '2026-10-25'", "DATE '2026-10-26'");
    Map<String, String> expected = new TreeMap<>();
    try (Connection c = source.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("""
            SELECT f.id::text AS facility_id, d::date AS local_date,
              coalesce(sum(p.amount) FILTER (WHERE p.kind <> 'REFUND' AND p.status IN ('SUCCEEDED','REFUNDED')), 0) AS gross,
              coalesce(sum(p.amount) FILTER (WHERE p.kind = 'REFUND' AND p.status = 'SUCCEEDED'), 0) AS refunds,
              count(p.id) FILTER (WHERE p.kind <> 'REFUND' AND p.status IN ('SUCCEEDED','REFUNDED')) AS payments
            FROM facilities f
            CROSS JOIN unnest(ARRAY[%s]) d
            LEFT JOIN payments p ON p.facility_id = f.id AND p.paid_at IS NOT NULL
              AND (p.paid_at AT TIME ZONE f.timezone)::date = d::date
            GROUP BY 1, 2""".formatted(String.join(", ", martDays)))) {
      while (r.next()) {
        BigDecimal gross = r.getBigDecimal("gross");
        BigDecimal refunds = r.getBigDecimal("refunds");
        expected.put(r.getString("facility_id") + " " + r.getString("local_date"),
            money(gross) + " " + money(refunds) + " " + money(gross.subtract(refunds)) + " " + r.getLong("payments"));
      }
    }
    Map<String, String> actual = new TreeMap<>();
    for (Row row : gold("revenue_daily")) {
      actual.put(row.getAs("facility_id") + " " + row.getAs("local_date"),
          money(row.getAs("gross")) + " " + money(row.getAs("refunds")) + " " + money(row.getAs("net")) + " "
              + row.<Long>getAs("payments"));
    }
    assertThat(expected).hasSizeGreaterThan(60);
    try (Connection c = source.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT DISTINCT (p.paid_at AT TIME ZONE f.timezone)::date::text FROM payments p "
            + "JOIN facilities f ON f.id = p.facility_id WHERE p.paid_at IS NOT NULL")) {
      while (r.next()) {
        assertThat(martDays).as("every day with money moved has mart rows").contains("DATE '" + r.getString(1) + "'");
      }
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(expected.values().stream().filter(v -> !v.startsWith("0.00 ")).count()).isGreaterThan(10);
  }

  @Test
  void the_test_data_is_sensitive_to_bucketing_by_the_facility_zone() throws Exception {
    try (Connection c = source.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("""
            SELECT count(*) FROM payments p JOIN facilities f ON f.id = p.facility_id
            WHERE p.paid_at IS NOT NULL AND f.timezone <> 'UTC'
              AND (p.paid_at AT TIME ZONE 'UTC')::date <> (p.paid_at AT TIME ZONE f.timezone)::date
              AND (p.paid_at AT TIME ZONE f.timezone)::date BETWEEN DATE '2026-10-24' AND DATE '2026-10-26'""")) {
      r.next();
      assertThat(r.getLong(1)).as("payments whose UTC day differs from their local day").isGreaterThan(10);
    }
  }

  @Test
  void running_a_date_again_leaves_lake_and_mart_unchanged() {
    List<String> silverBefore = rows(spark().read().format("delta").load(lake().silver("payments")).drop("_ingested_at"));
    List<String> goldBefore = rows(spark().read().format("delta").load(lake().gold("revenue_daily")));

    CliRun again = CliRun.run(env, "run", "nightly", "--date", "2026-10-25", "--json");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("\"status\":\"COMPLETED\"", "\"date\":\"2026-10-25\"");

    assertThat(rows(spark().read().format("delta").load(lake().silver("payments")))).isEqualTo(silverBefore);
    assertThat(rows(spark().read().format("delta").load(lake().gold("revenue_daily")))).isEqualTo(goldBefore);
    long total = spark().read().format("delta").load(lake().silver("payments")).count();
    long distinct = spark().read().format("delta").load(lake().silver("payments")).select("id").distinct().count();
    assertThat(distinct).isEqualTo(total);
  }

  @Test
  void the_nightly_publishes_every_gold_mart_to_the_postgres_mart_schema_row_for_row() throws Exception {
    List<String> marts = io.parklake.pipelines.marts.Marts.all().stream().map(io.parklake.pipelines.marts.Mart::name).toList();
    try (Connection c = source.open(); Statement s = c.createStatement()) {
      for (String mart : marts) {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM mart." + mart)) {
          r.next();
          assertThat(r.getLong(1)).as("rows of mart.%s", mart)
              .isEqualTo(spark().read().format("delta").load(lake().gold(mart)).count());
        }
      }
      Map<String, String> published = new TreeMap<>();
      try (ResultSet r = s.executeQuery("SELECT facility_id, local_date, currency, gross, refunds, net, payments FROM mart.revenue_daily")) {
        while (r.next()) {
          published.put(r.getString(1) + " " + r.getDate(2).toLocalDate(), r.getString(3) + " " + money(r.getBigDecimal(4)) + " "
              + money(r.getBigDecimal(5)) + " " + money(r.getBigDecimal(6)) + " " + r.getLong(7));
        }
      }
      Map<String, String> gold = new TreeMap<>();
      for (Row row : gold("revenue_daily")) {
        gold.put(row.getAs("facility_id") + " " + row.getAs("local_date"), row.getAs("currency") + " " + money(row.getAs("gross"))
            + " " + money(row.getAs("refunds")) + " " + money(row.getAs("net")) + " " + row.<Long>getAs("payments"));
      }
      assertThat(published).isEqualTo(gold).isNotEmpty();
      try (ResultSet r = s.executeQuery("SELECT obj_description('mart.revenue_daily'::regclass)")) {
        r.next();
        assertThat(r.getString(1)).contains("facility");
      }
    }
  }

  private static List<String> rows(org.apache.spark.sql.Dataset<Row> ds) {
    return ds.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static List<Row> gold(String mart) {
    return spark().read().format("delta").load(lake().gold(mart)).collectAsList();
  }

  private static LakeLayout lake() {
    return new LakeLayout(home.resolve("lake"));
  }

  private static SparkSession spark() {
    return SparkSession.active();
  }

  private static String money(BigDecimal v) {
    return v.setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString();
  }
}
