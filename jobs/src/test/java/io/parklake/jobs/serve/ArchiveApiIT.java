package io.parklake.jobs.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.ServeSettings;
import io.parklake.jobs.config.ServeSettings.Token;
import io.parklake.pipelines.archive.AccessLog;
import io.parklake.pipelines.archive.ArchiveCatalog;
import io.parklake.pipelines.archive.ArchiveManifest;
import io.parklake.pipelines.archive.ArchiveUnit;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.meta.MetadataSchema;
import io.parklake.warehouse.testing.TestPostgres;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive endpoints of serve's API on a real metadata database with a catalogued unit: only a
 * compliance token reaches them (none: 401, viewer and operator: 403); the unit list and a search
 * answer what the catalogue holds (checked with plain SQL), a search needs a reason, a hold is
 * placed, listed and released, and every search, hold and release is in the access log under the
 * token's name with its reason, the log's hash chain intact and no token value in it.
 */
class ArchiveApiIT {
  private static final String COMPLIANCE_TOKEN = "compliance-secret-token";
  private static final String OPERATOR_TOKEN = "operator-secret-token";
  private static final String VIEWER_TOKEN = "viewer-secret-token";
  private static final String UNIT = "payments/2019-03/1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path home;

  private static DatabaseAddress meta;
  private static ApiServer server;

  @BeforeAll
  static void catalogue_one_unit_and_start_the_api() throws Exception {
    meta = TestPostgres.freshDatabase("archive_api");
    MetadataSchema.migrate(meta);
    ArchiveCatalog catalog = new ArchiveCatalog(meta);
    List<ArchiveCatalog.IndexedRow> rows = List.of(
        row("p-1", "2019-03-02", "user-a", "12.50"),
        row("p-2", "2019-03-15", "user-a", "7.25"),
        row("p-3", "2019-03-31", "user-b", "100.00"));
    ArchiveUnit unit = new ArchiveUnit(UNIT, 1, "payments", YearMonth.of(2019, 3), 1, ArchiveUnit.Status.VERIFIED, 3, 3,
        Map.of("amount", new BigDecimal("119.75")), "p-1", "p-3", "DEEP_ARCHIVE", null, "payments/2019-03/1/manifest.json",
        "a".repeat(64), null, "run-1");
    catalog.insert(unit, List.of(new ArchiveManifest.ObjectEntry("rows.parquet", "payments/2019-03/1/rows.parquet",
        "b".repeat(64), 1234, 3)), rows.iterator());
    ParkLakeSettings settings = ParkLakeSettings.fromEnvironment(Map.of(ParkLakeSettings.HOME, home.toString()));
    ServeSettings d = ServeSettings.defaults();
    List<Token> tokens = List.of(
        Token.parse("auditor:compliance:s4lt:" + Token.hash("s4lt", COMPLIANCE_TOKEN)),
        Token.parse("airflow:operator:pepper:" + Token.hash("pepper", OPERATOR_TOKEN)),
        Token.parse("grafana:viewer:cumin:" + Token.hash("cumin", VIEWER_TOKEN)));
    ServeSettings serve = new ServeSettings("127.0.0.1", 0, Optional.empty(), Optional.empty(), tokens, d.zone(), d.schedules(),
        d.overlap(), d.overlapWait(), d.historyMaxAge(), d.clusterCheckin());
    ArchiveApi archive = new ArchiveApi(catalog, new AccessLog(meta), settings.archive());
    server = ApiServer.start(serve, 0, new StubOperations(List.of(), Optional.of(archive)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static ArchiveCatalog.IndexedRow row(String key, String date, String user, String money) {
    return new ArchiveCatalog.IndexedRow(key, LocalDate.parse(date), Instant.parse(date + "T10:00:00Z"), user, null, null,
        new BigDecimal(money));
  }

  @Test
  void only_a_compliance_token_reaches_the_archive_endpoints() throws Exception {
    assertThat(get("/api/archive/units", null).statusCode()).isEqualTo(401);
    for (String token : List.of(VIEWER_TOKEN, OPERATOR_TOKEN)) {
      HttpResponse<String> r = get("/api/archive/units", token);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("this needs role compliance");
      assertThat(post("/api/archive/holds", token, "{\"table\":\"payments\",\"user\":\"user-a\",\"reason\":\"x\"}").statusCode())
          .isEqualTo(403);
    }
    assertThat(get("/api/archive/units", COMPLIANCE_TOKEN).statusCode()).isEqualTo(200);
    assertThat(get("/api/archive/nothing-here", COMPLIANCE_TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  void units_and_search_answer_what_the_catalogue_holds_and_each_search_is_in_the_access_log_with_its_reason() throws Exception {
    JsonNode units = JSON.readTree(get("/api/archive/units?table=payments&from=2019-01&to=2019-12", COMPLIANCE_TOKEN).body());
    assertThat(units.get("units")).hasSize(1);
    JsonNode u = units.get("units").get(0);
    assertThat(u.get("unit").asText()).isEqualTo(UNIT);
    assertThat(u.get("status").asText()).isEqualTo("VERIFIED");
    assertThat(u.get("rows").asLong()).isEqualTo(pgLong("SELECT count(*) FROM parklake.archive_row WHERE unit_id = '" + UNIT + "'"));
    assertThat(u.get("money").get("amount").asText()).isEqualTo("119.75");
    assertThat(JSON.readTree(get("/api/archive/units?table=payments&from=2020-01", COMPLIANCE_TOKEN).body()).get("units")).isEmpty();

    HttpResponse<String> search = get("/api/archive/search?table=payments&user=user-a&reason=case%2042", COMPLIANCE_TOKEN);
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    JsonNode hits = JSON.readTree(search.body());
    TreeSet<String> keys = new TreeSet<>();
    hits.get("rows").forEach(r -> keys.add(r.get("key").asText()));
    assertThat(keys).isEqualTo(pgKeys("SELECT row_key FROM parklake.archive_row WHERE table_name = 'payments' AND user_id = 'user-a'"))
        .containsExactly("p-1", "p-2");
    assertThat(hits.get("units").get(0).asText()).isEqualTo(UNIT);

    HttpResponse<String> noReason = get("/api/archive/search?table=payments&user=user-a", COMPLIANCE_TOKEN);
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.body()).contains("reason is required");
    HttpResponse<String> twoSelectors = get("/api/archive/search?table=payments&user=user-a&key=p-1&reason=r", COMPLIANCE_TOKEN);
    assertThat(twoSelectors.statusCode()).isEqualTo(400);
    HttpResponse<String> unknownTable = get("/api/archive/search?table=spots&user=user-a&reason=r", COMPLIANCE_TOKEN);
    assertThat(unknownTable.statusCode()).isEqualTo(400);
    assertThat(unknownTable.body()).contains("no archive policy for 'spots'");

    List<AccessLog.Entry> log = new AccessLog(meta).entries();
    assertThat(log).anySatisfy(e -> {
      assertThat(e.principal()).isEqualTo("auditor");
      assertThat(e.action()).isEqualTo("SEARCH");
      assertThat(e.reason()).isEqualTo("case 42");
      assertThat(e.result()).isEqualTo("2 row(s) in 1 unit(s)");
    });
  }

  @Test
  void a_hold_is_placed_listed_and_released_each_step_audited_and_the_audit_endpoint_shows_an_intact_chain() throws Exception {
    HttpResponse<String> placed = post("/api/archive/holds", COMPLIANCE_TOKEN,
        "{\"table\":\"payments\",\"user\":\"user-b\",\"reason\":\"litigation 7\"}");
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    long id = JSON.readTree(placed.body()).get("hold").asLong();
    assertThat(pgLong("SELECT count(*) FROM parklake.archive_hold WHERE released_at IS NULL AND user_id = 'user-b'")).isEqualTo(1);
    JsonNode holds = JSON.readTree(get("/api/archive/holds", COMPLIANCE_TOKEN).body()).get("holds");
    assertThat(holds).anySatisfy(h -> {
      assertThat(h.get("id").asLong()).isEqualTo(id);
      assertThat(h.get("placedBy").asText()).isEqualTo("auditor");
    });
    assertThat(post("/api/archive/holds", COMPLIANCE_TOKEN, "{\"table\":\"payments\",\"user\":\"user-b\"}").statusCode())
        .as("a hold without a reason").isEqualTo(400);

    assertThat(post("/api/archive/holds/" + id + "/release", COMPLIANCE_TOKEN, "{\"reason\":\"case closed\"}").statusCode())
        .isEqualTo(200);
    assertThat(post("/api/archive/holds/" + id + "/release", COMPLIANCE_TOKEN, "{\"reason\":\"again\"}").statusCode())
        .as("an already released hold").isEqualTo(404);
    assertThat(JSON.readTree(get("/api/archive/holds", COMPLIANCE_TOKEN).body()).get("holds"))
        .noneSatisfy(h -> assertThat(h.get("id").asLong()).isEqualTo(id));

    JsonNode audit = JSON.readTree(get("/api/archive/audit", COMPLIANCE_TOKEN).body());
    assertThat(audit.get("chainIntact").asBoolean()).isTrue();
    List<String> actions = new ArrayList<>();
    audit.get("entries").forEach(e -> actions.add(e.get("action").asText() + " " + e.get("principal").asText() + " "
        + e.get("reason").asText()));
    assertThat(actions).contains("HOLD auditor litigation 7", "RELEASE auditor case closed");
    assertThat(audit.toString()).doesNotContain(COMPLIANCE_TOKEN, OPERATOR_TOKEN, VIEWER_TOKEN);
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String token, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static long pgLong(String sql) throws Exception {
    try (Connection c = meta.open(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static TreeSet<String> pgKeys(String sql) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    try (Connection c = meta.open(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }
}
