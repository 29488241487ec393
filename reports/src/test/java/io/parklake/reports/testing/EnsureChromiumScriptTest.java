package io.parklake.reports.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script Maven runs before the Chromium ITs ({@code src/test/chromium/ensure-chromium.sh}), run
 * for real with its overrides: a binary path that does not exist, a dry run, and a hand-written
 * apt-get on {@code PATH} that fails or installs nothing, so the machine's packages are never touched.
 */
class EnsureChromiumScriptTest {
  private static final Path SCRIPT = Path.of("src/test/chromium/ensure-chromium.sh");
  private static final String MISSING = "/nonexistent/parklake-test/chromium";

  record Run(int exit, String out, String err) {}

  @Test
  void given_the_binary_exists_then_it_installs_nothing_and_succeeds() throws Exception {
    Run run = run(Map.of("CHROMIUM_BINARY", "/bin/sh", "CHROMIUM_DRY_RUN", "1"));
    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo("ensure-chromium: /bin/sh found, nothing to install\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void given_the_binary_is_missing_then_a_dry_run_prints_the_apt_get_commands_it_would_run() throws Exception {
    String sudo = isRoot() ? "" : "sudo -n ";
    if (!isRoot()) {
      assumeThat(which("sudo")).as("sudo on this machine").isNotEmpty();
    }
    String aptGet = which("apt-get");
    assumeThat(aptGet).as("apt-get on this machine").isNotEmpty();
    Run run = run(Map.of("CHROMIUM_BINARY", MISSING, "CHROMIUM_DRY_RUN", "1"));
    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo(
        "ensure-chromium: " + MISSING + " is missing: installing Debian's chromium for the headless-browser ITs\n"
            + "ensure-chromium: dry run, would run: " + sudo + "env DEBIAN_FRONTEND=noninteractive " + aptGet
            + " -q -o DPkg::Lock::Timeout=300 update\n"
            + "ensure-chromium: dry run, would run: " + sudo + "env DEBIAN_FRONTEND=noninteractive " + aptGet
            + " -q -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium\n");
  }

  @Test
  void given_no_apt_get_then_it_fails_with_one_line_saying_so(@TempDir Path emptyPath) throws Exception {
    Run run = run(Map.of("CHROMIUM_BINARY", MISSING, "PATH", emptyPath.toString()));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ensure-chromium: cannot provide " + MISSING + " for the headless-browser ITs: "
        + "it is missing and there is no apt-get to install Debian's chromium with (install Chromium there yourself)\n");
  }

  @Test
  void given_apt_get_update_fails_then_it_stops_with_one_line_naming_the_step(@TempDir Path bin) throws Exception {
    assumeThat(isRoot()).as("running as root (a non-root run would go through sudo)").isTrue();
    fakeAptGet(bin, "echo \"fake apt-get $*\"; exit 100");
    Run run = run(Map.of("CHROMIUM_BINARY", MISSING, "PATH", bin + ":/usr/bin:/bin"));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("fake apt-get -q -o DPkg::Lock::Timeout=300 update\n")
        .doesNotContain("install -y");
    assertThat(run.err()).isEqualTo("ensure-chromium: cannot provide " + MISSING + " for the headless-browser ITs: "
        + "'apt-get update' failed (exit 100): are Debian's package repositories reachable?\n");
  }

  @Test
  void given_apt_get_succeeds_but_leaves_no_binary_then_it_fails_rather_than_let_the_its_find_out(@TempDir Path bin)
      throws Exception {
    assumeThat(isRoot()).as("running as root (a non-root run would go through sudo)").isTrue();
    fakeAptGet(bin, "echo \"fake apt-get $*\"");
    Run run = run(Map.of("CHROMIUM_BINARY", MISSING, "PATH", bin + ":/usr/bin:/bin"));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("fake apt-get -q -o DPkg::Lock::Timeout=300 update\n",
        "fake apt-get -q -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium\n");
    assertThat(run.err()).isEqualTo("ensure-chromium: cannot provide " + MISSING + " for the headless-browser ITs: "
        + "still missing after 'apt-get install chromium' succeeded\n");
  }

  private static void fakeAptGet(Path bin, String body) throws IOException {
    Path fake = bin.resolve("apt-get");
    Files.writeString(fake, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static boolean isRoot() throws Exception {
    return run(List.of("id", "-u"), Map.of()).out().strip().equals("0");
  }

  private static String which(String command) throws Exception {
    return run(List.of("/bin/sh", "-c", "command -v " + command), Map.of()).out().strip();
  }

  private static Run run(Map<String, String> env) throws Exception {
    return run(List.of("/bin/bash", SCRIPT.toString()), env);
  }

  private static Run run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("CHROMIUM_BINARY");
    pb.environment().remove("CHROMIUM_DRY_RUN");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished within 60 s", command).isTrue();
    return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
