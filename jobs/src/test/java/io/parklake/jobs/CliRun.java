package io.parklake.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One in-process run of the {@code parklake} command line, with what it printed and how long it took. */
public record CliRun(int exitCode, String out, String err, double seconds) {

  public static CliRun run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = ParkLakeApplication.run(args, env, o, e);
    }
    CliRun run = new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        (System.nanoTime() - t0) / 1e9);
    System.out.printf("parklake %s -> exit %d in %.1f s%n%s%s", String.join(" ", args), code, run.seconds(), run.out(), run.err());
    return run;
  }
}
