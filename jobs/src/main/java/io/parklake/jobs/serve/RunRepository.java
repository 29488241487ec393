package io.parklake.jobs.serve;

import io.parklake.jobs.batch.RunLeases;
import io.parklake.warehouse.db.DatabaseAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What serve reads of the job repository ({@code parklake.batch_*}): runs for the API and the figures
 * for {@code /metrics}. Plain SQL, so it reads runs written by any process, and a status filter is
 * applied in the database.
 */
final class RunRepository {
  private static final String STATUSES = "STARTING|STARTED|STOPPING|STOPPED|FAILED|COMPLETED|ABANDONED|UNKNOWN";
  private final DatabaseAddress meta;

  RunRepository(DatabaseAddress meta) {
    this.meta = meta;
  }

  /** The latest runs (at most {@code limit}), newest first, filtered by job and status when given. */
  List<Map<String, Object>> list(Optional<String> job, Optional<String> status, int limit) throws SQLException {
    status.ifPresent(s -> {
      if (!s.toUpperCase(Locale.ROOT).matches(STATUSES)) {
        throw new IllegalArgumentException("status must be one of " + STATUSES.replace('|', ',') + ", was " + s);
      }
    });
    StringBuilder sql = new StringBuilder(
        "SELECT e.job_execution_id, i.job_name, e.status, e.exit_code, e.create_time, e.start_time, e.end_time, "
            + "left(e.exit_message, 500) FROM parklake.batch_job_execution e "
            + "JOIN parklake.batch_job_instance i ON i.job_instance_id = e.job_instance_id WHERE true");
    List<String> args = new ArrayList<>();
    job.ifPresent(j -> {
      sql.append(" AND i.job_name = ?");
      args.add(j);
    });
    status.ifPresent(s -> {
      sql.append(" AND e.status = ?");
      args.add(s.toUpperCase(Locale.ROOT));
    });
    sql.append(" ORDER BY e.job_execution_id DESC LIMIT ").append(Math.max(1, Math.min(limit, 500)));
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection c = meta.open(); PreparedStatement s = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        s.setString(i + 1, args.get(i));
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("executionId", r.getLong(1));
          m.put("job", r.getString(2));
          m.put("status", r.getString(3));
          m.put("exitCode", r.getString(4));
          m.put("createTime", iso(r.getTimestamp(5)));
          m.put("startTime", iso(r.getTimestamp(6)));
          m.put("endTime", iso(r.getTimestamp(7)));
          m.put("parameters", parameters(c, r.getLong(1)));
          out.add(m);
        }
      }
    }
    return out;
  }

  /** One run with its steps and, when it did not complete, its failure; empty when there is none. */
  Optional<Map<String, Object>> get(long id) throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "SELECT e.job_execution_id, i.job_name, e.status, e.exit_code, e.exit_message, e.create_time, e.start_time, "
                + "e.end_time, e.job_instance_id FROM parklake.batch_job_execution e "
                + "JOIN parklake.batch_job_instance i ON i.job_instance_id = e.job_instance_id WHERE e.job_execution_id = ?")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executionId", r.getLong(1));
        m.put("job", r.getString(2));
        String status = r.getString(3);
        m.put("status", status);
        m.put("exitCode", r.getString(4));
        String message = r.getString(5);
        m.put("createTime", iso(r.getTimestamp(6)));
        m.put("startTime", iso(r.getTimestamp(7)));
        m.put("endTime", iso(r.getTimestamp(8)));
        m.put("jobInstanceId", r.getLong(9));
        m.put("parameters", parameters(c, id));
        List<Map<String, Object>> steps = steps(c, id);
        m.put("steps", steps);
        long rows = steps.stream().filter(st -> String.valueOf(st.get("step")).endsWith(".extract"))
            .mapToLong(st -> ((Number) st.get("written")).longValue()).sum();
        m.put("rowsExtracted", rows);
        m.put("failure", "COMPLETED".equals(status) || "STARTED".equals(status) || "STARTING".equals(status)
            ? null : failure(message, steps));
        return Optional.of(m);
      }
    }
  }

  /** The newest execution of the same job instance as {@code id} that is newer than it. */
  Optional<Long> newerExecutionOfSameInstance(long id) throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "SELECT max(e.job_execution_id) FROM parklake.batch_job_execution e WHERE e.job_instance_id = "
                + "(SELECT job_instance_id FROM parklake.batch_job_execution WHERE job_execution_id = ?) AND e.job_execution_id > ?")) {
      s.setLong(1, id);
      s.setLong(2, id);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        long v = r.getLong(1);
        return r.wasNull() ? Optional.empty() : Optional.of(v);
      }
    }
  }

  /** Asks a running execution to stop at the end of its current step part (Spring Batch's cooperative stop). */
  boolean requestStop(long id) throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "UPDATE parklake.batch_job_execution SET status = 'STOPPING', version = version + 1, last_updated = ? "
                + "WHERE job_execution_id = ? AND status IN ('STARTING', 'STARTED')")) {
      s.setTimestamp(1, Timestamp.valueOf(java.time.LocalDateTime.now()));
      s.setLong(2, id);
      return s.executeUpdate() == 1;
    }
  }

  /** Prometheus text exposition of runs by job and status, last success per job, rows and step durations. */
  String metrics(boolean ready, int runningChildren) throws SQLException {
    StringBuilder out = new StringBuilder();
    out.append("# HELP parklake_up Whether this serve process is ready (scheduler started, metadata database reachable).\n");
    out.append("# TYPE parklake_up gauge\nparklake_up ").append(ready ? 1 : 0).append('\n');
    out.append("# HELP parklake_job_processes Job processes this serve process is running now.\n");
    out.append("# TYPE parklake_job_processes gauge\nparklake_job_processes ").append(runningChildren).append('\n');
    try (Connection c = meta.open()) {
      out.append("# HELP parklake_runs Job executions in the job repository, by job and status.\n");
      out.append("# TYPE parklake_runs gauge\n");
      query(c, "SELECT i.job_name, e.status, count(*) FROM parklake.batch_job_execution e "
          + "JOIN parklake.batch_job_instance i ON i.job_instance_id = e.job_instance_id GROUP BY 1, 2 ORDER BY 1, 2", r ->
          out.append("parklake_runs{job=\"").append(label(r.getString(1))).append("\",status=\"").append(label(r.getString(2)))
              .append("\"} ").append(r.getLong(3)).append('\n'));
      out.append("# HELP parklake_last_success_timestamp_seconds End of the latest COMPLETED execution, by job.\n");
      out.append("# TYPE parklake_last_success_timestamp_seconds gauge\n");
      query(c, "SELECT i.job_name, max(e.end_time) FROM parklake.batch_job_execution e "
          + "JOIN parklake.batch_job_instance i ON i.job_instance_id = e.job_instance_id WHERE e.status = 'COMPLETED' "
          + "GROUP BY 1 ORDER BY 1", r ->
          out.append("parklake_last_success_timestamp_seconds{job=\"").append(label(r.getString(1))).append("\"} ")
              .append(epochSeconds(r.getTimestamp(2))).append('\n'));
      out.append("# HELP parklake_rows_extracted_total Rows written by extract steps, by job.\n");
      out.append("# TYPE parklake_rows_extracted_total counter\n");
      query(c, "SELECT i.job_name, coalesce(sum(s.write_count), 0) FROM parklake.batch_step_execution s "
          + "JOIN parklake.batch_job_execution e ON e.job_execution_id = s.job_execution_id "
          + "JOIN parklake.batch_job_instance i ON i.job_instance_id = e.job_instance_id "
          + "WHERE s.step_name LIKE '%.extract' GROUP BY 1 ORDER BY 1", r ->
          out.append("parklake_rows_extracted_total{job=\"").append(label(r.getString(1))).append("\"} ")
              .append(r.getLong(2)).append('\n'));
      out.append("# HELP parklake_step_duration_seconds Duration of each step in its latest finished execution.\n");
      out.append("# TYPE parklake_step_duration_seconds gauge\n");
      query(c, "SELECT DISTINCT ON (s.step_name) s.step_name, "
          + "extract(epoch FROM (s.end_time - s.start_time)) FROM parklake.batch_step_execution s "
          + "WHERE s.end_time IS NOT NULL ORDER BY s.step_name, s.step_execution_id DESC", r ->
          out.append("parklake_step_duration_seconds{step=\"").append(label(r.getString(1))).append("\"} ")
              .append(r.getDouble(2)).append('\n'));
    }
    return out.toString();
  }

  private interface RowWriter {
    void write(ResultSet r) throws SQLException;
  }

  private static void query(Connection c, String sql, RowWriter w) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
      while (r.next()) {
        w.write(r);
      }
    }
  }

  private static Map<String, Object> parameters(Connection c, long id) throws SQLException {
    Map<String, Object> m = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT parameter_name, parameter_value FROM parklake.batch_job_execution_params WHERE job_execution_id = ? "
            + "AND parameter_name <> 'launch' ORDER BY parameter_name")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          m.put(r.getString(1), r.getString(2));
        }
      }
    }
    return m;
  }

  private static List<Map<String, Object>> steps(Connection c, long id) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT step_name, status, read_count, write_count, start_time, end_time, exit_code, left(exit_message, 2000) "
            + "FROM parklake.batch_step_execution WHERE job_execution_id = ? ORDER BY step_execution_id")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("step", r.getString(1));
          m.put("status", r.getString(2));
          m.put("read", r.getLong(3));
          m.put("written", r.getLong(4));
          Timestamp start = r.getTimestamp(5);
          Timestamp end = r.getTimestamp(6);
          m.put("startTime", iso(start));
          m.put("endTime", iso(end));
          m.put("seconds", start == null || end == null ? null : (end.getTime() - start.getTime()) / 1000.0);
          m.put("exitCode", r.getString(7));
          m.put("message", firstLine(r.getString(8)));
          out.add(m);
        }
      }
    }
    return out;
  }

  private static String failure(String jobMessage, List<Map<String, Object>> steps) {
    List<String> parts = new ArrayList<>();
    for (Map<String, Object> s : steps) {
      if ("FAILED".equals(s.get("status")) && s.get("message") != null && !String.valueOf(s.get("message")).isBlank()) {
        parts.add(String.valueOf(s.get("message")));
      }
    }
    if (parts.isEmpty() && jobMessage != null && !jobMessage.isBlank()) {
      parts.add(firstLine(jobMessage));
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return null;
    }
    String first = s.lines().findFirst().orElse("").strip();
    // Spring Batch stores "java.lang.IllegalStateException: message" followed by the stack trace.
    return first.equals(RunLeases.ABANDONED) ? first
        : first.replaceFirst("^io\\.parklake\\.jobs\\.batch\\.PartialFailure: ", "")
            .replaceFirst("^[a-z][\\w.]*\\.(\\w+(Exception|Error)): ", "$1: ");
  }

  private static String iso(Timestamp t) {
    return t == null ? null : t.toLocalDateTime().atZone(ZoneId.systemDefault()).toOffsetDateTime().toString();
  }

  private static long epochSeconds(Timestamp t) {
    return t == null ? 0 : t.toInstant().getEpochSecond();
  }

  private static String label(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
