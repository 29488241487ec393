package io.parklake.jobs.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry rendered for people: README's table ({@code parklake config --markdown}), the example
 * {@code application.yml} ({@code parklake config --example}) and the settings part of {@code --help}.
 * Tests compare README and {@code jobs/src/main/dist/application.example.yml} with these.
 */
public final class SettingDocs {
  private SettingDocs() {}

  /** A Markdown table of every setting: key, environment variable, type, default, meaning. */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder();
    b.append("| key | environment variable | type | default | meaning |\n");
    b.append("| --- | --- | --- | --- | --- |\n");
    for (Setting<?> s : SettingRegistry.all()) {
      b.append("| `").append(s.key()).append("` | `").append(s.env()).append("` | ").append(cell(s.type().name()))
          .append(" | ").append(s.defaultText() == null ? "unset" : "`" + cell(s.defaultText()) + "`")
          .append(" | ").append(cell(s.doc())).append(s.secret() ? " (secret: never shown)" : "").append(" |\n");
    }
    return b.toString();
  }

  /**
   * An {@code application.yml} holding every setting at its default, each under a comment with its doc,
   * type and environment variable. Loading it changes nothing.
   */
  public static String exampleYaml() {
    StringBuilder b = new StringBuilder();
    b.append("# ParkLake configuration: every setting at its default (./parklake config --example prints this).\n");
    b.append("# Read from $PARKLAKE_HOME/application.yml, or the file given with --config; an environment variable\n");
    b.append("# overrides the file, the file overrides the default. An empty value means unset.\n");
    b.append("# ./parklake config shows the effective values and where each comes from.\n");
    List<String> open = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    for (Setting<?> s : SettingRegistry.all()) {
      String[] parts = s.key().split("\\.");
      int common = 0;
      while (common < open.size() && common < parts.length - 1 && open.get(common).equals(parts[common])) {
        common++;
      }
      for (int i = open.size() - 1; i >= common; i--) {
        closed.add(String.join(".", open.subList(0, i + 1)));
        open.remove(i);
      }
      if (common == 0) {
        b.append('\n');
      }
      for (int i = common; i < parts.length - 1; i++) {
        open.add(parts[i]);
        String section = String.join(".", open);
        if (closed.contains(section)) {
          throw new IllegalStateException("SettingRegistry lists section " + section + " in two places");
        }
        b.append("  ".repeat(i)).append(parts[i]).append(":\n");
      }
      String indent = "  ".repeat(parts.length - 1);
      b.append(indent).append("# ").append(s.doc()).append('\n');
      b.append(indent).append("# ").append(s.type().name()).append(s.secret() ? ", secret" : "")
          .append("; environment: ").append(s.env()).append('\n');
      String leaf = parts[parts.length - 1] + ":" + (s.defaultText() == null ? "" : " " + yamlScalar(s.defaultText()));
      if (s == SettingRegistry.HOME) {
        b.append(indent).append("# only in a --config file: the application.yml in the home folder cannot move it\n");
        b.append(indent).append("# ").append(leaf).append('\n');
      } else {
        b.append(indent).append(leaf).append('\n');
      }
    }
    return b.toString();
  }

  /** The settings part of {@code parklake --help}: one entry per setting, wrapped to {@code width}. */
  public static List<String> helpLines(int width) {
    List<String> lines = new ArrayList<>();
    int envWidth = SettingRegistry.all().stream().mapToInt(s -> s.env().length()).max().orElse(0);
    for (Setting<?> s : SettingRegistry.all()) {
      String head = String.format("  %-" + envWidth + "s  %s", s.env(), s.key());
      String text = s.doc() + (s.defaultText() == null ? "" : " (default " + s.defaultText() + ")");
      lines.add(head);
      wrap(text, "      ", width, lines);
    }
    return lines;
  }

  private static void wrap(String text, String indent, int width, List<String> out) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
        out.add(line.toString());
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    out.add(line.toString());
  }

  private static String yamlScalar(String s) {
    return s.matches("[A-Za-z0-9][A-Za-z0-9._/-]*") ? s : "'" + s.replace("'", "''") + "'";
  }

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }
}
