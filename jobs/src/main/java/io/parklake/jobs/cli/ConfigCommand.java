package io.parklake.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.parklake.jobs.config.Configuration;
import io.parklake.jobs.config.Configuration.Value;
import io.parklake.jobs.config.ParkLakeSettings;
import io.parklake.jobs.config.SettingDocs;
import io.parklake.jobs.config.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parklake config}: every setting's effective value (secrets masked) and where it came from,
 * after the same checks every command makes. Starts no database, S3 server or Spark.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Print every setting's effective value and where it comes from (default, file <path>, env PARKLAKE_X), "
          + "after checking the configuration as every command does. Secrets are shown as ****. "
          + "Starts no database, S3 server or Spark.",
      "--markdown prints the table of all settings (README's), --example an application.yml with every default."
    })
public class ConfigCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Option(names = "--json", description = "print one JSON object: file, and settings with key, env, value, secret, source")
  boolean json;

  @Option(names = "--markdown", description = "print the Markdown table of every setting (README's configuration table)")
  boolean markdown;

  @Option(names = "--example", description = "print an application.yml with every setting at its default")
  boolean example;

  public ConfigCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws JsonProcessingException {
    if ((json ? 1 : 0) + (markdown ? 1 : 0) + (example ? 1 : 0) > 1) {
      throw new UserError("config", "give one of --json, --markdown, --example");
    }
    if (markdown) {
      cli.out().print(SettingDocs.markdownTable());
      return 0;
    }
    if (example) {
      cli.out().print(SettingDocs.exampleYaml());
      return 0;
    }
    Configuration c = cli.configuration();
    ParkLakeSettings settings = ParkLakeSettings.from(c);
    String file = c.file().map(Object::toString).orElse(null);
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Value v : c.values()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key", v.setting().key());
        row.put("env", v.setting().env());
        row.put("value", v.display());
        row.put("secret", v.setting().secret());
        row.put("source", v.origin().describe());
        rows.add(row);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("file", file);
      doc.put("settings", rows);
      cli.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
      return 0;
    }
    cli.out().println(file != null ? "configuration file: " + file
        : "configuration file: none (no " + settings.home().resolve(Configuration.FILE_NAME) + ")");
    int keyWidth = c.values().stream().mapToInt(v -> v.setting().key().length()).max().orElse(0);
    int valueWidth = Math.min(40, c.values().stream().mapToInt(v -> shown(v).length()).max().orElse(0));
    String format = "%-" + keyWidth + "s  %-" + valueWidth + "s  %s%n";
    cli.out().printf(format, "key", "value", "from");
    for (Value v : c.values()) {
      cli.out().printf(format, v.setting().key(), shown(v), v.origin().describe());
    }
    return 0;
  }

  private static String shown(Value v) {
    String d = v.display();
    return d == null ? "(unset)" : d;
  }
}
