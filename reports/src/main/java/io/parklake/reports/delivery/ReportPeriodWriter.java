package io.parklake.reports.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Publishes one period of one report, {@code <root>/<report>/<period>/}, so that readers (the HTML
 * index, an analyst's browser, the S3 upload) see the previous version or the new one, never a mix.
 *
 * <p>The period is rendered into a fresh hidden folder beside the target, described by a {@code
 * manifest.json} (report, period, generated_at, and per file its path, size and SHA-256), then
 * swapped in by two renames on the same file system: the old folder aside, the new one in; the old
 * one is deleted last. If rendering fails the previous period is left as it was. Between the two
 * renames the period is briefly absent; a process that dies there leaves the old folder aside, and
 * the next write of that period puts it back before doing anything else. One writer per period at a
 * time: the jobs render a report's periods in sequence.
 */
public final class ReportPeriodWriter {
  public static final String MANIFEST = "manifest.json";

  /** Folder and file names that cannot climb out of the root or hide from a listing. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes the period's files into the folder it is given (which exists and is empty). */
  @FunctionalInterface
  public interface PeriodRenderer {
    void render(Path dir) throws IOException;
  }

  /** What {@code manifest.json} says; paths are relative to the period folder, with '/' separators. */
  public record Manifest(String report, String period, Instant generatedAt, List<FileEntry> files) {}

  public record FileEntry(String path, long bytes, String sha256) {}

  private ReportPeriodWriter() {}

  /** Renders and publishes the period; returns the manifest written into it. */
  public static Manifest write(Path root, String report, String period, Instant generatedAt, PeriodRenderer renderer)
      throws IOException {
    checkSegment("report name", report);
    checkSegment("period", period);
    Objects.requireNonNull(generatedAt, "generatedAt");
    Path reportDir = Files.createDirectories(root.resolve(report));
    Path target = reportDir.resolve(period);
    recoverInterruptedSwap(reportDir, period, target);

    String token = UUID.randomUUID().toString();
    Path fresh = Files.createDirectory(reportDir.resolve("." + period + ".new-" + token));
    Manifest manifest;
    try {
      renderer.render(fresh);
      manifest = new Manifest(report, period, generatedAt, describe(fresh));
      Files.writeString(fresh.resolve(MANIFEST), toJson(manifest));
    } catch (IOException | RuntimeException | Error e) {
      deleteTree(fresh);
      throw e;
    }

    Path aside = reportDir.resolve("." + period + ".old-" + token);
    if (Files.exists(target)) {
      Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Put the previous version back so the period does not disappear because of this failure.
      if (Files.exists(aside) && !Files.exists(target)) {
        Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
      }
      deleteTree(fresh);
      throw new IOException("could not move the new " + report + " " + period + " into " + target + ": " + e.getMessage(), e);
    }
    deleteTree(aside);
    return manifest;
  }

  /** Reads {@code <periodDir>/manifest.json}. */
  public static Manifest readManifest(Path periodDir) throws IOException {
    JsonNode node = JSON.readTree(periodDir.resolve(MANIFEST).toFile());
    List<FileEntry> files = new ArrayList<>();
    for (JsonNode f : node.get("files")) {
      files.add(new FileEntry(f.get("path").asText(), f.get("bytes").asLong(), f.get("sha256").asText()));
    }
    return new Manifest(node.get("report").asText(), node.get("period").asText(),
        Instant.parse(node.get("generated_at").asText()), List.copyOf(files));
  }

  /** SHA-256 of a file as lower-case hex, as the manifest records it. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static void checkSegment(String what, String value) {
    if (value == null || !SEGMENT.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " '" + value
          + "' cannot be a folder name: use letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  /** A crash between the two renames leaves no target and the old folder aside: restore it. */
  private static void recoverInterruptedSwap(Path reportDir, String period, Path target) throws IOException {
    List<Path> leftovers;
    try (Stream<Path> s = Files.list(reportDir)) {
      leftovers = s.filter(p -> p.getFileName().toString().startsWith("." + period + ".")).sorted().toList();
    }
    for (Path p : leftovers) {
      String name = p.getFileName().toString();
      if (name.startsWith("." + period + ".old-") && !Files.exists(target)) {
        try {
          Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
          continue;
        } catch (FileAlreadyExistsException e) {
          // Another leftover was restored first; this one is older garbage.
        }
      }
      deleteTree(p);
    }
  }

  private static List<FileEntry> describe(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).filter(p -> !p.equals(dir.resolve(MANIFEST))).toList();
    }
    List<FileEntry> entries = new ArrayList<>();
    for (Path f : files) {
      String relative = dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
      entries.add(new FileEntry(relative, Files.size(f), sha256(f)));
    }
    entries.sort(Comparator.comparing(FileEntry::path));
    return List.copyOf(entries);
  }

  private static String toJson(Manifest m) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("report", m.report());
    root.put("period", m.period());
    root.put("generated_at", m.generatedAt().toString());
    ArrayNode files = root.putArray("files");
    for (FileEntry f : m.files()) {
      files.addObject().put("path", f.path()).put("bytes", f.bytes()).put("sha256", f.sha256());
    }
    return JSON.writeValueAsString(root) + "\n";
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
