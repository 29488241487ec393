package io.parklake.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** README's settings table and the example application.yml are renderings of the registry, kept in sync. */
class ConfigurationDocsTest {
  // Surefire runs in the jobs module's folder.
  private static final Path README = Path.of("..", "README.md");
  private static final Path EXAMPLE = Path.of("src", "main", "dist", "application.example.yml");

  @Test
  void readme_settings_table_is_the_registry_rendering() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    String begin = "<!-- settings:begin -->\n";
    String end = "<!-- settings:end -->";
    assertThat(readme).contains(begin, end);
    String table = readme.substring(readme.indexOf(begin) + begin.length(), readme.indexOf(end));

    assertThat(table)
        .as("README.md's settings table differs from SettingRegistry: replace it with ./parklake config --markdown")
        .isEqualTo(SettingDocs.markdownTable());
  }

  @Test
  void the_example_file_is_the_registry_rendering() throws IOException {
    assertThat(Files.readString(EXAMPLE, StandardCharsets.UTF_8))
        .as(EXAMPLE + " differs from SettingRegistry: regenerate it with ./parklake config --example > " + EXAMPLE)
        .isEqualTo(SettingDocs.exampleYaml());
  }

  @Test
  void the_example_file_names_every_setting_and_loading_it_changes_nothing() {
    Configuration fromExample = Configuration.load(Map.of(), Optional.of(EXAMPLE));
    Configuration defaults = Configuration.defaults();
    for (Setting<?> s : SettingRegistry.all()) {
      assertThat(fromExample.value(s).value()).as(s.key()).isEqualTo(defaults.value(s).value());
      if (s.defaultText() != null && s != SettingRegistry.HOME) {
        assertThat(fromExample.origin(s)).as(s.key()).isInstanceOf(Configuration.FromFile.class);
      }
    }
    String example = SettingDocs.exampleYaml();
    for (Setting<?> s : SettingRegistry.all()) {
      String leaf = s.key().substring(s.key().lastIndexOf('.') + 1);
      assertThat(example).as(s.key()).containsPattern("(?m)^[ #]*" + leaf + ":");
      assertThat(example).as(s.key()).contains("environment: " + s.env() + "\n");
    }
  }

  @Test
  void the_help_footer_lists_every_variable_and_key_within_the_help_width() {
    String help = String.join("\n", SettingDocs.helpLines(110));
    for (Setting<?> s : SettingRegistry.all()) {
      assertThat(help).containsPattern("(?m)^  " + s.env() + " +" + java.util.regex.Pattern.quote(s.key()) + "$");
    }
    assertThat(SettingDocs.helpLines(110)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(110));
  }
}
