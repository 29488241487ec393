package io.parklake.jobs.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.parklake.jobs.config.ServeSettings;
import io.parklake.jobs.config.ServeSettings.Role;
import io.parklake.jobs.config.ServeSettings.Token;
import io.parklake.jobs.config.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * serve's HTTP API, on the JDK's own HTTP server (no servlet container, so nothing competes with
 * the Jetty 11 / Servlet 5 that Spark brings). JSON in and out; errors are RFC 9457
 * {@code application/problem+json}. Everything under {@code /api} needs {@code Authorization: Bearer
 * <token>}; {@code /health} and {@code /metrics} need none. Tokens are compared as salted SHA-256
 * hashes in constant time against every configured token, and are never logged: the access log
 * names the token's configured name.
 */
final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JOB_RUNS = Pattern.compile("/api/jobs/([a-z-]+)/runs");
  private static final Pattern RUN = Pattern.compile("/api/runs/(\\d+)");
  private static final Pattern RUN_ACTION = Pattern.compile("/api/runs/(\\d+)/(restart|stop)");
  private static final Pattern SCHEDULE_ACTION = Pattern.compile("/api/schedules/([a-z0-9_-]+)/(pause|resume)");

  /** What the API does; implemented by {@link ParkLakeServer}. */
  interface Operations {
    boolean ready();

    List<String> jobs();

    /** Starts {@code job} for a date or a range; a {@link JobProcesses.Launch}. */
    JobProcesses.Launch trigger(String job, Optional<LocalDate> date, Optional<LocalDate> from, Optional<LocalDate> to);

    JobProcesses.Launch restart(long executionId) throws Exception;

    /** Asks a run to stop; with force, kills its process. Returns a message, or empty when it is not running. */
    Optional<String> stop(long executionId, boolean force) throws Exception;

    RunRepository runs();

    Schedules schedules();

    int runningChildren();

    /** The archive endpoints (role compliance), or empty when this server offers none. */
    default Optional<ArchiveApi> archive() {
      return Optional.empty();
    }
  }

  private final HttpServer http;
  private final ExecutorService pool;
  private final List<Token> tokens;
  private final Operations ops;

  private ApiServer(HttpServer http, ExecutorService pool, List<Token> tokens, Operations ops) {
    this.http = http;
    this.pool = pool;
    this.tokens = tokens;
    this.ops = ops;
  }

  /** Fails at once, naming the setting, when the address cannot be bound (before anything else starts). */
  static void checkPortFree(ServeSettings settings, int port) {
    if (port == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(settings.address(), port));
    } catch (IOException e) {
      throw portError(settings, port, e);
    }
  }

  private static UserError portError(ServeSettings settings, int port, IOException e) {
    return new UserError("serve.port", "cannot listen on " + settings.address() + ":" + port + " (" + e.getMessage()
        + "): another program uses it; set serve.port / PARKLAKE_SERVE_PORT or --port");
  }

  static ApiServer start(ServeSettings settings, int port, Operations ops) {
    InetSocketAddress address = new InetSocketAddress(settings.address(), port);
    // Before binding: a bad keystore must not leave the port bound by a server nobody will stop.
    SSLContext ssl = settings.keystore().isPresent() ? sslContext(settings) : null;
    HttpServer http;
    try {
      if (ssl != null) {
        HttpsServer https = HttpsServer.create(address, 64);
        https.setHttpsConfigurator(new HttpsConfigurator(ssl));
        http = https;
      } else {
        http = HttpServer.create(address, 64);
      }
    } catch (BindException e) {
      throw portError(settings, port, e);
    } catch (IOException e) {
      throw new UserError("serve.address", "cannot listen on " + settings.address() + ":" + port + ": " + e.getMessage());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "parklake-api");
      t.setDaemon(true);
      return t;
    });
    ApiServer server = new ApiServer(http, pool, settings.tokens(), ops);
    http.createContext("/", server::handle);
    http.setExecutor(pool);
    http.start();
    return server;
  }

  int port() {
    return http.getAddress().getPort();
  }

  private static SSLContext sslContext(ServeSettings settings) {
    char[] password = settings.keystorePassword().orElse("").toCharArray();
    try (InputStream in = Files.newInputStream(settings.keystore().get())) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), null, null);
      return ssl;
    } catch (Exception e) {
      throw new UserError("serve.tls.keystore", "cannot use keystore " + settings.keystore().get() + ": " + e.getMessage());
    }
  }

  private record Caller(String name, Role role) {}

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    String caller = "-";
    int status;
    try {
      if (path.equals("/health")) {
        status = ops.ready() ? send(ex, 200, Map.of("status", "UP")) : send(ex, 503, Map.of("status", "STARTING"));
      } else if (path.equals("/metrics") && method.equals("GET")) {
        status = sendText(ex, 200, "text/plain; version=0.0.4; charset=utf-8", ops.runs().metrics(ops.ready(), ops.runningChildren()));
      } else if (path.startsWith("/api/")) {
        Optional<Caller> who = authenticate(ex);
        if (who.isEmpty()) {
          ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"parklake\"");
          status = problem(ex, 401, "Unauthorized", "this endpoint needs an Authorization: Bearer <token> header with a configured token");
        } else {
          caller = who.get().name();
          status = api(ex, method, path, who.get());
        }
      } else {
        status = problem(ex, 404, "Not Found", "no such endpoint: " + path);
      }
    } catch (IllegalArgumentException e) {
      status = problem(ex, 400, "Bad Request", e.getMessage());
    } catch (Exception e) {
      log.error("{} {} failed", method, path, e);
      status = problem(ex, 500, "Internal Server Error", oneLine(e));
    } finally {
      ex.close();
    }
    if (method.equals("GET") && status < 400) {
      log.debug("api {} {} -> {} (caller {})", method, path, status, caller);
    } else {
      log.info("api {} {} -> {} (caller {})", method, path, status, caller);
    }
  }

  private int api(HttpExchange ex, String method, String path, Caller caller) throws Exception {
    Matcher m;
    if (path.startsWith("/api/archive/")) {
      if (!allowed(caller, Role.COMPLIANCE)) {
        return forbidden(ex, caller, "compliance");
      }
      Optional<ArchiveApi> archive = ops.archive();
      if (archive.isEmpty()) {
        return problem(ex, 404, "Not Found", "this server has no archive endpoints");
      }
      JsonNode body = method.equals("POST") ? body(ex) : JSON.createObjectNode();
      Optional<ArchiveApi.Response> r = archive.get().handle(method, path, query(ex), body, caller.name());
      if (r.isEmpty()) {
        return problem(ex, 404, "Not Found", "no endpoint " + method + " " + path);
      }
      if (r.get().body() instanceof ArchiveApi.FileBody f) {
        return sendFile(ex, f);
      }
      return send(ex, r.get().status(), r.get().body(), r.get().status() >= 400 ? "application/problem+json" : "application/json");
    }
    if (method.equals("GET") && path.equals("/api/jobs")) {
      return send(ex, 200, Map.of("jobs", ops.jobs()));
    }
    if (method.equals("GET") && path.equals("/api/runs")) {
      Map<String, String> q = query(ex);
      int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 50;
      return send(ex, 200, Map.of("runs", ops.runs().list(Optional.ofNullable(q.get("job")), Optional.ofNullable(q.get("status")), limit)));
    }
    if (method.equals("GET") && (m = RUN.matcher(path)).matches()) {
      Optional<Map<String, Object>> run = ops.runs().get(Long.parseLong(m.group(1)));
      return run.isPresent() ? send(ex, 200, run.get()) : problem(ex, 404, "Not Found", "no execution " + m.group(1));
    }
    if (method.equals("GET") && path.equals("/api/schedules")) {
      return send(ex, 200, Map.of("schedules", ops.schedules().list()));
    }
    if (method.equals("POST") && (m = JOB_RUNS.matcher(path)).matches()) {
      if (!allowed(caller, Role.OPERATOR)) {
        return forbidden(ex, caller, "operator");
      }
      String job = m.group(1);
      if (!ops.jobs().contains(job)) {
        return problem(ex, 404, "Not Found", "unknown job '" + job + "' (known: " + String.join(", ", ops.jobs()) + ")");
      }
      JsonNode body = body(ex);
      Optional<LocalDate> date = dateField(body, "date");
      Optional<LocalDate> from = dateField(body, "from");
      Optional<LocalDate> to = dateField(body, "to");
      if (date.isPresent() && (from.isPresent() || to.isPresent())) {
        throw new IllegalArgumentException("give either date or from/to, not both");
      }
      if (from.isPresent() != to.isPresent()) {
        throw new IllegalArgumentException("a range needs both from and to");
      }
      if (from.isPresent() && to.get().isBefore(from.get())) {
        throw new IllegalArgumentException("to " + to.get() + " is before from " + from.get());
      }
      log.info("api: {} triggers {} {}", caller.name(), job, date.map(Object::toString)
          .orElse(from.map(f -> f + ".." + to.get()).orElse("(yesterday)")));
      return launched(ex, job, ops.trigger(job, date, from, to));
    }
    if (method.equals("POST") && (m = RUN_ACTION.matcher(path)).matches()) {
      if (!allowed(caller, Role.OPERATOR)) {
        return forbidden(ex, caller, "operator");
      }
      long id = Long.parseLong(m.group(1));
      Optional<Map<String, Object>> run = ops.runs().get(id);
      if (run.isEmpty()) {
        return problem(ex, 404, "Not Found", "no execution " + id);
      }
      if (m.group(2).equals("restart")) {
        String status = String.valueOf(run.get().get("status"));
        if (!List.of("FAILED", "STOPPED", "UNKNOWN").contains(status)) {
          return problem(ex, 409, "Conflict", "execution " + id + " is " + status + "; only FAILED or STOPPED ones restart");
        }
        return launched(ex, String.valueOf(run.get().get("job")), ops.restart(id));
      }
      boolean force = "true".equals(query(ex).get("force"));
      Optional<String> stopped = ops.stop(id, force);
      return stopped.isPresent()
          ? send(ex, 202, Map.of("executionId", id, "status", force ? "KILLED" : "STOPPING", "detail", stopped.get()))
          : problem(ex, 409, "Conflict", "execution " + id + " is " + run.get().get("status") + ", not running");
    }
    if (method.equals("POST") && (m = SCHEDULE_ACTION.matcher(path)).matches()) {
      if (!allowed(caller, Role.OPERATOR)) {
        return forbidden(ex, caller, "operator");
      }
      boolean pause = m.group(2).equals("pause");
      return ops.schedules().setPaused(m.group(1), pause)
          ? send(ex, 200, Map.of("schedule", m.group(1), "state", pause ? "PAUSED" : "NORMAL"))
          : problem(ex, 404, "Not Found", "no enabled schedule '" + m.group(1) + "'");
    }
    return problem(ex, path.startsWith("/api/runs") || path.startsWith("/api/jobs") || path.startsWith("/api/schedules") ? 405 : 404,
        "Not Found", "no endpoint " + method + " " + path);
  }

  private int launched(HttpExchange ex, String job, JobProcesses.Launch launch) throws IOException {
    if (launch instanceof JobProcesses.Started s) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("executionId", s.executionId());
      m.put("job", job);
      m.put("status", "STARTED");
      m.put("pid", s.pid());
      m.put("log", s.logFile().toString());
      ex.getResponseHeaders().add("Location", "/api/runs/" + s.executionId());
      return send(ex, 202, m);
    }
    if (launch instanceof JobProcesses.Busy b) {
      Map<String, Object> p = problemBody(409, "Conflict",
          "execution " + b.runningExecutionId() + " (" + b.job() + ") is running on this lake; try again when it ends");
      p.put("runningExecutionId", b.runningExecutionId());
      return send(ex, 409, p, "application/problem+json");
    }
    return problem(ex, 500, "Internal Server Error", ((JobProcesses.Failed) launch).reason());
  }

  private Optional<Caller> authenticate(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String presented = header.substring(7).trim();
    Caller found = null;
    for (Token t : tokens) { // every token is checked, so the time taken does not say which one matched
      if (t.matches(presented) && found == null) {
        found = new Caller(t.name(), t.role());
      }
    }
    return Optional.ofNullable(found);
  }

  private static boolean allowed(Caller caller, Role needed) {
    return caller.role() == needed;
  }

  private int forbidden(HttpExchange ex, Caller caller, String needed) throws IOException {
    return problem(ex, 403, "Forbidden", "token '" + caller.name() + "' has role " + caller.role().name().toLowerCase()
        + "; this needs role " + needed);
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    byte[] bytes = ex.getRequestBody().readNBytes(64 * 1024);
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (!node.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
    }
  }

  private static Optional<LocalDate> dateField(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(v.asText()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " must be an ISO date such as 2026-11-20, was '" + v.asText() + "'");
    }
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  static Map<String, Object> problemBody(int status, String title, String detail) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "about:blank");
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    return p;
  }

  private static int problem(HttpExchange ex, int status, String title, String detail) throws IOException {
    return send(ex, status, problemBody(status, title, detail), "application/problem+json");
  }

  private static int send(HttpExchange ex, int status, Object body) throws IOException {
    return send(ex, status, body, "application/json");
  }

  private static int send(HttpExchange ex, int status, Object body, String type) throws IOException {
    return sendText(ex, status, type, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n");
  }

  private static int sendText(HttpExchange ex, int status, String type, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
    return status;
  }

  private static int sendFile(HttpExchange ex, ArchiveApi.FileBody f) throws IOException {
    ex.getResponseHeaders().set("Content-Type", f.contentType());
    ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + f.file().getFileName() + "\"");
    ex.sendResponseHeaders(200, java.nio.file.Files.size(f.file()));
    try (OutputStream out = ex.getResponseBody()) {
      java.nio.file.Files.copy(f.file(), out);
    }
    return 200;
  }

  private static String oneLine(Throwable e) {
    return String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
  }

  @Override
  public void close() {
    http.stop(1);
    pool.shutdownNow();
  }
}
