package io.parklake.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.jobs.config.Configuration.Default;
import io.parklake.jobs.config.Configuration.FromEnv;
import io.parklake.jobs.config.Configuration.FromFile;
import io.parklake.jobs.config.ServeSettings.Overlap;
import io.parklake.jobs.config.ServeSettings.Role;
import io.parklake.jobs.config.ServeSettings.Token;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {
  private static final String HASH = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @TempDir Path tmp;

  private Path yaml(String text) throws IOException {
    return Files.writeString(tmp.resolve("application.yml"), text);
  }

  private static Configuration load(Map<String, String> env, Path file) {
    return Configuration.load(env, Optional.of(file));
  }

  @Test
  void given_a_file_and_the_environment_when_loaded_then_env_beats_file_and_file_beats_default() throws IOException {
    Path f = yaml("""
        reports:
          bucket: from-file
        spark.master: spark://cluster:7077
        """);
    Configuration c = load(Map.of("PARKLAKE_REPORTS_BUCKET", "from-env"), f);

    assertThat(c.get(SettingRegistry.REPORTS_BUCKET)).isEqualTo("from-env");
    assertThat(c.origin(SettingRegistry.REPORTS_BUCKET)).isEqualTo(new FromEnv("PARKLAKE_REPORTS_BUCKET"));
    assertThat(c.get(SettingRegistry.SPARK_MASTER)).isEqualTo("spark://cluster:7077");
    assertThat(c.origin(SettingRegistry.SPARK_MASTER)).isEqualTo(new FromFile(f, 3));
    assertThat(c.origin(SettingRegistry.SPARK_MASTER).describe()).isEqualTo("file " + f);
    assertThat(c.get(SettingRegistry.S3_REGION)).isEqualTo("us-east-1");
    assertThat(c.origin(SettingRegistry.S3_REGION)).isEqualTo(new Default());
    assertThat(c.file()).contains(f);
  }

  @Test
  void given_a_blank_environment_variable_then_the_file_value_stands() throws IOException {
    Path f = yaml("reports.bucket: from-file\n");
    assertThat(load(Map.of("PARKLAKE_REPORTS_BUCKET", "  "), f).get(SettingRegistry.REPORTS_BUCKET))
        .isEqualTo("from-file");
  }

  @Test
  void given_no_config_option_then_the_file_in_the_home_is_read_and_fromEnvironment_ignores_it() throws IOException {
    Files.writeString(tmp.resolve("application.yml"), "spark:\n  master: local[2]\n");
    Map<String, String> env = Map.of("PARKLAKE_HOME", tmp.toString());

    assertThat(ParkLakeSettings.load(env, Optional.empty()).sparkMaster()).isEqualTo("local[2]");
    assertThat(ParkLakeSettings.fromEnvironment(env).sparkMaster()).isEqualTo("local[*]");
    assertThat(ParkLakeSettings.load(Map.of("PARKLAKE_HOME", tmp.resolve("elsewhere").toString()), Optional.empty())
        .sparkMaster()).isEqualTo("local[*]");
  }

  @Test
  void the_file_in_the_home_cannot_move_the_home() throws IOException {
    Files.writeString(tmp.resolve("application.yml"), "home: " + tmp.resolve("other") + "\n");
    assertThatThrownBy(() -> Configuration.load(Map.of("PARKLAKE_HOME", tmp.toString()), Optional.empty()))
        .isInstanceOf(UserError.class)
        .hasMessage("home (" + tmp.resolve("application.yml") + ":1): names another folder than the home this file"
            + " is in (" + tmp + "); set PARKLAKE_HOME, or give the file with --config");
  }

  @Test
  void a_missing_config_file_is_an_error_naming_it() {
    Path missing = tmp.resolve("nope.yml");
    assertThatThrownBy(() -> load(Map.of(), missing))
        .isInstanceOf(UserError.class)
        .hasMessage("--config: " + missing + " does not exist");
  }

  @Test
  void nested_and_dotted_keys_are_the_same_setting_and_setting_one_twice_fails() throws IOException {
    Path f = yaml("""
        schedules:
          nightly:
            cron: 0 0 2 * * ?
        schedules.nightly.cron: 0 0 3 * * ?
        """);
    assertThatThrownBy(() -> load(Map.of(), f))
        .hasMessage("schedules.nightly.cron (" + f + ":4): set twice (first on line 3)");
  }

  @Test
  void an_unknown_key_fails_with_the_closest_setting() throws IOException {
    Path f = yaml("source:\n  url: jdbc:postgresql://db/ops\n  usr: reader\n");
    assertThatThrownBy(() -> load(Map.of(), f))
        .isInstanceOf(UserError.class)
        .hasMessage("source.usr (" + f + ":3): unknown setting (did you mean source.user?)");
  }

  @Test
  void unknown_key_hints_cover_underscores_variable_names_sections_and_strangers() {
    assertThat(SettingRegistry.hint("s3.secret_key")).isEqualTo("did you mean s3.secret-key?");
    assertThat(SettingRegistry.hint("PARKLAKE_SOURCE_URL")).isEqualTo("the file's name for PARKLAKE_SOURCE_URL is source.url");
    assertThat(SettingRegistry.hint("schedules.nightly"))
        .isEqualTo("did you mean schedules.nightly.cron or schedules.nightly.enabled?");
    assertThat(SettingRegistry.hint("serve.tls.password")).isEqualTo("serve.tls has keystore, keystore-password");
    assertThat(SettingRegistry.hint("colour")).isEqualTo("./parklake config --markdown lists every setting");
  }

  @Test
  void an_empty_section_is_allowed() throws IOException {
    Path f = yaml("source:\nmeta: {}\n");
    assertThat(load(Map.of(), f).find(SettingRegistry.SOURCE_URL)).isEmpty();
  }

  @Test
  void a_wrong_type_in_the_file_names_key_file_line_and_value() throws IOException {
    Path f = yaml("serve:\n  address: 0.0.0.0\n  port: eighty\n");
    assertThatThrownBy(() -> load(Map.of(), f))
        .isInstanceOf(UserError.class)
        .hasMessage("serve.port (" + f + ":3): 'eighty' is not a whole number");
  }

  @Test
  void a_wrong_type_in_the_environment_names_the_variable() {
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PARKLAKE_SERVE_PORT", "70000")))
        .hasMessage("PARKLAKE_SERVE_PORT: must be a TCP port (0-65535), was 70000");
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PARKLAKE_SCHEDULE_NIGHTLY_ENABLED", "yes please")))
        .hasMessage("PARKLAKE_SCHEDULE_NIGHTLY_ENABLED: 'yes please' is not true or false");
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PARKLAKE_SCHEDULE_OVERLAP", "queue")))
        .hasMessage("PARKLAKE_SCHEDULE_OVERLAP: 'queue' is not one of skip, wait");
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PARKLAKE_SCHEDULE_ZONE", "Mars/Olympus")))
        .hasMessage("PARKLAKE_SCHEDULE_ZONE: 'Mars/Olympus' is not a time zone such as Europe/Berlin");
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PARKLAKE_VACUUM_RETENTION_HOURS", "24")))
        .hasMessage("PARKLAKE_VACUUM_RETENTION_HOURS: must be at least 168, was 24");
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PARKLAKE_EXTRACT_LOOKBACK", "1h")))
        .hasMessage("PARKLAKE_EXTRACT_LOOKBACK: '1h' is not an ISO-8601 duration such as PT1H or PT30M");
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PARKLAKE_EXTRACT_LOOKBACK", "-PT1H")))
        .hasMessage("PARKLAKE_EXTRACT_LOOKBACK: must not be negative, was PT-1H");
  }

  @Test
  void a_list_where_one_value_belongs_fails_without_quoting_it() throws IOException {
    Path f = yaml("source:\n  password: [hunter2, hunter3]\n");
    assertThatThrownBy(() -> load(Map.of(), f))
        .hasMessage("source.password (" + f + ":2): expected a single value, found a list")
        .message().doesNotContain("hunter2");
  }

  @Test
  void a_bad_cron_expression_is_refused_with_the_reason() throws IOException {
    Path f = yaml("schedules:\n  nightly:\n    cron: 0 0 25 * * ?\n");
    assertThatThrownBy(() -> load(Map.of(), f))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("schedules.nightly.cron (" + f + ":3): '0 0 25 * * ?' is not a Quartz cron expression")
        .hasMessageEndingWith(": Hour values must be between 0 and 23");
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PARKLAKE_SCHEDULE_HOURLY", "5 * * * *")))
        .hasMessageStartingWith("PARKLAKE_SCHEDULE_HOURLY: '5 * * * *' is not a Quartz cron expression");
  }

  @Test
  void tokens_are_a_list_of_maps_in_the_file_and_name_role_salt_hash_in_the_environment() throws IOException {
    Path f = yaml("""
        serve:
          tokens:
            - {name: ci, role: operator, salt: s1, sha256: %s}
            - name: bi
              role: VIEWER
              salt: s2
              sha256: %s
        """.formatted(HASH, HASH.toUpperCase()));
    assertThat(load(Map.of(), f).get(SettingRegistry.SERVE_TOKENS)).containsExactly(
        new Token("ci", Role.OPERATOR, "s1", HASH), new Token("bi", Role.VIEWER, "s2", HASH));
    assertThat(Configuration.fromEnvironment(Map.of("PARKLAKE_API_TOKENS", "ci:operator:s1:" + HASH))
        .get(SettingRegistry.SERVE_TOKENS)).containsExactly(new Token("ci", Role.OPERATOR, "s1", HASH));
  }

  @Test
  void a_bad_token_names_its_position_and_never_quotes_salt_or_hash() throws IOException {
    Path f = yaml("serve:\n  tokens:\n    - {name: ci, role: operator, salt: pepper, sha256: notahash}\n");
    assertThatThrownBy(() -> load(Map.of(), f))
        .hasMessage("serve.tokens (" + f + ":2): token 1: sha256 is not 64 hex digits")
        .message().doesNotContain("pepper").doesNotContain("notahash");
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PARKLAKE_API_TOKENS", "ci:operator:s:" + HASH
        + ",bi:admin:pepper:" + HASH)))
        .hasMessage("PARKLAKE_API_TOKENS: token 2: role 'admin' is not one of viewer, operator, compliance")
        .message().doesNotContain("pepper").doesNotContain(HASH);
    Path g = yaml("serve:\n  tokens:\n    - {name: ci, role: operator, salt: pepper, sha: %s}\n".formatted(HASH));
    assertThatThrownBy(() -> load(Map.of(), g))
        .hasMessage("serve.tokens (" + g + ":2): token 1: unknown field 'sha' (a token has name, role, salt, sha256)");
  }

  @Test
  void serve_settings_come_from_file_and_environment() throws IOException {
    Path f = yaml("""
        serve:
          port: 9443
          tls:
            keystore: /etc/parklake/api.p12
            keystore-password: changeit
        schedules:
          zone: Europe/Berlin
          overlap: wait
          archive:
            enabled: true
        history:
          max-age: P12W
        """);
    ServeSettings s = ParkLakeSettings.from(load(Map.of("PARKLAKE_SCHEDULE_NIGHTLY", "0 30 1 * * ?"), f)).serve();

    assertThat(s.port()).isEqualTo(9443);
    assertThat(s.keystore()).contains(Path.of("/etc/parklake/api.p12"));
    assertThat(s.keystorePassword()).contains("changeit");
    assertThat(s.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(s.overlap()).isEqualTo(Overlap.WAIT);
    assertThat(s.schedules().get("archive")).isEqualTo(new ServeSettings.Schedule("archive", "archive", "0 0 3 1 * ?", true));
    assertThat(s.schedules().get("nightly").cron()).isEqualTo("0 30 1 * * ?");
    assertThat(s.historyMaxAge()).isEqualTo(Duration.ofDays(84));
  }

  @Test
  void history_max_age_takes_days_weeks_or_a_duration_but_not_months() {
    assertThat(Configuration.fromEnvironment(Map.of("PARKLAKE_HISTORY_MAX_AGE", "PT36H")).get(SettingRegistry.HISTORY_MAX_AGE))
        .isEqualTo(Duration.ofHours(36));
    assertThatThrownBy(() -> Configuration.fromEnvironment(Map.of("PARKLAKE_HISTORY_MAX_AGE", "P6M")))
        .hasMessage("PARKLAKE_HISTORY_MAX_AGE: 'P6M' has months or years, which have no fixed length: give days or"
            + " weeks, such as P90D or P12W");
  }

  @Test
  void the_serve_defaults_are_the_registry_defaults() {
    ServeSettings d = ServeSettings.defaults();
    assertThat(d.address()).isEqualTo("127.0.0.1");
    assertThat(d.port()).isEqualTo(8080);
    assertThat(d.tokens()).isEmpty();
    assertThat(d.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(d.schedules()).containsOnlyKeys("hourly", "nightly", "archive");
    assertThat(d.schedules().get("hourly")).isEqualTo(new ServeSettings.Schedule("hourly", "hourly", "0 5 * * * ?", true));
    assertThat(d.schedules().get("archive").enabled()).isFalse();
    assertThat(d.overlap()).isEqualTo(Overlap.SKIP);
    assertThat(d.historyMaxAge()).isEqualTo(Duration.ofDays(90));
    assertThat(d.clusterCheckin()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void an_s3_endpoint_from_the_file_without_keys_names_the_missing_key_and_where_the_endpoint_is() throws IOException {
    Path f = yaml("s3:\n  endpoint: http://minio:9000\n");
    assertThatThrownBy(() -> ParkLakeSettings.from(load(Map.of(), f)))
        .hasMessage("s3.access-key: is not set (needed because s3.endpoint (" + f + ":2) is set)");
  }

  @Test
  void yaml_that_does_not_parse_names_file_and_line() throws IOException {
    Path f = yaml("source:\n  url: [unclosed\n");
    assertThatThrownBy(() -> load(Map.of(), f))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith(f + ": not valid YAML at line 3, column 1: ");
    Path g = yaml("- just\n- a list\n");
    assertThatThrownBy(() -> load(Map.of(), g))
        .hasMessage(g + ": expected settings (key: value lines) at the top, line 1");
  }

  @Test
  void yaml_scalars_are_read_as_written_not_as_yaml_types() throws IOException {
    Path f = yaml("mart:\n  schema: none\nschedules:\n  hourly:\n    enabled: FALSE\n");
    Configuration c = load(Map.of(), f);
    assertThat(c.get(SettingRegistry.MART_SCHEMA)).isEqualTo("none");
    assertThat(c.get(SettingRegistry.HOURLY_ENABLED)).isFalse();
  }
}
