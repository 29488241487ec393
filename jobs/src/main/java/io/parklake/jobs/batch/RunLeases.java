package io.parklake.jobs.batch;

import io.parklake.warehouse.db.DatabaseAddress;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who runs which job execution, and the truth about executions whose process is gone.
 *
 * <p>A job runs while its process holds the one-job-per-lake advisory lock on a connection of its
 * own ({@link JobRunner}); the lease row ({@code parklake.run_lease}) names that connection's backend
 * pid, the host and the OS pid. PostgreSQL drops a session's advisory locks when its connection
 * goes, which it does when the process dies however it dies (kill -9, OOM, a lost host once TCP
 * gives up). So an execution still STARTING, STARTED or STOPPING is abandoned when
 * <ul>
 *   <li>its lease's backend holds no advisory lock any more, or</li>
 *   <li>it has no lease (it died before writing one, or ran before leases existed) and nobody holds
 *       the lock. The executions are listed before the lock is looked at, so one created after the
 *       listing can never be mistaken for abandoned.</li>
 * </ul>
 * {@link #sweep} marks such executions FAILED with "abandoned: the process running it died" (not
 * Spring Batch's ABANDONED, which could not be restarted), so {@code restart <id>} resumes them and
 * {@code status} tells the truth. Every command that opens the metadata database sweeps first.
 */
public final class RunLeases {
  private static final Logger log = LoggerFactory.getLogger(RunLeases.class);
  public static final String ABANDONED = "abandoned: the process running it died";
  static final String LOCK = "parklake.jobs";

  private RunLeases() {}

  /** Records that the process behind {@code lockConnection} runs {@code executionId}. */
  static void take(Connection lockConnection, long executionId) throws SQLException {
    try (PreparedStatement s = lockConnection.prepareStatement(
        "INSERT INTO parklake.run_lease (job_execution_id, host, os_pid, backend_pid) VALUES (?, ?, ?, pg_backend_pid()) "
            + "ON CONFLICT (job_execution_id) DO UPDATE SET host = excluded.host, os_pid = excluded.os_pid, "
            + "backend_pid = excluded.backend_pid, started_at = now()")) {
      s.setLong(1, executionId);
      s.setString(2, host());
      s.setLong(3, ProcessHandle.current().pid());
      s.executeUpdate();
    }
  }

  /** Forgets the lease of an execution that ended. */
  static void release(Connection lockConnection, long executionId) throws SQLException {
    try (PreparedStatement s = lockConnection.prepareStatement("DELETE FROM parklake.run_lease WHERE job_execution_id = ?")) {
      s.setLong(1, executionId);
      s.executeUpdate();
    }
  }

  /** The execution a process on {@code host} with OS pid {@code osPid} is running, if any. */
  public static java.util.Optional<Long> executionOf(DatabaseAddress meta, String host, long osPid) throws SQLException {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "SELECT job_execution_id FROM parklake.run_lease WHERE host = ? AND os_pid = ? ORDER BY started_at DESC LIMIT 1")) {
      s.setString(1, host);
      s.setLong(2, osPid);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? java.util.Optional.of(r.getLong(1)) : java.util.Optional.empty();
      }
    }
  }

  /** Marks every execution whose process is gone FAILED (abandoned); returns their ids. */
  public static List<Long> sweep(DatabaseAddress meta) {
    List<Long> marked = new ArrayList<>();
    try (Connection c = meta.open()) {
      List<long[]> running = new ArrayList<>(); // {execution id, backend pid or -1}
      try (PreparedStatement s = c.prepareStatement(
          "SELECT e.job_execution_id, l.backend_pid FROM parklake.batch_job_execution e "
              + "LEFT JOIN parklake.run_lease l ON l.job_execution_id = e.job_execution_id "
              + "WHERE e.status IN ('STARTING', 'STARTED', 'STOPPING') AND e.end_time IS NULL");
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          int pid = r.getInt(2);
          running.add(new long[] {r.getLong(1), r.wasNull() ? -1 : pid});
        }
      }
      if (running.isEmpty()) {
        return marked;
      }
      boolean lockHeld = lockHeld(c);
      for (long[] e : running) {
        boolean alive = e[1] < 0 ? lockHeld : holdsAdvisoryLock(c, (int) e[1]);
        if (!alive && markAbandoned(c, e[0])) {
          marked.add(e[0]);
          log.warn("execution {} was left running by a process that is gone: marked FAILED ({}); ./parklake restart {} resumes it",
              e[0], ABANDONED, e[0]);
        }
      }
    } catch (SQLException e) {
      log.warn("could not check for abandoned executions: {}", e.getMessage());
    }
    return marked;
  }

  /**
   * Deletes executions that ended more than {@code maxAge} ago from the job repository (with their
   * steps, contexts and parameters, and job instances left with no execution). Returns how many.
   */
  public static int purgeHistory(DatabaseAddress meta, Duration maxAge) {
    LocalDateTime cutoff = LocalDateTime.now().minus(maxAge);
    String old = "SELECT job_execution_id FROM parklake.batch_job_execution WHERE end_time IS NOT NULL AND end_time < ?";
    String[] deletes = {
      "DELETE FROM parklake.batch_step_execution_context WHERE step_execution_id IN "
          + "(SELECT step_execution_id FROM parklake.batch_step_execution WHERE job_execution_id IN (" + old + "))",
      "DELETE FROM parklake.batch_step_execution WHERE job_execution_id IN (" + old + ")",
      "DELETE FROM parklake.batch_job_execution_context WHERE job_execution_id IN (" + old + ")",
      "DELETE FROM parklake.batch_job_execution_params WHERE job_execution_id IN (" + old + ")",
      "DELETE FROM parklake.run_lease WHERE job_execution_id IN (" + old + ")",
      "DELETE FROM parklake.batch_job_execution WHERE job_execution_id IN (" + old + ")",
    };
    try (Connection c = meta.open()) {
      // Every command starts with this: ask once whether anything is old before running the deletes.
      try (PreparedStatement any = c.prepareStatement("SELECT EXISTS (" + old + ")")) {
        any.setTimestamp(1, Timestamp.valueOf(cutoff));
        try (ResultSet r = any.executeQuery()) {
          r.next();
          if (!r.getBoolean(1)) {
            return 0;
          }
        }
      }
      c.setAutoCommit(false);
      int executions = 0;
      for (int i = 0; i < deletes.length; i++) {
        try (PreparedStatement s = c.prepareStatement(deletes[i])) {
          s.setTimestamp(1, Timestamp.valueOf(cutoff));
          int n = s.executeUpdate();
          if (i == deletes.length - 1) {
            executions = n;
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM parklake.batch_job_instance i WHERE NOT EXISTS "
          + "(SELECT 1 FROM parklake.batch_job_execution e WHERE e.job_instance_id = i.job_instance_id)")) {
        s.executeUpdate();
      }
      c.commit();
      if (executions > 0) {
        log.info("purged {} job executions that ended before {} (history kept: {})", executions, cutoff, maxAge);
      }
      return executions;
    } catch (SQLException e) {
      log.warn("could not purge old job history: {}", e.getMessage());
      return 0;
    }
  }

  private static boolean markAbandoned(Connection c, long executionId) throws SQLException {
    Timestamp now = Timestamp.valueOf(LocalDateTime.now());
    int jobRows = 0;
    // The execution, then its steps still shown running: the same update on both tables.
    for (String table : List.of("batch_job_execution", "batch_step_execution")) {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE parklake." + table + " SET status = 'FAILED', exit_code = 'FAILED', exit_message = ?, "
              + "end_time = ?, last_updated = ?, version = version + 1 "
              + "WHERE job_execution_id = ? AND status IN ('STARTING', 'STARTED', 'STOPPING') AND end_time IS NULL")) {
        s.setString(1, ABANDONED);
        s.setTimestamp(2, now);
        s.setTimestamp(3, now);
        s.setLong(4, executionId);
        int n = s.executeUpdate();
        if (table.equals("batch_job_execution")) {
          jobRows = n;
        }
      }
    }
    release(c, executionId);
    return jobRows > 0;
  }

  /** Whether any session of this database holds the one-job-per-lake lock. */
  static boolean lockHeld(Connection c) throws SQLException {
    // pg_try_advisory_lock(bigint k) shows in pg_locks as classid = k's high 32 bits, objid = its low 32, objsubid 1.
    try (PreparedStatement s = c.prepareStatement(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
            + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            + "AND classid::bigint = ((hashtext(?)::bigint >> 32) & 4294967295) AND objid::bigint = (hashtext(?)::bigint & 4294967295))")) {
      s.setString(1, LOCK);
      s.setString(2, LOCK);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  private static boolean holdsAdvisoryLock(Connection c, int backendPid) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = ?)")) {
      s.setInt(1, backendPid);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  /** This host's name as leases record it. */
  public static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
