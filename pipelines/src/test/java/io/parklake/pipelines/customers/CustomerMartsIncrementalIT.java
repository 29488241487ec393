package io.parklake.pipelines.customers;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.pipelines.extract.ExtractStats;
import io.parklake.pipelines.extract.FaultInjector;
import io.parklake.pipelines.extract.LakeExtraction;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.MartLake;
import io.parklake.pipelines.marts.Marts;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.testing.TestFiles;
import io.parklake.warehouse.testing.TestPostgres;
import io.parklake.warehouse.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A payment committed late for an early day: the incremental refresh recomputes only that day's
 * {@code customer_activity_daily} partition, that month of {@code repeat_customers}, and the whole
 * (unpartitioned) customer marts, and leaves every customer mart equal to a full rebuild.
 */
class CustomerMartsIncrementalIT {
  private static final Set<String> CUSTOMER_MARTS = Set.of("customer_activity_daily", "customer_value", "customer_model_fit",
      "customer_segments", "repeat_customers", "favourite_facility");
  private static final Predicate<Mart> CUSTOMERS = m -> CUSTOMER_MARTS.contains(m.name());

  @Test
  void given_a_late_payment_for_an_early_day_when_refreshed_then_only_that_day_is_recomputed_and_equals_a_rebuild()
      throws Exception {
    MartLake shared = MartLake.get();
    // A copy of the source (with its extraction watermarks) and of the lake extracted from it.
    DatabaseAddress db = TestPostgres.copyOf(shared.source(), "customers_late_payment");
    Path root = Files.createTempDirectory("parklake-customers-late").resolve("lake");
    TestFiles.copyTree(Path.of(shared.lake().root()), root);
    LakeLayout lake = new LakeLayout(root);
    MartContext context = new MartContext(TestSpark.session(), lake, MartLake.AS_OF);

    String user;
    String facility;
    LocalDate day = LocalDate.of(2026, 10, 10);
    try (Connection c = db.open(); Statement s = c.createStatement()) {
      var r = s.executeQuery("SELECT b.user_id::text, b.facility_id::text FROM bookings b JOIN facilities f ON f.id = b.facility_id"
          + " WHERE b.status = 'COMPLETED' AND (b.entry_time AT TIME ZONE f.timezone)::date = DATE '" + day + "'"
          + " ORDER BY b.user_id::text, b.facility_id::text LIMIT 1");
      r.next();
      user = r.getString(1);
      facility = r.getString(2);
      s.execute("INSERT INTO payments (id, user_id, facility_id, kind, amount, currency, provider, status, provider_txn_id, paid_at,"
          + " created_at, updated_at) SELECT gen_random_uuid(), '" + user + "', f.id, 'FINE', 17.35, f.currency, 'CARD',"
          + " 'SUCCEEDED', 'txn_late', (TIMESTAMP '" + day + " 12:00' AT TIME ZONE f.timezone),"
          + " (TIMESTAMP '" + day + " 12:00' AT TIME ZONE f.timezone), now() FROM facilities f WHERE f.id = '" + facility + "'");
    }
    String spendBefore = totalSpend(context, user, facility);

    List<ExtractStats> stats = new LakeExtraction(TestSpark.session(), db, db, lake, FaultInjector.NONE)
        .extract(List.of(SourceTable.values()), Duration.ofHours(1), "late-payment");
    Map<String, SortedSet<LocalDate>> changed = new HashMap<>();
    stats.forEach(s -> changed.put(s.table(), new TreeSet<>(s.affectedDates())));
    assertThat(changed.get("payments")).containsExactly(day);
    assertThat(changed.get("bookings")).isEmpty();

    Map<String, Marts.Refreshed> refreshed = Marts.refreshChanged(context, changed, List.of(), CUSTOMERS).stream()
        .collect(Collectors.toMap(Marts.Refreshed::mart, r -> r));
    assertThat(refreshed.keySet()).isEqualTo(CUSTOMER_MARTS);
    assertThat(refreshed.get("customer_activity_daily").partitions()).containsExactly(day);
    assertThat(refreshed.get("repeat_customers").partitions()).containsExactly(LocalDate.of(2026, 10, 1));
    for (String whole : List.of("customer_value", "customer_model_fit", "customer_segments", "favourite_facility")) {
      assertThat(refreshed.get(whole).partitions()).as(whole).isEmpty();
      assertThat(refreshed.get(whole).rows()).as(whole).isPositive();
    }
    assertThat(new java.math.BigDecimal(totalSpend(context, user, facility)))
        .isEqualByComparingTo(new java.math.BigDecimal(spendBefore).add(new java.math.BigDecimal("17.35")));

    Map<String, Map<String, String>> incremental = new HashMap<>();
    for (String mart : CUSTOMER_MARTS) {
      incremental.put(mart, snapshot(context, mart));
    }
    Marts.rebuild(context, CUSTOMERS);
    for (String mart : CUSTOMER_MARTS) {
      assertThat(incremental.get(mart)).as(mart).isEqualTo(snapshot(context, mart));
    }
    // The late payment is the only difference from the shared lake's customer_activity_daily.
    Map<String, String> before = snapshot(shared.context(), "customer_activity_daily");
    Map<String, String> after = incremental.get("customer_activity_daily");
    assertThat(after.keySet().stream().filter(k -> !before.containsKey(k)).toList())
        .singleElement().asString().startsWith(user + "|" + facility + "|");
    assertThat(before.keySet().stream().filter(k -> !after.containsKey(k)).count()).isLessThanOrEqualTo(1);
    assertThat(after.size() - before.size()).isBetween(0, 1);
  }

  private static String totalSpend(MartContext context, String user, String facility) {
    String currency = context.table("silver.facilities").where("id = '" + facility + "'").first().getAs("currency");
    return context.table("gold.customer_value").where("user_id = '" + user + "' AND currency = '" + currency + "'")
        .first().getAs("total_spend").toString();
  }

  /** Every row of a gold table as text, in the table's column order (keys first), as a set. */
  private static Map<String, String> snapshot(MartContext context, String mart) {
    var table = context.table("gold." + mart);
    return MartLake.lines(table.columns().length, table);
  }
}
