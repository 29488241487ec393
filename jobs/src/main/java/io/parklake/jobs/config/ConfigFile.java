package io.parklake.jobs.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * An {@code application.yml}, flattened: nested maps become dotted keys ({@code source: {url: x}} and
 * {@code source.url: x} are the same), each with the line it is on. Scalars are kept as written (the
 * setting's type reads them, exactly as it reads an environment variable, so YAML's own typing never
 * turns {@code on} into a boolean or {@code 0700} into a number); a list stays a list of plain Java
 * values; an empty value ({@code key:}, {@code ~}, {@code null}) is {@code null}, meaning "not set here".
 */
record ConfigFile(Path path, Map<String, ConfigFile.Entry> entries) {

  /** One key of the file; {@code value} is a String, a List, or null. */
  record Entry(String key, Object value, int line) {}

  /** Fails naming the file when it is missing or not a readable file. */
  static void requireReadable(Path given) {
    Path path = given.toAbsolutePath().normalize();
    if (!Files.exists(path)) {
      throw new UserError("--config", path + " does not exist");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new UserError("--config", path + " is not a readable file");
    }
  }

  static ConfigFile read(Path given) {
    Path path = given.toAbsolutePath().normalize();
    requireReadable(path);
    Node root;
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(in);
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark();
      throw new UserError(path.toString(), "not valid YAML"
          + (m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
          + ": " + oneLine(e.getProblem()));
    } catch (YAMLException e) {
      throw new UserError(path.toString(), "not valid YAML: " + oneLine(e.getMessage()));
    } catch (IOException e) {
      throw new UserError(path.toString(), "cannot read it (" + oneLine(e.toString()) + ")");
    }
    if (root == null) {
      return new ConfigFile(path, Map.of());
    }
    if (!(root instanceof MappingNode top)) {
      throw new UserError(path.toString(), "expected settings (key: value lines) at the top, line " + line(root));
    }
    ConfigFile building = new ConfigFile(path, new LinkedHashMap<>());
    building.flatten("", top);
    return new ConfigFile(path, Collections.unmodifiableMap(building.entries()));
  }

  private void flatten(String prefix, MappingNode mapping) {
    for (NodeTuple t : mapping.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k) || k.getTag() == Tag.MERGE) {
        throw new UserError(path + ":" + line(t.getKeyNode()), "a key must be a plain name");
      }
      String key = prefix.isEmpty() ? k.getValue() : prefix + "." + k.getValue();
      Node v = t.getValueNode();
      if (v instanceof MappingNode m && !m.getValue().isEmpty()) {
        flatten(key, m);
      } else {
        put(new Entry(key, v instanceof MappingNode ? null : plain(key, v), line(k)));
      }
    }
  }

  private void put(Entry e) {
    Entry first = entries.putIfAbsent(e.key(), e);
    if (first != null) {
      throw new UserError(e.key() + " (" + path + ":" + e.line() + ")", "set twice (first on line " + first.line() + ")");
    }
  }

  private Object plain(String key, Node node) {
    if (node instanceof ScalarNode s) {
      return s.getTag() == Tag.NULL ? null : s.getValue();
    }
    if (node instanceof SequenceNode seq) {
      List<Object> items = new ArrayList<>();
      for (Node item : seq.getValue()) {
        items.add(plain(key, item));
      }
      return items;
    }
    MappingNode m = (MappingNode) node;
    Map<String, Object> fields = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw new UserError(key + " (" + path + ":" + line(t.getKeyNode()) + ")", "a key must be a plain name");
      }
      fields.put(k.getValue(), plain(key, t.getValueNode()));
    }
    return fields;
  }

  private static int line(Node n) {
    return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
