package io.parklake.jobs.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.parklake.jobs.config.ArchiveSettings;
import io.parklake.jobs.config.UserError;
import io.parklake.pipelines.archive.AccessLog;
import io.parklake.pipelines.archive.ArchiveCatalog;
import io.parklake.pipelines.archive.ArchiveUnit;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The archive endpoints of serve's API, for tokens of role {@code compliance}: what
 * {@code ./parklake archive list|search|hold|release|holds|audit} do, from the catalogue in the
 * metadata database (no archive object is opened), answering JSON. Every search, hold and release is
 * appended to the access log under the token's configured name, with the reason the request gives
 * (a search without one is refused: compliance searches are accounted for). Retrieval and the
 * integrity audit download and hash objects with Spark: they run as tasks, child
 * {@code parklake archive retrieve|verify} processes ({@link ArchiveTasks}).
 * <ul>
 *   <li>{@code GET /api/archive/units[?table=&from=&to=]}
 *   <li>{@code GET /api/archive/search?table=T&(user|booking|plate|key)=V&reason=R[&from=&to=]}
 *   <li>{@code GET /api/archive/holds}; {@code POST /api/archive/holds} {@code {table, user|key, reason}};
 *       {@code POST /api/archive/holds/{id}/release} {@code {reason}}
 *   <li>{@code GET /api/archive/audit[?last=N]}: the latest entries and whether the hash chain is intact
 *   <li>{@code POST /api/archive/retrievals} {@code {unit | table, user|booking|plate|key[, from, to]], reason[, format]}}
 *       and {@code POST /api/archive/verifications} {@code {[table,] reason}}: 202 with the task;
 *       {@code GET /api/archive/tasks[/{id}]}: state, exit code, output, a retrieval's files;
 *       {@code GET /api/archive/tasks/{id}/files/{name}}: one of those files
 * </ul>
 */
final class ArchiveApi {
  private static final Pattern RELEASE = Pattern.compile("/api/archive/holds/(\\d+)/release");
  private static final Pattern TASK = Pattern.compile("/api/archive/tasks/([0-9-]+)(?:/files/(.+))?");
  private static final List<String> SELECTORS = List.of("user", "booking", "plate", "key");

  /** A response: status and JSON body (a problem when status is 400 or more). */
  record Response(int status, Object body) {}

  /** A file to send as it is (a retrieval's rows), instead of a JSON body. */
  record FileBody(java.nio.file.Path file, String contentType) {}

  private final ArchiveCatalog catalog;
  private final AccessLog accessLog;
  private final ArchiveSettings settings;
  private final Optional<ArchiveTasks> tasks;

  ArchiveApi(ArchiveCatalog catalog, AccessLog accessLog, ArchiveSettings settings) {
    this(catalog, accessLog, settings, Optional.empty());
  }

  ArchiveApi(ArchiveCatalog catalog, AccessLog accessLog, ArchiveSettings settings, Optional<ArchiveTasks> tasks) {
    this.catalog = catalog;
    this.accessLog = accessLog;
    this.settings = settings;
    this.tasks = tasks;
  }

  /** The response to {@code method path}, or empty when no archive endpoint has that path. */
  Optional<Response> handle(String method, String path, Map<String, String> query, JsonNode body, String principal)
      throws Exception {
    try {
      if (method.equals("GET") && path.equals("/api/archive/units")) {
        return Optional.of(new Response(200, Map.of("units", units(query))));
      }
      if (method.equals("GET") && path.equals("/api/archive/search")) {
        return Optional.of(search(query, principal));
      }
      if (method.equals("GET") && path.equals("/api/archive/holds")) {
        List<Map<String, Object>> holds = new ArrayList<>();
        for (ArchiveCatalog.Hold h : catalog.activeHolds()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", h.id());
          m.put("table", h.table());
          m.put("user", h.userId());
          m.put("key", h.key());
          m.put("reason", h.reason());
          m.put("placedBy", h.placedBy());
          m.put("placedAt", h.placedAt().toString());
          holds.add(m);
        }
        return Optional.of(new Response(200, Map.of("holds", holds)));
      }
      if (method.equals("POST") && path.equals("/api/archive/holds")) {
        return Optional.of(hold(body, principal));
      }
      Matcher m = RELEASE.matcher(path);
      if (method.equals("POST") && m.matches()) {
        long id = Long.parseLong(m.group(1));
        String reason = required(text(body, "reason"), "reason");
        if (!catalog.releaseHold(id, reason, principal)) {
          return Optional.of(problem(404, "Not Found", "no active hold " + id));
        }
        accessLog.append(principal, "RELEASE", null, "hold " + id, reason, "released", "");
        return Optional.of(new Response(200, Map.of("hold", id, "state", "RELEASED")));
      }
      if (path.equals("/api/archive/retrievals") || path.equals("/api/archive/verifications") || path.startsWith("/api/archive/tasks")) {
        return tasks(method, path, body, principal);
      }
      if (method.equals("GET") && path.equals("/api/archive/audit")) {
        int last = query.containsKey("last") ? Integer.parseInt(query.get("last")) : 50;
        List<AccessLog.Entry> entries = accessLog.entries();
        List<Map<String, Object>> out = new ArrayList<>();
        for (AccessLog.Entry e : entries.subList(Math.max(0, entries.size() - last), entries.size())) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("seq", e.seq());
          row.put("at", e.at().toString());
          row.put("principal", e.principal());
          row.put("action", e.action());
          row.put("table", e.table());
          row.put("criteria", e.criteria());
          row.put("reason", e.reason());
          row.put("result", e.result());
          out.add(row);
        }
        List<String> problems = AccessLog.verify(entries);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("entries", out);
        r.put("total", entries.size());
        r.put("chainIntact", problems.isEmpty());
        r.put("problems", problems);
        return Optional.of(new Response(200, r));
      }
    } catch (UserError e) {
      return Optional.of(problem(400, "Bad Request", e.getMessage()));
    }
    return Optional.empty();
  }

  private List<Map<String, Object>> units(Map<String, String> query) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ArchiveUnit u : catalog.units(table(query.get("table")), month(query, "from"), month(query, "to"))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("unit", u.unitId());
      m.put("table", u.table());
      m.put("status", u.status().name());
      m.put("rows", u.rows());
      m.put("versions", u.versions());
      Map<String, String> money = new LinkedHashMap<>();
      u.money().forEach((k, v) -> money.put(k, v.toPlainString()));
      m.put("money", money);
      m.put("storageClass", u.storageClass());
      m.put("manifestSha256", u.manifestSha256());
      out.add(m);
    }
    return out;
  }

  private Response search(Map<String, String> query, String principal) throws Exception {
    String table = required(table(query.get("table")), "table");
    String selector = oneSelector(SELECTORS.stream().filter(query::containsKey).toList());
    String column = switch (selector) {
      case "user" -> "user_id";
      case "booking" -> "booking_id";
      case "plate" -> "plate_number";
      default -> "row_key";
    };
    String value = query.get(selector);
    String reason = required(query.get("reason"), "reason");
    List<ArchiveCatalog.Hit> hits = catalog.search(table, column, value, month(query, "from"), month(query, "to"));
    List<Map<String, Object>> rows = new ArrayList<>();
    Set<String> units = new LinkedHashSet<>();
    for (ArchiveCatalog.Hit h : hits) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("key", h.row().key());
      r.put("businessDate", String.valueOf(h.row().businessDate()));
      r.put("money", h.row().money() == null ? null : h.row().money().toPlainString());
      r.put("user", h.row().userId());
      r.put("unit", h.unitId());
      r.put("status", h.status().name());
      r.put("sourcePurged", h.sourcePurged());
      rows.add(r);
      units.add(h.unitId());
    }
    String criteria = "--" + selector + " " + value + (query.containsKey("from") ? " --from " + query.get("from") : "")
        + (query.containsKey("to") ? " --to " + query.get("to") : "");
    accessLog.append(principal, "SEARCH", table, criteria, reason, hits.size() + " row(s) in " + units.size() + " unit(s)",
        String.join(",", units));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", table);
    out.put("rows", rows);
    out.put("units", List.copyOf(units));
    return new Response(200, out);
  }

  private Response hold(JsonNode body, String principal) throws Exception {
    String table = required(table(text(body, "table")), "table");
    String user = text(body, "user");
    String key = text(body, "key");
    if ((user == null) == (key == null)) {
      throw new IllegalArgumentException("give exactly one of user or key");
    }
    String reason = required(text(body, "reason"), "reason");
    long id = catalog.placeHold(table, user, key, reason, principal);
    String criteria = user != null ? "--user " + user : "--key " + key;
    accessLog.append(principal, "HOLD", table, criteria, reason, "hold " + id + " placed", "");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("hold", id);
    out.put("table", table);
    out.put(user != null ? "user" : "key", user != null ? user : key);
    out.put("state", "ACTIVE");
    return new Response(201, out);
  }

  /**
   * Retrievals and integrity audits: started as tasks (202 with the task), then polled, and a
   * retrieval's files downloaded once it has SUCCEEDED. What is asked is checked here, before any
   * process starts; the child writes the access log entry (retrieved or refused) under the caller.
   */
  private Optional<Response> tasks(String method, String path, JsonNode body, String principal) throws Exception {
    if (tasks.isEmpty()) {
      return Optional.of(problem(404, "Not Found", "this server runs no archive tasks"));
    }
    ArchiveTasks t = tasks.get();
    if (method.equals("POST") && path.equals("/api/archive/retrievals")) {
      return Optional.of(started(t, t.start("retrieve", principal, retrieveArgs(body))));
    }
    if (method.equals("POST") && path.equals("/api/archive/verifications")) {
      List<String> args = new ArrayList<>();
      String table = table(text(body, "table"));
      if (table != null) {
        args.addAll(List.of("--table", table));
      }
      args.addAll(List.of("--reason", required(text(body, "reason"), "reason")));
      return Optional.of(started(t, t.start("verify", principal, args)));
    }
    if (method.equals("GET") && path.equals("/api/archive/tasks")) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (ArchiveTasks.Task task : t.all()) {
        out.add(t.describe(task));
      }
      return Optional.of(new Response(200, Map.of("tasks", out)));
    }
    Matcher m = TASK.matcher(path);
    if (method.equals("GET") && m.matches()) {
      Optional<ArchiveTasks.Task> task = t.get(m.group(1));
      if (task.isEmpty()) {
        return Optional.of(problem(404, "Not Found", "no archive task " + m.group(1) + " on this server"));
      }
      if (m.group(2) == null) {
        return Optional.of(new Response(200, t.describe(task.get())));
      }
      Optional<java.nio.file.Path> file = t.file(task.get(), m.group(2));
      if (file.isEmpty()) {
        return Optional.of(problem(404, "Not Found", "task " + m.group(1) + " has no file " + m.group(2)
            + (task.get().process().isAlive() ? " (it is still running)" : "")));
      }
      String name = file.get().getFileName().toString();
      String type = name.endsWith(".csv") ? "text/csv; charset=utf-8" : name.endsWith(".json") ? "application/json"
          : "application/octet-stream";
      return Optional.of(new Response(200, new FileBody(file.get(), type)));
    }
    return Optional.empty();
  }

  /** The command line of a retrieval: a unit, or a table with one selector (and months), a reason, a format. */
  private List<String> retrieveArgs(JsonNode body) throws Exception {
    List<String> args = new ArrayList<>();
    String unit = text(body, "unit");
    List<String> given = SELECTORS.stream().filter(f -> text(body, f) != null).toList();
    if (unit != null) {
      if (!given.isEmpty() || text(body, "table") != null) {
        throw new IllegalArgumentException("give either unit, or table with one of " + String.join(", ", SELECTORS) + ", not both");
      }
      Optional<ArchiveUnit> u = catalog.unit(unit);
      if (u.isEmpty()) {
        throw new IllegalArgumentException("no archive unit " + unit + " (GET /api/archive/units lists them)");
      }
      args.add(unit);
    } else {
      String table = required(table(text(body, "table")), "table (or unit)");
      String selector = oneSelector(given);
      args.addAll(List.of("--table", table, "--" + selector, text(body, selector)));
      for (String field : List.of("from", "to")) {
        if (month(text(body, field), field) != null) {
          args.addAll(List.of("--" + field, text(body, field)));
        }
      }
    }
    String format = Optional.ofNullable(text(body, "format")).orElse("csv");
    if (!format.equals("csv") && !format.equals("parquet")) {
      throw new IllegalArgumentException("format must be csv or parquet, was '" + format + "'");
    }
    args.addAll(List.of("--reason", required(text(body, "reason"), "reason"), "--format", format));
    return args;
  }

  private static Response started(ArchiveTasks tasks, ArchiveTasks.Task task) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>(tasks.describe(task));
    out.put("href", "/api/archive/tasks/" + task.id());
    return new Response(202, out);
  }

  private String table(String table) {
    return settings.tableOrNull(table);
  }

  private static YearMonth month(Map<String, String> query, String field) {
    return month(query.get(field), field);
  }

  private static YearMonth month(String text, String field) {
    return ArchiveSettings.month(text, t -> new IllegalArgumentException(field + " must be a month such as 2024-03, was '" + t + "'"));
  }

  /** The one selector a search or retrieval gives; fails naming what was given. */
  private static String oneSelector(List<String> given) {
    if (given.size() != 1) {
      throw new IllegalArgumentException("give exactly one of " + String.join(", ", SELECTORS) + " (given: "
          + (given.isEmpty() ? "none" : String.join(", ", given)) + ")");
    }
    return given.get(0);
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  private static Response problem(int status, String title, String detail) {
    return new Response(status, ApiServer.problemBody(status, title, detail));
  }
}
