package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.jobs.batch.BatchContext;
import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.jobs.serve.ArchiveApiServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SyntheticSource;
import io.parklake.warehouse.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import io.parklake.pipelines.extract.FaultInjector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The archive end to end on one seeded source (2026-09-20 to 10-14) with every policy's age
 * shortened to one day and the source purge turned on, so that on 2026-10-14 September is due (and earlier audit logs of the seeded users):
 * <ul>
 *   <li>the rows archived are exactly those an independent query of the source selects (each table's
 *       aging date in the facility's zone, its row filter), less any the lake quarantined; after the
 *       run they are gone from silver and from the source, except one user's payments under a legal
 *       hold; archive ∪ lake holds every row of before exactly once, with equal money sums;
 *   <li>search finds the held user's payments from the index, retrieve returns rows equal to the
 *       source's before the archive, and every access is in the hash-chained audit log with its reason;
 *   <li>the nightly after the archive records no deletions, reconciles, and leaves September's
 *       date-partitioned mart rows as they were; so does {@code rebuild-marts} (frozen periods), whose
 *       other partitions equal what the incremental path left;
 *   <li>one flipped byte in an archived object, or an edited manifest, makes verify and retrieve fail
 *       naming the object; an edited audit entry breaks the audit chain.
 * </ul>
 */
class ArchiveIT {
  private static final LocalDate START = LocalDate.of(2026, 9, 20);
  private static final LocalDate AS_OF = LocalDate.of(2026, 10, 14);
  private static final List<String> TABLES = List.of("bookings", "payments", "violations", "audit_logs");
  /** Each table's due rows on AS_OF, by plain SQL over the source: aging date before 2026-10-01 and the row filter. */
  private static final Map<String, String> DUE = Map.of(
      "bookings", "SELECT t.id::text, t.final_price FROM bookings t JOIN facilities f ON f.id = t.facility_id "
          + "WHERE (t.entry_time AT TIME ZONE f.timezone)::date < DATE '2026-10-01' AND t.status IN ('COMPLETED', 'CANCELLED', 'NO_SHOW')",
      "payments", "SELECT t.id::text, t.amount FROM payments t JOIN facilities f ON f.id = t.facility_id "
          + "WHERE (coalesce(t.paid_at, t.created_at) AT TIME ZONE f.timezone)::date < DATE '2026-10-01'",
      "violations", "SELECT t.id::text, t.penalty_amount FROM violations t JOIN facilities f ON f.id = t.facility_id "
          + "WHERE (t.resolved_at AT TIME ZONE f.timezone)::date < DATE '2026-10-01'",
      "audit_logs", "SELECT t.id::text, NULL::numeric FROM audit_logs t WHERE (t.created_at AT TIME ZONE 'UTC')::date < DATE '2026-10-01'");

  @TempDir Path home;
  @TempDir Path out;

  @Test
  void aged_months_are_archived_verified_then_purged_and_come_back_proven_with_every_access_audited() throws Exception {
    DatabaseAddress db = TestPostgres.freshDatabase("archive_source");
    SourceSchema.migrate(db);
    new SyntheticSource(new SeedOptions(1200, 11, 25, START)).writeTo(db, n -> {});
    Map<String, String> env = env(db);

    try (ParkLakeRuntime rt = ParkLakeRuntime.open(ParkLakeSettings.fromEnvironment(env));
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      JobExecution nightly = new JobRunner(ctx).run("nightly", AS_OF);
      assertThat(nightly.getStatus()).as(JobRunner.failure(nightly)).isEqualTo(BatchStatus.COMPLETED);
    }
    Map<String, Map<String, BigDecimal>> due = new HashMap<>();
    Map<String, Map<String, BigDecimal>> sourceBefore = new HashMap<>();
    Map<String, Map<String, BigDecimal>> silverBefore = new HashMap<>();
    for (String t : TABLES) {
      due.put(t, query(db, DUE.get(t)));
      sourceBefore.put(t, query(db, "SELECT id::text, " + money(t) + " FROM " + t));
      silverBefore.put(t, silver(t));
    }
    Map<String, String> martsBefore = septemberRows(GoldTables.rows(home));
    String heldUser = query(db, "SELECT user_id::text, NULL::numeric FROM payments WHERE id::text IN ('"
        + String.join("','", due.get("payments").keySet()) + "') ORDER BY 1 LIMIT 1").keySet().iterator().next();
    Map<String, BigDecimal> heldPayments = query(db, DUE.get("payments") + " AND t.user_id::text = '" + heldUser + "'");
    assertThat(heldPayments).isNotEmpty();

    CliRun hold = CliRun.run(env, "archive", "hold", "--table", "payments", "--user", heldUser, "--reason", "case 2026-118");
    assertThat(hold.exitCode()).as(hold.err()).isZero();
    CliRun plan = CliRun.run(env, "run", "archive", "--date", AS_OF.toString(), "--dry-run");
    assertThat(plan.out()).contains("payments    months before 2026-10 (age P1D");
    // Faults first. After each, nothing is deleted anywhere that is not in a verified unit, and nothing is
    // lost; the run after them converges to the archive a clean run makes.
    List<String> table = new ArrayList<>();
    CliRun down = CliRun.run(withS3(env, "http://127.0.0.1:" + closedPort()), "run", "archive", "--date", AS_OF.toString());
    assertThat(down.exitCode()).isEqualTo(2);
    assertThat(down.err()).contains("PARKLAKE_S3_ENDPOINT", "cannot use bucket 'parklake-archive'");
    table.add(row("S3 down (connection refused)", "exit 2 naming PARKLAKE_S3_ENDPOINT",
        safe(db, sourceBefore, silverBefore)));
    try (FailingS3 failing = FailingS3.start()) {
      CliRun fiveHundreds = CliRun.run(withS3(env, failing.url()), "run", "archive", "--date", AS_OF.toString());
      assertThat(fiveHundreds.exitCode()).isEqualTo(1);
      assertThat(fiveHundreds.out()).contains("FAILED", "archive failed for", "bookings 2026-09", "payments 2026-09");
      assertThat(failing.puts()).as("uploads tried").isPositive();
      table.add(row("HTTP 500 on every upload", "FAILED, every unit named, none catalogued", safe(db, sourceBefore, silverBefore)));
    }
    assertThat(query(db, "SELECT unit_id, NULL::numeric FROM parklake.archive_unit")).isEmpty();
    Path objects = home.resolve("s3").resolve("parklake-archive");
    FaultInjector faults = point -> {
      switch (point) {
        case "archive:uploaded:bookings/2026-09/1" -> flipByte(objects.resolve("bookings/2026-09/1/current.parquet"));
        case "archive:uploaded:audit_logs/2026-09/1" -> throw new IllegalStateException("killed between upload and catalogue");
        case "archive:verified:violations/2026-09/1" -> throw new IllegalStateException("killed between verify and purge");
        case "archive:source-chunk:payments/2026-09/1:1" -> throw new IllegalStateException("killed in the chunked source purge");
        default -> { }
      }
    };
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(ParkLakeSettings.fromEnvironment(env), faults);
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      JobExecution faulty = new JobRunner(ctx).run("archive", AS_OF);
      assertThat(faulty.getStatus()).isEqualTo(BatchStatus.FAILED);
      assertThat(JobRunner.failure(faulty)).contains("archive failed for 4 unit(s)", "bookings/2026-09/1", "rejected",
          "audit_logs 2026-09", "violations/2026-09/1", "payments/2026-09/1");
    }
    String after = safe(db, sourceBefore, silverBefore);
    table.add(row("corrupt object on read-back (bookings)", "unit REJECTED, nothing purged", after));
    table.add(row("kill between upload and catalogue (audit_logs)", "unit not catalogued", after));
    table.add(row("kill between verify and purge (violations)", "unit VERIFIED, not purged", after));
    table.add(row("kill in the chunked source purge (payments)", "unit PURGED, source partly", after));
    assertThat(query(db, "SELECT unit_id || ' ' || status, NULL::numeric FROM parklake.archive_unit WHERE month = DATE '2026-09-01'")
        .keySet()).contains("bookings/2026-09/1 REJECTED", "violations/2026-09/1 VERIFIED", "payments/2026-09/1 PURGED")
        .noneMatch(u -> u.startsWith("audit_logs/2026-09"));

    CliRun archive = CliRun.run(env, "run", "archive", "--date", AS_OF.toString());
    assertThat(archive.exitCode()).as(archive.out() + archive.err()).isZero();

    table.add(row("rerun after all of them", "COMPLETED", safe(db, sourceBefore, silverBefore)));
    System.out.println("\nArchive faults and outcomes:\n" + String.format("%-48s %-44s %s", "fault", "outcome", "after it")
        + "\n" + String.join("\n", table) + "\n");

    for (String t : TABLES) {
      Map<String, BigDecimal> expected = new TreeMap<>(due.get(t));
      expected.keySet().retainAll(silverBefore.get(t).keySet()); // rows the lake quarantined never reach the archive
      assertThat(expected).as(t + " due").isNotEmpty();
      Map<String, BigDecimal> archived = query(db, "SELECT r.row_key, r.money FROM parklake.archive_row r JOIN parklake.archive_unit u"
          + " USING (unit_id) WHERE r.table_name = '" + t + "' AND u.status <> 'REJECTED'");
      assertThat(new TreeMap<>(archived)).as(t + ": the archived rows are the due rows").isEqualTo(expected);
      Map<String, BigDecimal> units = query(db, "SELECT unit_id, row_count::numeric FROM parklake.archive_unit WHERE table_name = '"
          + t + "' AND status = 'SOURCE_PURGED'");
      assertThat(units).as(t + " units").containsKey(t + "/2026-09/" + (t.equals("bookings") ? 2 : 1));
      assertThat(sum(units).longValue()).as(t + " units' rows").isEqualTo(expected.size());
      assertThat(query(db, "SELECT unit_id, NULL::numeric FROM parklake.archive_unit WHERE table_name = '" + t + "' AND status <> 'REJECTED'"))
          .as(t + ": every unit went as far as its policy").containsOnlyKeys(units.keySet());
      Map<String, BigDecimal> kept = t.equals("payments") ? heldPayments : Map.of();
      // Zero rows lost: what is still in the lake and the source plus what was archived and purged is what was there.
      Map<String, BigDecimal> lakeAfter = silver(t);
      Map<String, BigDecimal> sourceAfter = query(db, "SELECT id::text, " + money(t) + " FROM " + t);
      for (var e : silverBefore.get(t).entrySet()) {
        boolean purged = archived.containsKey(e.getKey()) && !kept.containsKey(e.getKey());
        assertThat(lakeAfter.containsKey(e.getKey())).as(t + " " + e.getKey() + " in the lake").isEqualTo(!purged);
      }
      assertThat(lakeAfter.size() + archived.size() - kept.size()).as(t + " rows: lake + archive").isEqualTo(silverBefore.get(t).size());
      assertThat(sum(lakeAfter).add(sum(archived)).subtract(sum(kept))).as(t + " money: lake + archive")
          .isEqualByComparingTo(sum(silverBefore.get(t)));
      Map<String, BigDecimal> gone = new HashMap<>(sourceBefore.get(t));
      gone.keySet().removeAll(sourceAfter.keySet());
      Map<String, BigDecimal> purgedFromSource = new HashMap<>(archived);
      purgedFromSource.keySet().removeAll(kept.keySet());
      assertThat(gone.keySet()).as(t + ": deleted from the source = archived and not held").isEqualTo(purgedFromSource.keySet());
    }

    CliRun search = CliRun.run(env, "archive", "search", "--table", "payments", "--user", heldUser, "--reason", "case 2026-118");
    assertThat(search.exitCode()).isZero();
    assertThat(search.out()).contains(heldPayments.size() + " row(s) in 1 unit(s)");
    heldPayments.keySet().forEach(k -> assertThat(search.out()).contains(k));

    Path retrieved = out.resolve("payments");
    CliRun retrieve = CliRun.run(env, "archive", "retrieve", "payments/2026-09/1", "--out", retrieved.toString(),
        "--reason", "audit 2026 Q3", "--format", "csv");
    assertThat(retrieve.exitCode()).as(retrieve.err()).isZero();
    Map<String, BigDecimal> fromArchive = csv(retrieved.resolve("payments_2026-09_1/current.csv"), "amount");
    Map<String, BigDecimal> expectedPayments = new TreeMap<>(sourceBefore.get("payments"));
    expectedPayments.keySet().retainAll(query(db, "SELECT row_key, money FROM parklake.archive_row WHERE unit_id = 'payments/2026-09/1'").keySet());
    assertThat(new TreeMap<>(fromArchive)).as("retrieved rows = the source's before the archive").isEqualTo(expectedPayments);
    assertThat(Files.readString(retrieved.resolve("verification.json"))).contains("\"intact\" : true", "audit 2026 Q3");

    // The same through serve's API, as an auditor's tool would: a retrieval by user and the integrity
    // audit, each run as a child process; the files downloaded; the access log names the token.
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(ParkLakeSettings.fromEnvironment(env));
        ArchiveApiServer api = ArchiveApiServer.start(rt, env, "audit-tool", API_TOKEN)) {
      JsonNode retrieval = apiPost(api, "/api/archive/retrievals", "{\"table\":\"payments\",\"user\":\"" + heldUser
          + "\",\"reason\":\"case 2026-118 disclosure\"}");
      JsonNode done = awaitTask(api, retrieval.get("task").asText());
      assertThat(done.get("state").asText()).as(done.toPrettyString()).isEqualTo("SUCCEEDED");
      Map<String, BigDecimal> viaApi = new TreeMap<>();
      String verification = null;
      for (JsonNode f : done.get("files")) {
        String name = f.get("name").asText();
        HttpResponse<String> file = apiGet(api, f.get("href").asText());
        assertThat(file.statusCode()).as(name).isEqualTo(200);
        if (name.equals("rows.csv")) { // a retrieval by a selector: the matching rows of every unit, in one file
          Path local = Files.writeString(out.resolve(name.replace('/', '_')), file.body());
          viaApi.putAll(csv(local, "amount"));
        } else if (name.equals("verification.json")) {
          verification = file.body();
        }
      }
      Map<String, BigDecimal> archivedHeld = new TreeMap<>(heldPayments);
      archivedHeld.keySet().retainAll(query(db, "SELECT row_key, money FROM parklake.archive_row WHERE unit_id LIKE 'payments/%'")
          .keySet());
      assertThat(archivedHeld).isNotEmpty();
      assertThat(viaApi).as("the held user's payments retrieved over HTTP = the source's before the archive").isEqualTo(archivedHeld);
      assertThat(verification).contains("\"intact\" : true", "case 2026-118 disclosure");
      assertThat(apiGet(api, "/api/archive/tasks/" + done.get("task").asText() + "/files/../task.log").statusCode()).isEqualTo(404);

      JsonNode verify = awaitTask(api, apiPost(api, "/api/archive/verifications", "{\"reason\":\"monthly integrity audit\"}")
          .get("task").asText());
      assertThat(verify.get("state").asText()).as(verify.toPrettyString()).isEqualTo("SUCCEEDED");
      assertThat(verify.get("output").toString()).contains("every unit verifies");
    }
    assertThat(query(db, "SELECT action, count(*) FROM parklake.archive_access_log WHERE principal = 'audit-tool' GROUP BY 1"))
        .as("the API's accesses, under the token's name").isEqualTo(Map.of("RETRIEVE", BigDecimal.ONE, "VERIFY", BigDecimal.ONE));

    // The nightly after: nothing is mistaken for a hard delete, it reconciles, September's mart rows stay.
    try (ParkLakeRuntime rt = ParkLakeRuntime.open(ParkLakeSettings.fromEnvironment(env));
        ConfigurableApplicationContext ctx = BatchContext.start(rt)) {
      JobExecution next = new JobRunner(ctx).run("nightly", AS_OF.plusDays(1));
      assertThat(next.getStatus()).as(JobRunner.failure(next)).isEqualTo(BatchStatus.COMPLETED);
    }
    assertThat(query(db, "SELECT source_table || ' ' || key, NULL::numeric FROM parklake.extraction_deletion")).isEmpty();
    Map<String, String> afterNightly = GoldTables.rows(home);
    assertThat(septemberRows(afterNightly)).isEqualTo(martsBefore);

    // rebuild-marts recomputes from what the lake holds, except the partitions the archived rows fed:
    // those stay (frozen periods), and every other partition equals what the incremental path left.
    CliRun rebuild = CliRun.run(env, "run", "rebuild-marts", "--date", AS_OF.plusDays(1).toString());
    assertThat(rebuild.exitCode()).as(rebuild.out() + rebuild.err()).isZero();
    assertThat(rebuild.out()).contains("rebuild-marts.marts: archived periods kept as they were (frozen)", "revenue_daily 2026-09-");
    Map<String, String> rebuilt = GoldTables.rows(home);
    assertThat(septemberRows(rebuilt)).isEqualTo(martsBefore);
    for (io.parklake.pipelines.marts.Mart m : io.parklake.pipelines.marts.Marts.all()) {
      if (m.dateColumn() != null) {
        assertThat(rebuilt.get(m.name())).as(m.name() + " after rebuild-marts").isEqualTo(afterNightly.get(m.name()));
      }
    }

    // Tampering shows: one flipped byte in an object, an edited manifest, an edited audit entry.
    Path bucket = home.resolve("s3").resolve("parklake-archive");
    Path object = bucket.resolve("bookings/2026-09/2/current.parquet");
    flipByte(object);
    Path manifest = bucket.resolve("violations/2026-09/1/manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"rows\" : (\\d+)", "\"rows\" : 1$1"));
    CliRun tampered = CliRun.run(env, "archive", "verify");
    assertThat(tampered.exitCode()).isEqualTo(1);
    assertThat(tampered.err()).contains("s3://parklake-archive/bookings/2026-09/2/current.parquet: SHA-256",
        "s3://parklake-archive/violations/2026-09/1/manifest.json: SHA-256", "the manifest was altered");
    CliRun refused = CliRun.run(env, "archive", "retrieve", "bookings/2026-09/2", "--out", out.resolve("b").toString(),
        "--reason", "dispute 77");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("refused", "bookings/2026-09/2/current.parquet");
    assertThat(out.resolve("b").resolve("bookings_2026-09_1")).doesNotExist();

    CliRun audit = CliRun.run(env, "archive", "audit");
    assertThat(audit.exitCode()).as(audit.err()).isZero();
    assertThat(audit.out()).contains("HOLD", "case 2026-118", "SEARCH", "RETRIEVE", "audit 2026 Q3", "VERIFY",
        "monthly integrity audit", "REFUSED", "dispute 77", "hash chain intact");
    try (Connection c = db.open(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE parklake.archive_access_log SET reason = 'nothing to see' WHERE action = 'RETRIEVE' "
          + "AND reason = 'audit 2026 Q3'");
    }
    CliRun broken = CliRun.run(env, "archive", "audit");
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.err()).contains("it was altered");
  }

  private Map<String, String> env(DatabaseAddress db) {
    Map<String, String> env = new HashMap<>(Map.of("PARKLAKE_HOME", home.toString(), "PARKLAKE_SOURCE_URL", db.url(),
        "PARKLAKE_SOURCE_USER", db.user(), "PARKLAKE_SOURCE_PASSWORD", db.password(), "PARKLAKE_MART_SCHEMA", "none",
        "USER", "auditor-anna"));
    for (String t : TABLES) {
      env.put("PARKLAKE_ARCHIVE_AGE_" + t.toUpperCase(), "P1D");
      env.put("PARKLAKE_ARCHIVE_PURGE_SOURCE_" + t.toUpperCase(), "true");
    }
    return env;
  }

  private static String money(String table) {
    return switch (table) {
      case "bookings" -> "final_price";
      case "payments" -> "amount";
      case "violations" -> "penalty_amount";
      default -> "NULL::numeric";
    };
  }

  /** Silver's rows of a table: key → money. */
  private Map<String, BigDecimal> silver(String table) {
    var spark = io.parklake.warehouse.testing.TestSpark.session();
    String m = money(table);
    var rows = DeltaTables.read(spark, new LakeLayout(home.resolve("lake")).silver(table))
        .selectExpr("CAST(id AS STRING)", m.startsWith("NULL") ? "CAST(NULL AS DECIMAL(12,2))" : m).collectAsList();
    Map<String, BigDecimal> out = new HashMap<>();
    for (Row r : rows) {
      out.put(r.getString(0), r.isNullAt(1) ? null : r.getDecimal(1));
    }
    return out;
  }

  private static Map<String, BigDecimal> query(DatabaseAddress db, String sql) throws Exception {
    Map<String, BigDecimal> out = new HashMap<>();
    try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.put(r.getString(1), r.getBigDecimal(2));
      }
    }
    return out;
  }

  private static BigDecimal sum(Map<String, BigDecimal> rows) {
    return rows.values().stream().filter(java.util.Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** A CSV file's rows: id → the money column. */
  private static final String API_TOKEN = "archive-api-secret-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static HttpResponse<String> apiGet(ArchiveApiServer api, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(api.url() + path)).header("Authorization", "Bearer " + API_TOKEN).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs {@code json}; the task it started (202). */
  private static JsonNode apiPost(ArchiveApiServer api, String path, String json) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api.url() + path))
        .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return new ObjectMapper().readTree(r.body());
  }

  /** Polls a task until it is no longer RUNNING (a deadline, not a sleep-based assertion). */
  private static JsonNode awaitTask(ArchiveApiServer api, String id) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(5).toNanos();
    while (true) {
      JsonNode task = new ObjectMapper().readTree(apiGet(api, "/api/archive/tasks/" + id).body());
      if (!task.get("state").asText().equals("RUNNING") || System.nanoTime() > deadline) {
        return task;
      }
      Thread.sleep(500);
    }
  }

  private static Map<String, BigDecimal> csv(Path file, String column) throws Exception {
    List<String> lines = Files.readAllLines(file);
    List<String> header = List.of(lines.get(0).split(","));
    int id = header.indexOf("id");
    int m = header.indexOf(column);
    return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1))
        .collect(Collectors.toMap(f -> f[id], f -> new BigDecimal(f[m])));
  }

  /**
   * Of every date-partitioned gold mart, the rows of September 2026 (those naming a date in it). The marts
   * replaced whole (customer models, forecasts) are recomputed from what silver holds: see the README.
   */
  private static Map<String, String> septemberRows(Map<String, String> marts) {
    Map<String, String> out = new TreeMap<>();
    for (io.parklake.pipelines.marts.Mart m : io.parklake.pipelines.marts.Marts.all()) {
      if (m.dateColumn() != null) {
        out.put(m.name(), marts.get(m.name()).lines().filter(l -> l.contains("2026-09-")).collect(Collectors.joining("\n")));
      }
    }
    assertThat(out.values()).as("some September mart rows").anyMatch(rows -> !rows.isEmpty());
    return out;
  }

  private static Map<String, String> withS3(Map<String, String> env, String endpoint) {
    Map<String, String> e = new HashMap<>(env);
    e.put("PARKLAKE_S3_ENDPOINT", endpoint);
    e.put("PARKLAKE_S3_ACCESS_KEY", "parklake");
    e.put("PARKLAKE_S3_SECRET_KEY", "parklake-local-secret");
    return e;
  }

  private static int closedPort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void flipByte(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 0x01;
      Files.write(file, bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String row(String fault, String outcome, String after) {
    return String.format("%-48s %-44s %s", fault, outcome, after);
  }

  /**
   * Asserts that nothing was deleted from the lake or the source that is not in a verified unit (and,
   * for the source, flagged purged), and that every row of before is in the lake, the source or such a
   * unit; says what is where.
   */
  private String safe(DatabaseAddress db, Map<String, Map<String, BigDecimal>> sourceBefore,
      Map<String, Map<String, BigDecimal>> silverBefore) throws Exception {
    List<String> parts = new ArrayList<>();
    for (String t : TABLES) {
      java.util.Set<String> verified = query(db, "SELECT r.row_key, NULL::numeric FROM parklake.archive_row r JOIN "
          + "parklake.archive_unit u USING (unit_id) WHERE r.table_name = '" + t + "' AND u.status IN ('VERIFIED', 'PURGED', "
          + "'SOURCE_PURGED')").keySet();
      java.util.Set<String> sourcePurged = query(db, "SELECT row_key, NULL::numeric FROM parklake.archive_row WHERE table_name = '"
          + t + "' AND source_purged").keySet();
      java.util.Set<String> lakeGone = new java.util.HashSet<>(silverBefore.get(t).keySet());
      lakeGone.removeAll(silver(t).keySet());
      java.util.Set<String> sourceGone = new java.util.HashSet<>(sourceBefore.get(t).keySet());
      sourceGone.removeAll(query(db, "SELECT id::text, NULL::numeric FROM " + t).keySet());
      assertThat(verified).as(t + ": every row gone from the lake is in a verified unit").containsAll(lakeGone);
      assertThat(verified).as(t + ": every row gone from the source is in a verified unit").containsAll(sourceGone);
      assertThat(sourcePurged).as(t + ": and was purged by the archive").containsAll(sourceGone);
      parts.add(t + " -" + lakeGone.size() + "/-" + sourceGone.size());
    }
    return "safe (lake/source rows gone, all verified: " + String.join(", ", parts) + ")";
  }

  /** An S3 endpoint that knows every bucket and answers every upload with HTTP 500. */
  private static final class FailingS3 implements AutoCloseable {
    private final com.sun.net.httpserver.HttpServer server;
    private final java.util.concurrent.atomic.AtomicInteger puts = new java.util.concurrent.atomic.AtomicInteger();

    private FailingS3(com.sun.net.httpserver.HttpServer server) {
      this.server = server;
    }

    static FailingS3 start() throws Exception {
      var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 16);
      FailingS3 s3 = new FailingS3(server);
      server.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        if (exchange.getRequestMethod().equals("PUT")) {
          s3.puts.incrementAndGet();
          byte[] body = "<Error><Code>InternalError</Code><Message>injected</Message></Error>".getBytes();
          exchange.getResponseHeaders().add("Content-Type", "application/xml");
          exchange.sendResponseHeaders(500, body.length);
          exchange.getResponseBody().write(body);
        } else {
          exchange.sendResponseHeaders(200, -1);
        }
        exchange.close();
      });
      server.start();
      return s3;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int puts() {
      return puts.get();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
