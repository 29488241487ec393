package io.parklake.jobs.serve;

import io.parklake.jobs.ParkLakeJvm;
import io.parklake.jobs.batch.RunLeases;
import io.parklake.warehouse.db.DatabaseAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs for {@code serve} as child {@code parklake run …} / {@code parklake restart …} processes
 * of the same JVM binary, flags and classpath. A child's crash, OOM or kill -9 ends only the child:
 * its execution is then abandoned and the next sweep marks it FAILED. A child dies with its parent
 * ({@link ParentWatch}), so a serve process that is killed leaves no orphan job holding the lake.
 */
final class JobProcesses {
  private static final Logger log = LoggerFactory.getLogger(JobProcesses.class);
  static final Duration START_DEADLINE = Duration.ofMinutes(3);

  /** What a launch came to. */
  sealed interface Launch {}

  /** The child runs execution {@code executionId}. */
  record Started(long executionId, long pid, Path logFile) implements Launch {}

  /** Another job runs on the lake. */
  record Busy(long runningExecutionId, String job) implements Launch {}

  /** The child ended before it started an execution. */
  record Failed(String reason) implements Launch {}

  private final DatabaseAddress meta;
  private final Map<String, String> childEnv;
  private final List<String> commonArgs;
  private final Path logDir;
  private final Map<Long, Process> children = new ConcurrentHashMap<>();

  JobProcesses(DatabaseAddress meta, Map<String, String> childEnv, List<String> commonArgs, Path logDir) {
    this.meta = meta;
    this.childEnv = Map.copyOf(childEnv);
    this.commonArgs = List.copyOf(commonArgs);
    this.logDir = logDir;
  }

  /** Starts {@code parklake <args>} unless a job runs on the lake; waits until its execution exists. */
  synchronized Launch launch(String label, List<String> args) {
    RunLeases.sweep(meta);
    Optional<Busy> busy = running();
    if (busy.isPresent()) {
      return busy.get();
    }
    Process p;
    Path logFile;
    try {
      Files.createDirectories(logDir);
      logFile = logDir.resolve(label + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")) + ".log");
      List<String> all = new ArrayList<>(commonArgs);
      all.addAll(args);
      p = startChild(all, childEnv, logFile);
    } catch (IOException e) {
      return new Failed("could not start the job process: " + e.getMessage());
    }
    log.info("started parklake {} as process {} (log {})", String.join(" ", args), p.pid(), logFile);
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    String host = RunLeases.host();
    while (System.nanoTime() < deadline) {
      try {
        Optional<Long> id = RunLeases.executionOf(meta, host, p.pid());
        if (id.isPresent()) {
          children.put(id.get(), p);
          p.onExit().thenRun(() -> children.remove(id.get()));
          return new Started(id.get(), p.pid(), logFile);
        }
      } catch (SQLException e) {
        log.warn("while waiting for process {} to start its execution: {}", p.pid(), e.getMessage());
      }
      if (!p.isAlive()) {
        String tail = tail(logFile);
        Optional<Busy> nowBusy = running();
        if (nowBusy.isPresent() && tail.contains("another ParkLake job is running")) {
          return nowBusy.get();
        }
        return new Failed("the job process exited with code " + p.exitValue() + " before starting: " + tail);
      }
      sleep(200);
    }
    p.destroyForcibly();
    return new Failed("the job process did not start an execution within " + START_DEADLINE.toSeconds() + " s (log " + logFile + ")");
  }

  /**
   * Starts {@code parklake <args>} as a child of this serve process (same JVM binary, flags and
   * classpath), its output appended to {@code logFile}; it ends when this process ends ({@link ParentWatch}).
   */
  static Process startChild(List<String> args, Map<String, String> env, Path logFile) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(ParkLakeJvm.command(List.of(), args)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().putAll(env);
    pb.environment().put(ParentWatch.ENV, String.valueOf(ProcessHandle.current().pid()));
    return pb.start();
  }

  /** The execution running on the lake now, if any (after a sweep, only live ones are STARTED). */
  Optional<Busy> running() {
    try (Connection c = meta.open();
        PreparedStatement s = c.prepareStatement(
            "SELECT e.job_execution_id, i.job_name FROM parklake.batch_job_execution e "
                + "JOIN parklake.batch_job_instance i ON i.job_instance_id = e.job_instance_id "
                + "WHERE e.status IN ('STARTING', 'STARTED', 'STOPPING') AND e.end_time IS NULL "
                + "ORDER BY e.job_execution_id DESC LIMIT 1");
        ResultSet r = s.executeQuery()) {
      return r.next() ? Optional.of(new Busy(r.getLong(1), r.getString(2))) : Optional.empty();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the job repository: " + e.getMessage(), e);
    }
  }

  /** Whether this serve process started the child running {@code executionId} and it is alive. */
  Optional<Process> child(long executionId) {
    return Optional.ofNullable(children.get(executionId)).filter(Process::isAlive);
  }

  /** How many job processes this serve process has running now. */
  int liveChildren() {
    return (int) children.values().stream().filter(Process::isAlive).count();
  }

  /** Kills every child (serve is stopping): their executions become abandoned and restartable. */
  void killAll() {
    children.values().forEach(Process::destroyForcibly);
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return lines.stream().filter(l -> l.startsWith("parklake:")).reduce((a, b) -> b)
          .orElse(lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
