package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad configuration fails fast with exit code 2 and one line naming the setting. The elapsed time of
 * each failure is printed (figures, not assertions).
 */
class BadConfigurationIT {
  @TempDir Path tmp;

  @Test
  void unreachable_source_database_names_PARKLAKE_SOURCE_URL() {
    CliRun run = CliRun.run(Map.of("PARKLAKE_HOME", tmp.toString(),
        "PARKLAKE_SOURCE_URL", "jdbc:postgresql://127.0.0.1:1/operator"), "run", "nightly", "--date", "2026-10-01");
    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLine(run, "parklake: PARKLAKE_SOURCE_URL: cannot connect to jdbc:postgresql://127.0.0.1:1/operator");
  }

  @Test
  void a_source_url_that_is_not_postgresql_names_the_setting() {
    CliRun run = CliRun.run(Map.of("PARKLAKE_HOME", tmp.toString(), "PARKLAKE_SOURCE_URL", "mysql://db/x"),
        "run", "nightly");
    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLine(run, "parklake: PARKLAKE_SOURCE_URL: 'mysql://db/x' is not a PostgreSQL JDBC URL");
  }

  @Test
  void unwritable_home_names_PARKLAKE_HOME() throws Exception {
    // A path below a regular file can never be created, even by root.
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    CliRun run = CliRun.run(Map.of("PARKLAKE_HOME", file.resolve("home").toString()), "demo");
    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLine(run, "parklake: PARKLAKE_HOME: " + file.resolve("home") + " is not a writable folder");
  }

  @Test
  void s3_endpoint_without_keys_names_the_missing_key() {
    CliRun run = CliRun.run(Map.of("PARKLAKE_HOME", tmp.toString(), "PARKLAKE_S3_ENDPOINT", "http://127.0.0.1:1"),
        "run", "nightly");
    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLine(run, "parklake: PARKLAKE_S3_ACCESS_KEY: is not set (needed because PARKLAKE_S3_ENDPOINT is set)");
  }

  @Test
  void an_unknown_job_lists_the_known_ones() {
    CliRun run = CliRun.run(Map.of("PARKLAKE_HOME", tmp.toString()), "run", "weekly", "--date", "2026-10-01");
    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLine(run, "parklake: job: unknown job 'weekly' (known: archive, hourly, nightly, rebuild-marts)");
  }

  @Test
  void a_backfill_with_from_after_to_is_refused_before_anything_starts() {
    CliRun run = CliRun.run(Map.of("PARKLAKE_HOME", tmp.toString()), "run", "nightly", "--from", "2026-10-05",
        "--to", "2026-10-01");
    assertThat(run.exitCode()).isEqualTo(2);
    assertOneLine(run, "parklake: --to: 2026-10-01 is before --from 2026-10-05");
  }

  @Test
  void no_benchmark_that_writes_to_its_source_runs_against_a_configured_one() {
    for (List<String> bench : List.of(List.of("extract", "--bookings", "1000"), List.of("marts"), List.of("backfill"),
        List.of("archive", "--audit-logs", "10"))) {
      List<String> args = new java.util.ArrayList<>(List.of("benchmark"));
      args.addAll(bench);
      CliRun run = CliRun.run(Map.of("PARKLAKE_HOME", tmp.toString(),
          "PARKLAKE_SOURCE_URL", "jdbc:postgresql://127.0.0.1:1/operator"), args.toArray(String[]::new));
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertOneLine(run, "parklake: PARKLAKE_SOURCE_URL: the benchmark seeds and resets its own embedded database");
    }
  }

  private static void assertOneLine(CliRun run, String expectedStart) {
    String lastLine = run.err().strip().lines().reduce((a, b) -> b).orElse("");
    assertThat(lastLine).startsWith(expectedStart);
    assertThat(run.err()).doesNotContain("\tat ");
    System.out.printf("failed as expected in %.2f s: %s%n", run.seconds(), lastLine);
  }
}
