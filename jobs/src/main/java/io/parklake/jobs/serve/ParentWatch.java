package io.parklake.jobs.serve;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a job process started by {@code serve} end when its serve process ends, however that ends
 * (kill -9 included): a job must not go on holding the lake for a scheduler that is gone. The
 * execution it leaves is abandoned, and the next command or the surviving serve marks it FAILED.
 */
public final class ParentWatch {
  private static final Logger log = LoggerFactory.getLogger(ParentWatch.class);
  /** Set by serve in its children's environment: the serve process's pid. */
  public static final String ENV = "PARKLAKE_PARENT_PID";

  private ParentWatch() {}

  /** When {@link #ENV} names a process, halts this JVM as soon as that process has exited. */
  public static void startIfAsked(Map<String, String> env) {
    String pid = env.get(ENV);
    if (pid == null || pid.isBlank()) {
      return;
    }
    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresentOrElse(
        parent -> parent.onExit().thenRun(() -> {
          log.error("the serve process {} that started this job is gone: stopping (the run is abandoned and restartable)", pid);
          Runtime.getRuntime().halt(143);
        }),
        () -> Runtime.getRuntime().halt(143));
  }
}
