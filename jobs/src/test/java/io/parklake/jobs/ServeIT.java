package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.jobs.batch.RunLeases;
import io.parklake.jobs.config.ServeSettings.Token;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SyntheticSource;
import io.parklake.warehouse.testing.TestPostgres;
import io.parklake.warehouse.testing.TestSpark;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code parklake serve} processes on one metadata database (the test PostgreSQL): a
 * schedule fires once across both, the serve running it is killed with SIGKILL mid-run, the other
 * marks the run abandoned, restarts it through the API and keeps firing; the HTTP trigger answers
 * 202 / 409 / 401 / 403 as documented, and no token value appears in any log.
 */
@Tag("processes")
class ServeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String OPERATOR_TOKEN = "plk_operator_" + Long.toHexString(System.nanoTime());
  private static final String VIEWER_TOKEN = "plk_viewer_" + Long.toHexString(System.nanoTime() * 31);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path home;
  private final List<Serve> serves = new ArrayList<>();

  @AfterEach
  void stopServes() {
    serves.forEach(s -> s.process.destroyForcibly());
  }

  @Test
  void two_serves_fire_each_schedule_once_survive_a_kill_and_serve_an_authenticated_api() throws Exception {
    DatabaseAddress source = TestPostgres.freshDatabase("serve");
    SourceSchema.migrate(source);
    new SyntheticSource(new SeedOptions(400, 9, 3, LocalDate.of(2026, 11, 10))).writeTo(source, n -> {});

    // Two one-shot fire times a minute apart (Quartz cron with a year), read in UTC; t1 leaves the two
    // serves ample time to start, and the HTTP trigger is sent just before it, so that t1 fires while a
    // run holds the lake and has to wait.
    ZonedDateTime t1 = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(100).withNano(0);
    if (t1.getMinute() >= 58) {
      t1 = t1.plusMinutes(3).withMinute(0).withSecond(10);
    }
    ZonedDateTime t2 = t1.plusMinutes(1);
    String cron = String.format("%d %d,%d %d %d %d ? %d", t1.getSecond(), t1.getMinute(), t2.getMinute(), t1.getHour(),
        t1.getDayOfMonth(), t1.getMonthValue(), t1.getYear());
    Map<String, String> env = new HashMap<>(Map.of(
        "PARKLAKE_HOME", home.toString(),
        "PARKLAKE_SOURCE_URL", source.url(), "PARKLAKE_SOURCE_USER", source.user(), "PARKLAKE_SOURCE_PASSWORD", source.password(),
        "PARKLAKE_MART_SCHEMA", "none",
        "PARKLAKE_SCHEDULE_ZONE", "UTC",
        "PARKLAKE_SCHEDULE_HOURLY", cron,
        "PARKLAKE_SCHEDULE_NIGHTLY_ENABLED", "false",
        "PARKLAKE_SCHEDULE_OVERLAP", "wait",
        "PARKLAKE_CLUSTER_CHECKIN", "PT2S"));
    env.put("PARKLAKE_API_TOKENS", "airflow:operator:s4lt:" + Token.hash("s4lt", OPERATOR_TOKEN)
        + ",grafana:viewer:pepper:" + Token.hash("pepper", VIEWER_TOKEN));
    env.put("PARKLAKE_SPARK_MASTER", "local[2]");

    // A port already in use fails at once, naming the setting.
    try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliRun clash = CliRun.run(env, "serve", "--port", String.valueOf(busy.getLocalPort()));
      assertThat(clash.exitCode()).isEqualTo(2);
      assertThat(clash.err()).contains("serve.port").contains(String.valueOf(busy.getLocalPort())).hasLineCount(1);
    }

    Serve a = Serve.start("a", env, home);
    serves.add(a);
    Serve b = Serve.start("b", env, home);
    serves.add(b);
    assertThat(get(a, "/health", null).statusCode()).isEqualTo(200);

    // The HTTP trigger, while the schedule's time has not come: 401 without a token, 403 for a viewer,
    // 202 for an operator; a second trigger on the other serve process gets 409 while it runs.
    String body = "{\"date\":\"2026-11-12\"}";
    HttpResponse<String> none = post(a, "/api/jobs/hourly/runs", null, body);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(post(a, "/api/jobs/hourly/runs", "wrong-" + OPERATOR_TOKEN, body).statusCode()).isEqualTo(401);
    assertThat(post(a, "/api/jobs/hourly/runs", VIEWER_TOKEN, body).statusCode()).isEqualTo(403);
    Instant triggerAt = t1.toInstant().minusSeconds(12);
    assertThat(Instant.now()).as("the serves started in time for the trigger before " + t1).isBefore(triggerAt);
    await("the trigger time " + triggerAt, Duration.ofMinutes(3), () -> Instant.now().isAfter(triggerAt) ? true : null);
    HttpResponse<String> accepted = post(a, "/api/jobs/hourly/runs", OPERATOR_TOKEN, body);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    long triggered = json(accepted).get("executionId").asLong();
    HttpResponse<String> conflict = post(b, "/api/jobs/nightly/runs", OPERATOR_TOKEN, body);
    assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
    assertThat(json(conflict).get("runningExecutionId").asLong()).isEqualTo(triggered);
    JsonNode done = awaitEnd(b, triggered);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("parameters").get("date").asText()).isEqualTo("2026-11-12");
    assertThat(done.get("steps")).extracting(st -> st.get("step").asText())
        .containsExactly("hourly.extract", "hourly.reconcile", "hourly.marts", "hourly.verdict");
    assertThat(done.get("rowsExtracted").asLong()).isPositive();
    assertThat(get(b, "/api/runs/999999", VIEWER_TOKEN).statusCode()).isEqualTo(404);
    // Changes for the scheduled hourly to extract (and to be killed in the middle of).
    execute(source, "UPDATE payments SET updated_at = now() WHERE id IN (SELECT id FROM payments ORDER BY id LIMIT 60)");

    // t1: the hourly fires on exactly one of the two.
    JsonNode first = await("the hourly scheduled at " + t1 + " to start", Duration.ofMinutes(15), () -> {
      for (JsonNode r : runs(b, "?job=hourly")) {
        if (r.get("executionId").asLong() > triggered) {
          return r;
        }
      }
      return null;
    });
    long firstId = first.get("executionId").asLong();
    assertThat(first.get("parameters").get("date").asText()).isEqualTo(t1.toLocalDate().toString());
    long childPid = lease(source, firstId);
    long parentPid = ProcessHandle.of(childPid).flatMap(ProcessHandle::parent).orElseThrow().pid();
    Serve runner = parentPid == a.process.pid() ? a : b;
    Serve survivor = runner == a ? b : a;
    System.out.printf("scheduled hourly execution %d runs in process %d under serve %s%n", firstId, childPid, runner.name);

    // Kill -9 the serve running it while it appends the changed payments to bronze; its child goes with it.
    await("execution " + firstId + " to append to bronze", Duration.ofMinutes(10),
        () -> logsContain(home, "schedule-hourly-", "extract: appending batch") ? true : null);
    runner.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    await("the orphaned job process " + childPid + " to end", Duration.ofSeconds(30),
        () -> ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false) ? null : true);

    JsonNode abandoned = await("the survivor to mark execution " + firstId + " abandoned", Duration.ofSeconds(60), () -> {
      JsonNode run = json(get(survivor, "/api/runs/" + firstId, VIEWER_TOKEN));
      return run.get("status").asText().equals("FAILED") ? run : null;
    });
    assertThat(abandoned.get("failure").asText()).isEqualTo(RunLeases.ABANDONED);

    // The viewer may not restart it; the operator may, and the restart completes the same job instance.
    // Meanwhile the survivor keeps firing: t2's fire, which waited for the lake (overlap=wait), may take
    // it first; the restart then gets 409 naming that run until it ends.
    assertThat(post(survivor, "/api/runs/" + firstId + "/restart", VIEWER_TOKEN, "").statusCode()).isEqualTo(403);
    long restartId = await("the restart of " + firstId + " to be accepted", Duration.ofMinutes(15), () -> {
      HttpResponse<String> r = post(survivor, "/api/runs/" + firstId + "/restart", OPERATOR_TOKEN, "");
      assertThat(r.statusCode()).as(r.body()).isIn(202, 409);
      return r.statusCode() == 202 ? json(r).get("executionId").asLong() : null;
    });
    JsonNode restarted = awaitEnd(survivor, restartId);
    assertThat(restarted.get("status").asText()).as(restarted.toString()).isEqualTo("COMPLETED");
    assertThat(restarted.get("jobInstanceId").asLong()).isEqualTo(abandoned.get("jobInstanceId").asLong());

    // t2 fired on the survivor: one more hourly, not two.
    JsonNode second = await("the hourly scheduled at " + t2, Duration.ofMinutes(15), () -> {
      for (JsonNode r : runs(survivor, "?job=hourly")) {
        long id = r.get("executionId").asLong();
        if (id != triggered && id != firstId && id != restartId) {
          return r;
        }
      }
      return null;
    });
    assertThat(awaitEnd(survivor, second.get("executionId").asLong()).get("status").asText()).isEqualTo("COMPLETED");
    assertThat(second.get("parameters").get("date").asText()).isEqualTo(t2.toLocalDate().toString());
    assertThat(scalar(source, "SELECT count(*) FROM parklake.batch_job_instance WHERE job_name = 'hourly'"))
        .as("the HTTP-triggered run and one job instance per fire time, across two serve processes").isEqualTo(3);
    assertThat(scalar(source, "SELECT count(*) FROM parklake.batch_job_execution")).isEqualTo(4);

    // No duplicates and no gaps after the kill and the restart: silver holds each source row once.
    var spark = TestSpark.session();
    for (String table : List.of("bookings", "payments")) {
      var silver = spark.read().format("delta").load(home.resolve("lake/silver/" + table).toString());
      long sourceRows = scalar(source, "SELECT count(*) FROM " + table);
      assertThat(silver.count()).as(table).isEqualTo(sourceRows);
      assertThat(silver.select("id").distinct().count()).as(table).isEqualTo(sourceRows);
    }
    assertThat(scalar(source, "SELECT count(*) FROM parklake.extraction_batch WHERE status = 'PENDING'")).isZero();

    assertThat(json(get(survivor, "/api/schedules", VIEWER_TOKEN)).get("schedules")).extracting(st -> st.get("name").asText())
        .contains("hourly", "nightly");
    String metrics = get(survivor, "/metrics", null).body();
    assertThat(metrics).contains("parklake_runs{job=\"hourly\",status=\"COMPLETED\"} 3")
        .contains("parklake_runs{job=\"hourly\",status=\"FAILED\"} 1")
        .contains("parklake_last_success_timestamp_seconds{job=\"hourly\"}");

    // Nothing anyone logged holds a token.
    survivor.process.destroy();
    survivor.process.waitFor(30, TimeUnit.SECONDS);
    List<Path> logs = new ArrayList<>(List.of(a.log, b.log));
    try (Stream<Path> files = Files.walk(home.resolve("logs"))) {
      files.filter(Files::isRegularFile).forEach(logs::add);
    }
    assertThat(logs).hasSizeGreaterThan(4);
    for (Path log : logs) {
      String text = Files.readString(log);
      assertThat(text).as(log.toString()).doesNotContain(OPERATOR_TOKEN).doesNotContain(VIEWER_TOKEN);
    }
    // t1 fired while the HTTP-triggered run held the lake: the serve that took it waited, and said so.
    String serveLogs = Files.readString(a.log) + Files.readString(b.log);
    assertThat(serveLogs).contains("schedule hourly (fire time " + t1.toInstant() + ") waits: execution " + triggered
        + " (hourly) is running on this lake (schedules.overlap=wait)");
    assertThat(Files.readString(survivor.log)).contains("caller airflow").doesNotContain("Exception");
  }

  // ---- a serve process ----

  private record Serve(String name, Process process, Path log, int port, List<String> lines) {

    static Serve start(String name, Map<String, String> env, Path home) throws IOException {
      List<String> command = ParkLakeJvm.command(List.of("-Dlog4j2.configurationFile=log4j2.xml"), List.of("serve", "--port", "0"));
      Path log = home.resolve("serve-" + name + ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("PARKLAKE_"));
      pb.environment().putAll(env);
      Process p = pb.start();
      List<String> lines = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            var file = Files.newBufferedWriter(log)) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            lines.add(line);
            file.write(line + "\n");
            file.flush();
            System.out.printf("[serve %s] %s%n", name, line);
            var m = java.util.regex.Pattern.compile("listening on https?://[^:]+:(\\d+)").matcher(line);
            if (m.find()) {
              port.complete(Integer.parseInt(m.group(1)));
            }
          }
        } catch (IOException e) {
          port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("serve " + name + " ended before listening: " + lines));
      }, "serve-" + name);
      reader.setDaemon(true);
      reader.start();
      try {
        return new Serve(name, p, log, port.get(120, TimeUnit.SECONDS), lines);
      } catch (Exception e) {
        p.destroyForcibly();
        throw new IllegalStateException("serve " + name + " did not start: " + lines, e);
      }
    }
  }

  // ---- HTTP and the repository ----

  private static HttpResponse<String> get(Serve s, String path, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(Serve s, String path, String token, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port + path)).timeout(Duration.ofMinutes(4))
        .header("Content-Type", "application/json");
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  private static JsonNode runs(Serve s, String query) throws Exception {
    return json(get(s, "/api/runs" + query, VIEWER_TOKEN)).get("runs");
  }

  private static JsonNode awaitEnd(Serve s, long id) throws Exception {
    return await("execution " + id + " to end", Duration.ofMinutes(15), () -> {
      JsonNode run = json(get(s, "/api/runs/" + id, VIEWER_TOKEN));
      return List.of("STARTING", "STARTED", "STOPPING").contains(run.get("status").asText()) ? null : run;
    });
  }

  private static long lease(DatabaseAddress meta, long executionId) throws Exception {
    return await("a lease for execution " + executionId, Duration.ofSeconds(30), () -> {
      long pid = scalar(meta, "SELECT coalesce(max(os_pid), -1) FROM parklake.run_lease WHERE job_execution_id = " + executionId);
      return pid > 0 ? pid : null;
    });
  }

  private static boolean logsContain(Path home, String prefix, String text) throws IOException {
    try (Stream<Path> files = Files.walk(home.resolve("logs/runs"))) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
        if (Files.readString(f).contains(text)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void execute(DatabaseAddress db, String sql) throws Exception {
    try (Connection c = db.open(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long scalar(DatabaseAddress db, String sql) throws Exception {
    try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private interface Probe<T> {
    T poll() throws Exception;
  }

  /** Polls until the probe gives a value, failing with {@code what} after the deadline (no fixed sleeps in assertions). */
  private static <T> T await(String what, Duration deadline, Probe<T> probe) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      T v = probe.poll();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(500);
    }
  }
}
