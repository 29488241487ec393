package io.parklake.jobs.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive work of serve's API that downloads and hashes objects (a retrieval, an integrity audit):
 * each runs as a child {@code parklake archive --principal <token name> retrieve|verify …} process, as
 * jobs do ({@link JobProcesses}), so that Spark, a Glacier restore wait or an OOM stays in the child.
 * A task's folder, {@code <home>/archive-tasks/<id>/}, holds its output ({@code task.log}) and, for a
 * retrieval, the rows and {@code verification.json} in {@code files/}, which the API serves.
 *
 * <p>The task list lives in this serve process: after a restart the folders are still there but no
 * longer listed (the access log, written by the child, is the record of who retrieved what).
 */
final class ArchiveTasks {
  private static final Logger log = LoggerFactory.getLogger(ArchiveTasks.class);
  static final String FILES = "files";
  private static final int OUTPUT_LINES = 40;

  /** One retrieval or verification. */
  record Task(String id, String kind, String principal, Instant startedAt, Process process, Path folder) {
    Path log() {
      return folder.resolve("task.log");
    }

    String state() {
      return process.isAlive() ? "RUNNING" : process.exitValue() == 0 ? "SUCCEEDED" : "FAILED";
    }
  }

  private final Map<String, String> childEnv;
  private final List<String> commonArgs;
  private final Path root;
  private final Map<String, Task> tasks = new ConcurrentHashMap<>();
  private final AtomicInteger sequence = new AtomicInteger();

  ArchiveTasks(Map<String, String> childEnv, List<String> commonArgs, Path root) {
    this.childEnv = Map.copyOf(childEnv);
    this.commonArgs = List.copyOf(commonArgs);
    this.root = root;
  }

  /** Starts {@code parklake archive --principal <principal> <kind> <args>}; a retrieval writes to the task's files folder. */
  Task start(String kind, String principal, List<String> args) throws IOException {
    String id = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + sequence.incrementAndGet();
    Path folder = root.resolve(id);
    Files.createDirectories(folder);
    List<String> all = new ArrayList<>(commonArgs);
    all.addAll(List.of("archive", "--principal", principal, kind));
    all.addAll(args);
    if (kind.equals("retrieve")) {
      all.addAll(List.of("--out", folder.resolve(FILES).toString()));
    }
    Task task = new Task(id, kind, principal, Instant.now(), JobProcesses.startChild(all, childEnv, folder.resolve("task.log")), folder);
    Process p = task.process();
    tasks.put(id, task);
    log.info("archive task {}: {} for {} as process {} (folder {})", id, kind, principal, p.pid(), folder);
    return task;
  }

  Optional<Task> get(String id) {
    return Optional.ofNullable(tasks.get(id));
  }

  List<Task> all() {
    return tasks.values().stream().sorted(java.util.Comparator.comparing(Task::startedAt).reversed()).toList();
  }

  /** A task as the API shows it: state, exit code, what the command printed (its last lines), and a retrieval's files. */
  Map<String, Object> describe(Task t) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", t.id());
    m.put("kind", t.kind());
    m.put("principal", t.principal());
    m.put("state", t.state());
    m.put("startedAt", t.startedAt().toString());
    if (!t.process().isAlive()) {
      m.put("exitCode", t.process().exitValue());
    }
    m.put("output", output(t));
    if (t.kind().equals("retrieve")) {
      List<Map<String, Object>> files = new ArrayList<>();
      for (String name : files(t)) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("bytes", Files.size(t.folder().resolve(FILES).resolve(name)));
        f.put("href", "/api/archive/tasks/" + t.id() + "/files/" + name);
        files.add(f);
      }
      m.put("files", files);
    }
    return m;
  }

  /** The command's own lines (not the log lines of the libraries under it), the last {@value #OUTPUT_LINES}. */
  private static List<String> output(Task t) throws IOException {
    if (!Files.exists(t.log())) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(t.log(), StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank() && !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ .*") && !l.startsWith("\t") && !l.startsWith("WARNING"))
        .toList();
    return lines.subList(Math.max(0, lines.size() - OUTPUT_LINES), lines.size());
  }

  /** A retrieval's files, relative to its files folder, in order. */
  private static List<String> files(Task t) throws IOException {
    Path dir = t.folder().resolve(FILES);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }

  /** One of a finished retrieval's files by its listed name; empty for anything else (no path leaves the folder). */
  Optional<Path> file(Task t, String name) throws IOException {
    if (t.process().isAlive() || !files(t).contains(name)) {
      return Optional.empty();
    }
    return Optional.of(t.folder().resolve(FILES).resolve(name));
  }
}
