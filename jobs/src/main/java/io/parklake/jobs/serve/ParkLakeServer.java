package io.parklake.jobs.serve;

import io.parklake.jobs.batch.BatchContext;
import io.parklake.jobs.batch.JobRunner;
import io.parklake.jobs.batch.RunLeases;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.ServeSettings;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code parklake serve}: Quartz schedules and the HTTP API over one metadata database, running each
 * job as a child process ({@link JobProcesses}). The server itself never starts Spark; it holds the
 * job repository, the Quartz cluster membership and the children. Every 15 s it sweeps abandoned
 * executions, so a run whose process died (on any host) shows as FAILED and can be restarted.
 */
public final class ParkLakeServer implements AutoCloseable, ApiServer.Operations, Schedules.ScheduledRun.Target {
  private static final Logger log = LoggerFactory.getLogger(ParkLakeServer.class);

  private final ParkLakeRuntime rt;
  private final ServeSettings serve;
  private final ConfigurableApplicationContext batch;
  private final List<String> jobs;
  private final JobProcesses processes;
  private final RunRepository runs;
  private final ArchiveTasks archiveTasks;
  private final ScheduledExecutorService sweeper;
  private Schedules schedules;
  private ApiServer api;
  private volatile boolean ready;

  private ParkLakeServer(ParkLakeRuntime rt, Map<String, String> env, Optional<java.nio.file.Path> configFile) {
    this.rt = rt;
    this.serve = rt.settings().serve();
    this.batch = BatchContext.start(rt);
    this.jobs = new JobRunner(batch).jobNames();
    // A child reads the same configuration file as its serve process (then the same environment over it).
    List<String> common = configFile.map(f -> List.of("--config", f.toAbsolutePath().toString())).orElse(List.of());
    Map<String, String> childEnv = childEnvironment(rt, env);
    this.processes = new JobProcesses(rt.meta(), childEnv, common, rt.settings().home().resolve("logs/runs"));
    this.archiveTasks = new ArchiveTasks(childEnv, common, rt.settings().home().resolve("archive-tasks"));
    this.runs = new RunRepository(rt.meta());
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "parklake-sweeper");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens everything and starts the schedules and the API; {@code port} overrides the configured one. */
  public static ParkLakeServer start(ParkLakeSettings settings, Map<String, String> env, Optional<java.nio.file.Path> configFile,
      Optional<Integer> port) throws Exception {
    Schedules.validate(settings.serve());
    ApiServer.checkPortFree(settings.serve(), port.orElse(settings.serve().port()));
    ParkLakeRuntime rt = ParkLakeRuntime.open(settings);
    ParkLakeServer server = null;
    try {
      server = new ParkLakeServer(rt, env, configFile);
      server.api = ApiServer.start(settings.serve(), port.orElse(settings.serve().port()), server);
      server.schedules = Schedules.start(rt.meta(), settings.serve(), server);
      server.sweeper.scheduleWithFixedDelay(() -> RunLeases.sweep(rt.meta()), 15, 15, TimeUnit.SECONDS);
      server.ready = true;
      return server;
    } catch (Exception | Error e) {
      if (server != null) {
        server.close();
      } else {
        rt.close();
      }
      throw e;
    }
  }

  public int port() {
    return api.port();
  }

  public String url() {
    return (serve.keystore().isPresent() ? "https" : "http") + "://" + serve.address() + ":" + port();
  }

  /**
   * The children's environment: this process's, plus the addresses of the embedded PostgreSQL this
   * server started (a child must use it, not start a second server on the same data folder).
   */
  private static Map<String, String> childEnvironment(ParkLakeRuntime rt, Map<String, String> env) {
    Map<String, String> child = new HashMap<>(env);
    if (rt.settings().source().isEmpty()) {
      child.put("PARKLAKE_SOURCE_URL", rt.source().url());
      child.put("PARKLAKE_SOURCE_USER", rt.source().user());
      child.put("PARKLAKE_SOURCE_PASSWORD", rt.source().password());
    }
    child.put(ParkLakeSettings.HOME, rt.settings().home().toString());
    return child;
  }

  @Override
  public boolean ready() {
    try {
      return ready && schedules.started();
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public List<String> jobs() {
    return jobs;
  }

  @Override
  public JobProcesses.Launch trigger(String job, Optional<LocalDate> date, Optional<LocalDate> from, Optional<LocalDate> to) {
    List<String> args = new ArrayList<>(List.of("run", job));
    date.ifPresent(d -> args.addAll(List.of("--date", d.toString())));
    from.ifPresent(d -> args.addAll(List.of("--from", d.toString(), "--to", to.orElseThrow().toString())));
    args.add("--json");
    return processes.launch("api-" + job, args);
  }

  @Override
  public JobProcesses.Launch restart(long executionId) {
    return processes.launch("restart-" + executionId, List.of("restart", String.valueOf(executionId), "--json"));
  }

  @Override
  public Optional<String> stop(long executionId, boolean force) throws Exception {
    Optional<Process> child = processes.child(executionId);
    if (force) {
      if (child.isEmpty()) {
        return runs.requestStop(executionId)
            ? Optional.of("not run by this serve process: asked it to stop at the end of its current step instead")
            : Optional.empty();
      }
      child.get().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      RunLeases.sweep(rt.meta());
      return Optional.of("process " + child.get().pid() + " killed; the run is FAILED (abandoned) and can be restarted");
    }
    return runs.requestStop(executionId)
        ? Optional.of("the run stops at the end of its current step and ends STOPPED; restart resumes it")
        : Optional.empty();
  }

  @Override
  public RunRepository runs() {
    return runs;
  }

  @Override
  public Schedules schedules() {
    return schedules;
  }

  @Override
  public int runningChildren() {
    return processes.liveChildren();
  }

  @Override
  public java.util.Optional<ArchiveApi> archive() {
    return java.util.Optional.of(new ArchiveApi(rt.archiveCatalog(), new io.parklake.pipelines.archive.AccessLog(rt.meta()),
        rt.settings().archive(), java.util.Optional.of(archiveTasks)));
  }

  /** A schedule fired: run its job unless one is running, then skip or wait as configured. */
  @Override
  public void fire(String schedule, String job, Instant scheduledFire) {
    List<String> args = Schedules.runArguments(job, scheduledFire, serve.zone());
    long deadline = System.nanoTime() + serve.overlapWait().toNanos();
    long lastSaid = -1;
    while (true) {
      JobProcesses.Launch launch = processes.launch("schedule-" + schedule, args);
      if (launch instanceof JobProcesses.Started s) {
        log.info("schedule {} (fire time {}) started {} as execution {}", schedule, scheduledFire, String.join(" ", args), s.executionId());
        return;
      }
      if (launch instanceof JobProcesses.Failed f) {
        log.error("schedule {} (fire time {}) could not start {}: {}", schedule, scheduledFire, job, f.reason());
        return;
      }
      JobProcesses.Busy busy = (JobProcesses.Busy) launch;
      if (serve.overlap() == ServeSettings.Overlap.SKIP) {
        log.warn("schedule {} (fire time {}) skipped: execution {} ({}) is running on this lake (schedules.overlap=skip)",
            schedule, scheduledFire, busy.runningExecutionId(), busy.job());
        return;
      }
      if (System.nanoTime() > deadline) {
        log.warn("schedule {} (fire time {}) gave up after waiting {} for execution {} ({}) (schedules.overlap=wait)",
            schedule, scheduledFire, serve.overlapWait(), busy.runningExecutionId(), busy.job());
        return;
      }
      if (lastSaid != busy.runningExecutionId()) {
        log.info("schedule {} (fire time {}) waits: execution {} ({}) is running on this lake (schedules.overlap=wait)", schedule,
            scheduledFire, busy.runningExecutionId(), busy.job());
        lastSaid = busy.runningExecutionId();
      }
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops the API and the scheduler, kills the children (their runs become restartable), closes the runtime. */
  @Override
  public void close() {
    ready = false;
    if (api != null) {
      api.close();
    }
    if (schedules != null) {
      schedules.close();
    }
    sweeper.shutdownNow();
    processes.killAll();
    batch.close();
    rt.close();
  }
}
