package io.parklake.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParkLakeSettingsTest {

  @Test
  void with_nothing_set_everything_is_embedded_under_the_default_home() {
    ParkLakeSettings s = ParkLakeSettings.fromEnvironment(Map.of());
    assertThat(s.home()).isEqualTo(Path.of(".parklake").toAbsolutePath().normalize());
    assertThat(s.embeddedSource()).isTrue();
    assertThat(s.meta()).isEmpty();
    assertThat(s.s3()).isEmpty();
    assertThat(s.reportsBucket()).isEqualTo("parklake-reports");
    assertThat(s.sparkMaster()).isEqualTo("local[*]");
  }

  @Test
  void the_metadata_database_defaults_to_the_configured_source() {
    ParkLakeSettings s = ParkLakeSettings.fromEnvironment(Map.of(
        "PARKLAKE_SOURCE_URL", "jdbc:postgresql://db:5432/ops", "PARKLAKE_SOURCE_USER", "reader"));
    assertThat(s.meta()).isEqualTo(s.source());
    assertThat(s.source().orElseThrow().user()).isEqualTo("reader");
  }

  @Test
  void a_bad_bucket_name_is_refused_naming_the_setting() {
    assertThatThrownBy(() -> ParkLakeSettings.fromEnvironment(Map.of("PARKLAKE_REPORTS_BUCKET", "Bad_Bucket")))
        .isInstanceOf(UserError.class)
        .hasMessage("PARKLAKE_REPORTS_BUCKET: 'Bad_Bucket' is not a valid S3 bucket name");
  }

  @Test
  void an_s3_endpoint_must_be_http() {
    assertThatThrownBy(() -> ParkLakeSettings.fromEnvironment(Map.of("PARKLAKE_S3_ENDPOINT", "s3.example.com")))
        .hasMessage("PARKLAKE_S3_ENDPOINT: 's3.example.com' is not an http(s) URL");
  }
}
