package io.parklake.jobs.serve;

import io.parklake.jobs.cli.CliEnvironment;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parklake serve}: the scheduler and the HTTP API, until the process is stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the scheduler and the HTTP API until stopped (SIGTERM or Ctrl-C).",
      "Schedules (schedules.hourly / nightly / archive: a Quartz cron and enabled, read in schedules.zone) fire on one "
          + "serve process of all those sharing the metadata database (Quartz's clustered JDBC store, tables "
          + "parklake.qrtz_*). A schedule missed while no serve was up runs once when one starts, for the date it "
          + "would have had. A schedule that finds a job running skips or waits (schedules.overlap).",
      "Each run is a child 'parklake run' process: its crash never takes serve down, it dies if serve dies, and a "
          + "run whose process died is marked FAILED (abandoned) and can be restarted.",
      "HTTP (serve.address, default 127.0.0.1; JSON, errors as application/problem+json; HTTPS when "
          + "serve.tls.keystore is set):",
      "  GET  /health, /metrics (Prometheus)          no token",
      "  GET  /api/jobs, /api/runs[?job=&status=&limit=], /api/runs/{id}, /api/schedules    any role",
      "  POST /api/jobs/{job}/runs {\"date\":D} | {\"from\":D1,\"to\":D2} -> 202 {executionId}, 409 if a job runs   operator",
      "  POST /api/runs/{id}/restart, /api/runs/{id}/stop[?force=true], /api/schedules/{name}/pause|resume   operator",
      "Every /api call needs 'Authorization: Bearer <token>'; tokens are configured as name:role:salt:sha256 "
          + "(PARKLAKE_API_TOKENS or serve.tokens); make one with './parklake token --name N --role R'."
    })
public class ServeCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Option(names = "--port", description = "TCP port for the HTTP API (default serve.port, 8080; 0: any free port)")
  Integer port;

  public ServeCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    ParkLakeServer server = ParkLakeServer.start(cli.settings(), cli.env(), cli.configFile(), Optional.ofNullable(port));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "parklake-serve-stop"));
    cli.out().println("parklake serve: listening on " + server.url() + " (jobs: " + String.join(", ", server.jobs()) + ")");
    cli.out().flush();
    stopped.await();
    return 0;
  }
}
