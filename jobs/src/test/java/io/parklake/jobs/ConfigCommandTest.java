package io.parklake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.jobs.config.SettingDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parklake config} and {@code --config}, run in-process: no database, S3 or Spark is started. */
class ConfigCommandTest {
  private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir Path tmp;

  private Path file() throws Exception {
    return Files.writeString(tmp.resolve("prod.yml"), """
        source:
          url: jdbc:postgresql://db:5432/ops
          user: reader
          password: file-password-1
        s3:
          endpoint: http://minio:9000
          access-key: AKIDEXAMPLE
          secret-key: file-secret-key-2
        serve:
          tokens:
            - {name: ci, role: operator, salt: salt-3, sha256: %s}
          tls:
            keystore-password: keystore-pass-4
        """.formatted(HASH));
  }

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("PARKLAKE_HOME", tmp.resolve("home").toString()));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void config_prints_each_value_and_its_origin_with_secrets_masked() throws Exception {
    Path f = file();
    CliRun run = CliRun.run(env("PARKLAKE_SOURCE_USER", "env-user", "PARKLAKE_META_PASSWORD", "env-password-5"),
        "config", "--config", f.toString());

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).startsWith("configuration file: " + f + "\n");
    assertThat(run.out()).containsPattern("(?m)^source\\.url +jdbc:postgresql://db:5432/ops +file " + f + "$");
    assertThat(run.out()).containsPattern("(?m)^source\\.user +env-user +env PARKLAKE_SOURCE_USER$");
    assertThat(run.out()).containsPattern("(?m)^source\\.password +\\*\\*\\*\\* +file " + f + "$");
    assertThat(run.out()).containsPattern("(?m)^meta\\.password +\\*\\*\\*\\* +env PARKLAKE_META_PASSWORD$");
    assertThat(run.out()).containsPattern("(?m)^s3\\.secret-key +\\*\\*\\*\\* +file ");
    assertThat(run.out()).containsPattern("(?m)^serve\\.tokens +ci:operator:\\*\\*\\*\\* +file ");
    assertThat(run.out()).containsPattern("(?m)^serve\\.tls\\.keystore-password +\\*\\*\\*\\* +file ");
    assertThat(run.out()).containsPattern("(?m)^reports\\.bucket +parklake-reports +default$");
    assertThat(run.out()).containsPattern("(?m)^mart\\.url +\\(unset\\) +default$");
    assertThat(run.out() + run.err()).doesNotContain("file-password-1", "file-secret-key-2", "salt-3", HASH,
        "keystore-pass-4", "env-password-5");
  }

  @Test
  void config_json_masks_secrets_too() throws Exception {
    Path f = file();
    CliRun run = CliRun.run(env("PARKLAKE_REPORTS_BUCKET", "env-bucket"), "--config", f.toString(), "config", "--json");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).doesNotContain("file-password-1", "file-secret-key-2", "salt-3", HASH, "keystore-pass-4");
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("file").asText()).isEqualTo(f.toString());
    Map<String, JsonNode> byKey = new HashMap<>();
    doc.get("settings").forEach(s -> byKey.put(s.get("key").asText(), s));
    assertThat(byKey.get("reports.bucket").get("value").asText()).isEqualTo("env-bucket");
    assertThat(byKey.get("reports.bucket").get("source").asText()).isEqualTo("env PARKLAKE_REPORTS_BUCKET");
    assertThat(byKey.get("reports.bucket").get("env").asText()).isEqualTo("PARKLAKE_REPORTS_BUCKET");
    assertThat(byKey.get("source.password").get("value").asText()).isEqualTo("****");
    assertThat(byKey.get("source.password").get("secret").asBoolean()).isTrue();
    assertThat(byKey.get("mart.url").get("value").isNull()).isTrue();
    assertThat(byKey.get("spark.master").get("source").asText()).isEqualTo("default");
  }

  @Test
  void the_file_in_the_home_is_used_when_no_config_is_given() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    Path f = Files.writeString(tmp.resolve("home").resolve("application.yml"), "spark:\n  master: local[2]\n");
    CliRun run = CliRun.run(env(), "config");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).startsWith("configuration file: " + f + "\n");
    assertThat(run.out()).containsPattern("(?m)^spark\\.master +local\\[2\\] +file " + f + "$");
  }

  @Test
  void a_missing_config_file_fails_any_command_naming_it() {
    Path missing = tmp.resolve("missing.yml");
    for (String[] args : new String[][] {{"--config", missing.toString(), "jobs"}, {"jobs", "--config", missing.toString()}}) {
      CliRun run = CliRun.run(env(), args);
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo("parklake: --config: " + missing + " does not exist");
    }
  }

  @Test
  void a_bad_file_fails_config_with_one_line_naming_key_file_and_line() throws Exception {
    Path f = Files.writeString(tmp.resolve("bad.yml"), "schedules:\n  nightly:\n    cron: every night\n");
    CliRun run = CliRun.run(env(), "config", "--config", f.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).startsWith("parklake: schedules.nightly.cron (" + f + ":3): 'every night' is not a"
        + " Quartz cron expression").doesNotContain("\n");
  }

  @Test
  void a_bad_secret_in_the_environment_fails_without_echoing_it() {
    CliRun run = CliRun.run(env("PARKLAKE_API_TOKENS", "ci:operator:pepper-6"), "config");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("parklake: PARKLAKE_API_TOKENS: token 1: a token is name:role:salt:sha256hex"
        + " (make one with ./parklake token --name N --role R)");
    assertThat(run.err()).doesNotContain("pepper-6");
  }

  @Test
  void config_markdown_prints_the_settings_table() {
    CliRun run = CliRun.run(env(), "config", "--markdown");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).isEqualTo(SettingDocs.markdownTable());
  }

  @Test
  void help_lists_every_setting_from_the_registry() {
    CliRun run = CliRun.run(env(), "--help");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains(String.join("\n", SettingDocs.helpLines(110)).replace("\n", System.lineSeparator()));
    assertThat(run.out()).contains("--config=F");
  }
}
