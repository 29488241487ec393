package io.parklake.reports.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.testing.TestPostgres;
import io.parklake.warehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Publishing gold marts into a real PostgreSQL server from real Delta tables in a temp lake: values
 * round-trip exactly, a concurrent reader only ever sees a whole table, failures leave the previous
 * table, and republishing is idempotent. The JVM runs in America/Sao_Paulo (which had DST until 2019),
 * the Spark session in UTC.
 */
class MartPublisherIT {
  private static final String DESCRIPTION = "Grain: one row per payment.\nInputs: silver.payments.";
  private static final String READER_ROLE = "mart_publisher_it_reader";

  private static SparkSession spark;
  private static LakeLayout lake;
  private static DatabaseAddress db;

  @BeforeAll
  static void lakeAndDatabase() throws Exception {
    spark = TestSpark.session();
    lake = new LakeLayout(Files.createTempDirectory("parklake-publish-it").resolve("lake"));
    db = TestPostgres.freshDatabase("mart_publisher");
    DeltaTables.overwrite(paymentsSample(), lake.gold("payments_sample"), null);
    try (Connection c = db.open(); Statement s = c.createStatement()) {
      s.execute("DO $$ BEGIN CREATE ROLE " + READER_ROLE + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    }
  }

  @Test
  void published_mart_equals_gold_row_for_row_with_mapped_types_comment_key_and_grant() throws Exception {
    List<PublishedMart> result = new MartPublisher()
        .keys(Map.of("payments_sample", List.of("id")))
        .grantSelectTo(READER_ROLE)
        .publish(spark, lake, List.of("payments_sample"), Map.of("payments_sample", DESCRIPTION), db);

    Dataset<Row> gold = DeltaTables.read(spark, lake.gold("payments_sample"));
    assertThat(result).singleElement().satisfies(p -> {
      assertThat(p.table()).isEqualTo("mart.payments_sample");
      assertThat(p.rows()).isEqualTo(gold.count());
      assertThat(p.deltaVersion()).isZero();
    });
    assertThat(pgLines("mart.payments_sample")).isEqualTo(goldLines(gold));
    assertThat(columnTypes("mart.payments_sample")).containsExactly(
        "id bigint", "facility text", "local_date date", "paid_at timestamp with time zone", "amount numeric(18,2)",
        "ratio double precision", "visits integer", "refunded boolean");
    assertThat(query("SELECT obj_description('mart.payments_sample'::regclass, 'pg_class')"))
        .containsExactly(DESCRIPTION + "\n\nPublished by ParkLake from gold.payments_sample, Delta version 0.");
    // Money stays exact decimal end to end, including values a double cannot hold.
    try (Connection c = db.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT amount FROM mart.payments_sample WHERE id IN (1, 2, 3) ORDER BY id")) {
      List<BigDecimal> amounts = new ArrayList<>();
      while (r.next()) {
        amounts.add(r.getBigDecimal(1));
      }
      assertThat(amounts).containsExactly(
          new BigDecimal("0.01"), new BigDecimal("1234567.89"), new BigDecimal("9999999999999999.99"));
    }
    assertThat(query("SELECT conname FROM pg_constraint WHERE conrelid = 'mart.payments_sample'::regclass AND contype = 'p'"))
        .containsExactly("payments_sample_pkey");
    assertThat(query("SELECT has_table_privilege('" + READER_ROLE + "', 'mart.payments_sample', 'SELECT')::text"))
        .containsExactly("true");
    assertThat(query("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'mart_staging'")).containsExactly("0");
  }

  @Test
  void concurrent_reader_sees_only_whole_versions_while_the_mart_is_replaced() throws Exception {
    // Two lakes holding two versions of the same mart; publishing alternately from each replaces it.
    LakeLayout lakeA = new LakeLayout(Files.createTempDirectory("parklake-publish-a").resolve("lake"));
    LakeLayout lakeB = new LakeLayout(Files.createTempDirectory("parklake-publish-b").resolve("lake"));
    DeltaTables.overwrite(bigMart(200_000, "0.37"), lakeA.gold("occupancy_big"), null);
    DeltaTables.overwrite(bigMart(150_001, "0.41"), lakeB.gold("occupancy_big"), null);
    String versionA = countAndSum(DeltaTables.read(spark, lakeA.gold("occupancy_big")));
    String versionB = countAndSum(DeltaTables.read(spark, lakeB.gold("occupancy_big")));
    assertThat(versionA).isNotEqualTo(versionB);

    AtomicInteger readerPid = new AtomicInteger();
    AtomicInteger swapsWithReaderWaiting = new AtomicInteger();
    PublishHooks holdUntilReaderWaits = new PublishHooks() {
      @Override
      public void beforeSwapCommit(String mart, Connection connection) throws SQLException {
        // The old table is dropped and the new one renamed, uncommitted: the reader's next query must
        // queue on the lock, and it must come out of the wait with the new version, whole.
        awaitReaderWaitingOnLock(readerPid.get());
        swapsWithReaderWaiting.incrementAndGet();
      }
    };
    MartPublisher publisher = new MartPublisher().hooks(holdUntilReaderWaits);
    List<String> marts = List.of("occupancy_big");
    new MartPublisher().publish(spark, lakeA, marts, Map.of(), db);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<CountDownLatch> nextObservation = new AtomicReference<>(new CountDownLatch(1));
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    AtomicInteger seenA = new AtomicInteger();
    AtomicInteger seenB = new AtomicInteger();
    CountDownLatch readerReady = new CountDownLatch(1);
    AtomicReference<Throwable> readerFailure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try (Connection c = db.open(); Statement s = c.createStatement()) {
        try (ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
          r.next();
          readerPid.set(r.getInt(1));
        }
        c.setAutoCommit(false);
        readerReady.countDown();
        while (!stop.get()) {
          CountDownLatch observed = nextObservation.get();
          String seen;
          try (ResultSet r = s.executeQuery("SELECT count(*), sum(amount) FROM mart.occupancy_big")) {
            r.next();
            seen = r.getLong(1) + "/" + r.getBigDecimal(2).toPlainString();
          }
          c.commit(); // every observation in a transaction of its own
          if (seen.equals(versionA)) {
            seenA.incrementAndGet();
          } else if (seen.equals(versionB)) {
            seenB.incrementAndGet();
          } else {
            unexpected.add(seen);
          }
          observed.countDown();
        }
      } catch (Throwable t) {
        readerFailure.set(t);
        readerReady.countDown();
      }
    }, "mart-reader");
    reader.start();
    try {
      assertThat(readerReady.await(60, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 6; i++) {
        LakeLayout from = i % 2 == 1 ? lakeB : lakeA;
        PublishedMart p = publisher.publish(spark, from, marts, Map.of(), db).get(0);
        System.out.printf("swap %d: %d rows in %.2f s, %.0f rows/s%n", i, p.rows(), p.seconds(), p.rowsPerSecond());
        assertThat(p.rows()).isEqualTo(i % 2 == 1 ? 150_001 : 200_000);
        // A query that starts after the swap committed must see the new version.
        CountDownLatch afterSwap = new CountDownLatch(1);
        nextObservation.set(afterSwap);
        assertThat(afterSwap.await(60, TimeUnit.SECONDS)).as("reader observed after swap %d", i).isTrue();
        assertThat(readerFailure.get()).isNull();
      }
    } finally {
      stop.set(true);
      reader.join(TimeUnit.MINUTES.toMillis(1));
    }
    assertThat(readerFailure.get()).isNull();
    assertThat(unexpected).as("observations that were neither version A (%s) nor B (%s)", versionA, versionB).isEmpty();
    assertThat(seenA.get()).isPositive();
    assertThat(seenB.get()).isPositive();
    assertThat(swapsWithReaderWaiting.get()).isEqualTo(6);
    System.out.printf("reader: %d observations of A, %d of B%n", seenA.get(), seenB.get());
  }

  @Test
  void mart_with_an_unpublishable_column_type_fails_naming_mart_and_column_and_keeps_the_previous_table() throws Exception {
    DeltaTables.overwrite(fragile(3), lake.gold("fragile_types"), null);
    new MartPublisher().publish(spark, lake, List.of("fragile_types"), Map.of("fragile_types", "v1"), db);
    List<String> before = pgLines("mart.fragile_types");
    DeltaTables.overwrite(fragile(5).selectExpr("*", "array(facility_id) AS tags"), lake.gold("fragile_types"), null);

    assertThatThrownBy(() -> new MartPublisher()
        .publish(spark, lake, List.of("fragile_types"), Map.of("fragile_types", "v2"), db))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mart 'fragile_types'")
        .hasMessageContaining("column 'tags'")
        .hasMessageContaining("array<string>");

    assertThat(pgLines("mart.fragile_types")).hasSize(3).isEqualTo(before);
    assertThat(query("SELECT obj_description('mart.fragile_types'::regclass, 'pg_class')").get(0)).startsWith("v1\n");
  }

  @Test
  void failure_after_staging_keeps_the_previous_table_and_drops_the_staging_table() throws Exception {
    DeltaTables.overwrite(fragile(3), lake.gold("fragile_staged"), null);
    new MartPublisher().publish(spark, lake, List.of("fragile_staged"), Map.of(), db);
    List<String> before = pgLines("mart.fragile_staged");
    DeltaTables.overwrite(fragile(5), lake.gold("fragile_staged"), null);
    AtomicReference<String> staged = new AtomicReference<>();
    PublishHooks failAfterStaging = new PublishHooks() {
      @Override
      public void afterStaging(String mart, String stagingTable) throws SQLException {
        staged.set(stagingTable);
        throw new SQLException("injected failure after staging");
      }
    };

    assertThatThrownBy(() -> new MartPublisher().hooks(failAfterStaging)
        .publish(spark, lake, List.of("fragile_staged"), Map.of(), db))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mart 'fragile_staged'")
        .hasMessageContaining("injected failure after staging");

    assertThat(staged.get()).matches("\"mart_staging\"\\.\"fragile_staged__stg_[0-9a-f]{12}\"");
    assertThat(pgLines("mart.fragile_staged")).hasSize(3).isEqualTo(before);
    assertThat(query("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'mart_staging'")).containsExactly("0");
  }

  @Test
  void failure_inside_the_swap_transaction_rolls_back_the_drop_and_keeps_the_previous_table() throws Exception {
    DeltaTables.overwrite(fragile(3), lake.gold("fragile_swap"), null);
    new MartPublisher().publish(spark, lake, List.of("fragile_swap"), Map.of("fragile_swap", "v1"), db);
    List<String> before = pgLines("mart.fragile_swap");
    DeltaTables.overwrite(fragile(5), lake.gold("fragile_swap"), null);
    AtomicReference<String> rowsInsideSwap = new AtomicReference<>();
    PublishHooks failBeforeCommit = new PublishHooks() {
      @Override
      public void beforeSwapCommit(String mart, Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
            ResultSet r = s.executeQuery("SELECT count(*) FROM mart.fragile_swap")) {
          r.next();
          rowsInsideSwap.set(r.getString(1));
        }
        throw new SQLException("injected failure before the swap commits");
      }
    };

    assertThatThrownBy(() -> new MartPublisher().hooks(failBeforeCommit)
        .publish(spark, lake, List.of("fragile_swap"), Map.of("fragile_swap", "v2"), db))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mart 'fragile_swap'")
        .hasMessageContaining("mart.fragile_swap is unchanged")
        .hasMessageContaining("injected failure before the swap commits");

    assertThat(rowsInsideSwap.get()).as("the new table had replaced the old inside the swap").isEqualTo("5");
    assertThat(pgLines("mart.fragile_swap")).hasSize(3).isEqualTo(before);
    assertThat(query("SELECT obj_description('mart.fragile_swap'::regclass, 'pg_class')").get(0)).startsWith("v1\n");
    assertThat(query("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'mart_staging'")).containsExactly("0");
  }

  @Test
  void republishing_unchanged_gold_gives_an_identical_table_and_drops_only_leftover_staging_tables() throws Exception {
    MartPublisher publisher = new MartPublisher().keys(Map.of("payments_sample", List.of("id")));
    Map<String, String> descriptions = Map.of("payments_sample", DESCRIPTION);
    PublishedMart first = publisher.publish(spark, lake, List.of("payments_sample"), descriptions, db, "bi").get(0);
    List<String> rows = pgLines("bi.payments_sample");
    List<String> types = columnTypes("bi.payments_sample");
    List<String> comment = query("SELECT obj_description('bi.payments_sample'::regclass, 'pg_class')");
    // What a publish killed part-way leaves behind, and a table of someone else's that must survive.
    try (Connection c = db.open(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bi_staging.payments_sample__stg_0123456789ab (id bigint)");
      s.execute("CREATE TABLE bi_staging.notes (id bigint)");
    }

    PublishedMart second = publisher.publish(spark, lake, List.of("payments_sample"), descriptions, db, "bi").get(0);

    assertThat(second.rows()).isEqualTo(first.rows());
    assertThat(second.deltaVersion()).isEqualTo(first.deltaVersion());
    assertThat(pgLines("bi.payments_sample")).isEqualTo(rows);
    assertThat(columnTypes("bi.payments_sample")).isEqualTo(types);
    assertThat(query("SELECT obj_description('bi.payments_sample'::regclass, 'pg_class')")).isEqualTo(comment);
    assertThat(query("SELECT tablename FROM pg_tables WHERE schemaname = 'bi_staging'")).containsExactly("notes");
    assertThat(query("SELECT tablename FROM pg_tables WHERE schemaname = 'bi'")).containsExactly("payments_sample");
  }

  // ---- gold tables

  /**
   * Hand-picked edge values (money at the cent and at decimal(18,2)'s limit, instants either side of
   * Sao Paulo's and Europe's DST changes, empty strings, CSV-hostile text, NaN and infinities, nulls),
   * then 2,000 seeded random rows whose doubles are random bit patterns.
   */
  private static Dataset<Row> paymentsSample() {
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("facility", DataTypes.StringType)
        .add("local_date", DataTypes.DateType)
        .add("paid_at", DataTypes.TimestampType)
        .add("amount", DataTypes.createDecimalType(18, 2))
        .add("ratio", DataTypes.DoubleType)
        .add("visits", DataTypes.IntegerType)
        .add("refunded", DataTypes.BooleanType);
    List<Row> rows = new ArrayList<>(List.of(
        row(1, "São Paulo Centro", "2018-11-04", "2018-11-04T02:59:59.999999Z", "0.01", 0.1, 1, true),
        row(2, "", "2018-11-04", "2018-11-04T03:00:00Z", "1234567.89", Double.NaN, 0, false),
        row(3, null, "2019-02-16", "2019-02-17T01:30:00Z", "9999999999999999.99", Double.POSITIVE_INFINITY,
            Integer.MIN_VALUE, null),
        row(4, "quote \" comma , newline \n end", "2019-02-17", "2019-02-17T02:30:00Z", "-0.01",
            Double.NEGATIVE_INFINITY, Integer.MAX_VALUE, true),
        row(5, "\\.", "2024-03-31", "2024-03-31T00:59:59.123456Z", "0.00", -0.0, null, false),
        row(6, "NULL", null, null, null, null, null, null),
        row(7, "tab\tand\r\ncrlf", "2024-10-27", "2024-10-27T01:00:00Z", "-9999999999999999.99", Double.MIN_VALUE, 7,
            true),
        row(8, "emoji \uD83D\uDE97", "1970-01-01", "1970-01-01T00:00:00Z", "0.10", Double.MAX_VALUE, 8, false),
        row(9, "\\N", "1900-01-01", "1900-01-01T00:00:00Z", "100.10", 1e-300, -1, false)));
    Random random = new Random(20241027);
    Instant from = Instant.parse("2018-01-01T00:00:00Z");
    for (int k = 0; k < 2_000; k++) {
      double ratio;
      do {
        ratio = Double.longBitsToDouble(random.nextLong());
      } while (Double.isNaN(ratio));
      long cents = Math.floorMod(random.nextLong(), 1_000_000_000_000_000_000L) * (random.nextBoolean() ? 1 : -1);
      rows.add(RowFactory.create(1_000L + k, "facility-" + (k % 37), LocalDate.of(2018, 10, 1).plusDays(k % 200),
          from.plusSeconds(random.nextInt(250_000_000)).plusNanos(random.nextInt(1_000_000) * 1_000L),
          BigDecimal.valueOf(cents, 2), ratio, random.nextInt(), random.nextBoolean()));
    }
    return spark.createDataFrame(rows, schema);
  }

  private static Row row(long id, String facility, String date, String instant, String amount, Double ratio,
      Integer visits, Boolean refunded) {
    return RowFactory.create(id, facility, date == null ? null : LocalDate.parse(date),
        instant == null ? null : Instant.parse(instant), amount == null ? null : new BigDecimal(amount), ratio,
        visits, refunded);
  }

  private static Dataset<Row> bigMart(long rows, String rate) {
    return spark.range(rows).selectExpr(
        "id",
        "concat('facility-', id % 500) AS facility_id",
        "date_add(DATE'2024-01-01', CAST(id % 366 AS INT)) AS local_date",
        "timestamp_seconds(1711846800 + id * 37) AS observed_at",
        "CAST(id * " + rate + " AS DECIMAL(18,2)) AS amount",
        "CAST(id AS DOUBLE) / 7 AS utilisation",
        "CAST(id % 97 AS INT) AS spots",
        "id % 3 = 0 AS weekend");
  }

  private static Dataset<Row> fragile(long rows) {
    return spark.range(rows).selectExpr("id", "concat('facility-', id) AS facility_id", "CAST(id * 1.5 AS DECIMAL(18,2)) AS amount");
  }

  private static String countAndSum(Dataset<Row> gold) {
    Row r = gold.selectExpr("count(*)", "sum(amount)").head();
    return r.getLong(0) + "/" + r.getDecimal(1).toPlainString();
  }

  // ---- comparing both sides as sorted text, one line per row, each value tagged with its Java type

  private static List<String> goldLines(Dataset<Row> gold) {
    List<String> lines = new ArrayList<>();
    for (Row r : gold.collectAsList()) {
      StringJoiner line = new StringJoiner(" | ");
      for (int i = 0; i < r.length(); i++) {
        line.add(render(r.isNullAt(i) ? null : r.get(i)));
      }
      lines.add(line.toString());
    }
    Collections.sort(lines);
    return lines;
  }

  private static List<String> pgLines(String table) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = r.getMetaData();
      while (r.next()) {
        StringJoiner line = new StringJoiner(" | ");
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          Object value = switch (meta.getColumnTypeName(i)) {
            case "date" -> r.getObject(i, LocalDate.class);
            case "timestamptz" -> {
              OffsetDateTime t = r.getObject(i, OffsetDateTime.class);
              yield t == null ? null : t.toInstant();
            }
            default -> r.getObject(i);
          };
          line.add(render(value));
        }
        lines.add(line.toString());
      }
    }
    Collections.sort(lines);
    return lines;
  }

  private static String render(Object value) {
    if (value == null) {
      return "NULL";
    }
    String text = value instanceof BigDecimal b ? b.toPlainString()
        : value instanceof Double d ? d + "#" + Long.toHexString(Double.doubleToLongBits(d))
        : value instanceof String s ? "'" + s + "'"
        : value.toString();
    return value.getClass().getSimpleName() + ":" + text;
  }

  private static List<String> columnTypes(String table) throws SQLException {
    return query("SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '"
        + table + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
  }

  private static List<String> query(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  /** Waits (bounded) until the reader's backend is queued on a lock, i.e. blocked by the uncommitted swap. */
  private static void awaitReaderWaitingOnLock(int pid) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Connection c = db.open();
        PreparedStatement s = c.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'")) {
      s.setInt(1, pid);
      while (true) {
        try (ResultSet r = s.executeQuery()) {
          r.next();
          if (r.getLong(1) == 1) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the reader never queued behind the swap's lock");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
      }
    }
  }
}
