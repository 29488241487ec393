package io.parklake.reports.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parklake.reports.delivery.ReportPeriodWriter.FileEntry;
import io.parklake.reports.delivery.ReportPeriodWriter.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPeriodWriterTest {
  private static final Instant FIRST = Instant.parse("2026-11-01T05:00:00Z");
  private static final Instant SECOND = Instant.parse("2026-11-02T05:00:00Z");

  @TempDir Path root;

  @Test
  void given_a_rendered_period_then_the_manifest_lists_every_file_with_the_size_and_sha256_on_disk() throws Exception {
    Manifest manifest = ReportPeriodWriter.write(root, "revenue-monthly", "2026-10", FIRST, dir -> {
      Files.writeString(dir.resolve("index.html"), "<!doctype html><title>Octobre à Lisboa</title>");
      Files.createDirectories(dir.resolve("charts"));
      Files.write(dir.resolve("charts/net.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
    });

    Path period = root.resolve("revenue-monthly/2026-10");
    JsonNode json = new ObjectMapper().readTree(period.resolve("manifest.json").toFile());
    assertThat(json.get("report").asText()).isEqualTo("revenue-monthly");
    assertThat(json.get("period").asText()).isEqualTo("2026-10");
    assertThat(json.get("generated_at").asText()).isEqualTo("2026-11-01T05:00:00Z");
    assertThat(json.get("files")).hasSize(2);
    for (JsonNode f : json.get("files")) {
      Path file = period.resolve(f.get("path").asText());
      assertThat(f.get("bytes").asLong()).as(f.toString()).isEqualTo(Files.size(file));
      assertThat(f.get("sha256").asText()).as(f.toString()).isEqualTo(independentSha256(file));
    }
    assertThat(manifest.files()).extracting(FileEntry::path).containsExactly("charts/net.png", "index.html");
    assertThat(manifest.files().get(1).bytes())
        .isEqualTo("<!doctype html><title>Octobre à Lisboa</title>".getBytes(StandardCharsets.UTF_8).length);
    assertThat(ReportPeriodWriter.readManifest(period)).isEqualTo(manifest);
  }

  @Test
  void given_an_existing_period_when_rendered_again_then_its_files_are_replaced_and_stale_ones_are_gone() throws Exception {
    ReportPeriodWriter.write(root, "revenue-daily", "2026-11-21", FIRST, dir -> {
      Files.writeString(dir.resolve("index.html"), "first");
      Files.writeString(dir.resolve("old-chart.png"), "gone soon");
    });

    ReportPeriodWriter.write(root, "revenue-daily", "2026-11-21", SECOND,
        dir -> Files.writeString(dir.resolve("index.html"), "second"));

    Path period = root.resolve("revenue-daily/2026-11-21");
    assertThat(filesUnder(period)).containsOnlyKeys("index.html", "manifest.json");
    assertThat(Files.readString(period.resolve("index.html"))).isEqualTo("second");
    assertThat(ReportPeriodWriter.readManifest(period).generatedAt()).isEqualTo(SECOND);
    assertThat(entries(root.resolve("revenue-daily"))).containsExactly("2026-11-21");
  }

  @Test
  void given_a_render_that_fails_midway_then_the_previous_period_is_intact_and_no_temp_folder_remains()
      throws Exception {
    ReportPeriodWriter.write(root, "revenue-daily", "2026-11-21", FIRST,
        dir -> Files.writeString(dir.resolve("index.html"), "good"));
    Map<String, String> before = filesUnder(root.resolve("revenue-daily/2026-11-21"));

    assertThatThrownBy(() -> ReportPeriodWriter.write(root, "revenue-daily", "2026-11-21", SECOND, dir -> {
      Files.writeString(dir.resolve("index.html"), "half");
      throw new IllegalStateException("mart revenue_daily has no rows for 2026-11-21");
    })).isInstanceOf(IllegalStateException.class).hasMessage("mart revenue_daily has no rows for 2026-11-21");

    assertThat(filesUnder(root.resolve("revenue-daily/2026-11-21"))).isEqualTo(before);
    assertThat(entries(root.resolve("revenue-daily"))).containsExactly("2026-11-21");
  }

  @Test
  void given_a_render_in_progress_then_a_reader_still_sees_the_whole_previous_period() throws Exception {
    ReportPeriodWriter.write(root, "occupancy-weekly", "2026-W43", FIRST,
        dir -> Files.writeString(dir.resolve("index.html"), "previous"));
    Map<String, String> previous = filesUnder(root.resolve("occupancy-weekly/2026-W43"));
    CountDownLatch halfWritten = new CountDownLatch(1);
    CountDownLatch readerDone = new CountDownLatch(1);

    CompletableFuture<Manifest> writer = CompletableFuture.supplyAsync(() -> {
      try {
        return ReportPeriodWriter.write(root, "occupancy-weekly", "2026-W43", SECOND, dir -> {
          Files.writeString(dir.resolve("index.html"), "next");
          halfWritten.countDown();
          await(readerDone);
          Files.writeString(dir.resolve("heatmap.png"), "png");
        });
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertThat(halfWritten.await(30, TimeUnit.SECONDS)).isTrue();
    Map<String, String> seenMidway = filesUnder(root.resolve("occupancy-weekly/2026-W43"));
    readerDone.countDown();
    writer.get(30, TimeUnit.SECONDS);

    assertThat(seenMidway).isEqualTo(previous);
    assertThat(filesUnder(root.resolve("occupancy-weekly/2026-W43")))
        .containsEntry("index.html", "next").containsEntry("heatmap.png", "png");
  }

  @Test
  void given_a_crash_between_the_two_renames_when_written_again_then_the_old_period_is_restored_first()
      throws Exception {
    Path reportDir = Files.createDirectories(root.resolve("revenue-daily"));
    Path aside = Files.createDirectories(reportDir.resolve(".2026-11-21.old-crashed"));
    Files.writeString(aside.resolve("index.html"), "survivor");
    Files.createDirectories(reportDir.resolve(".2026-11-21.new-crashed"));

    assertThatThrownBy(() -> ReportPeriodWriter.write(root, "revenue-daily", "2026-11-21", SECOND, dir -> {
      throw new IOException("disk full");
    })).hasMessage("disk full");

    assertThat(entries(reportDir)).containsExactly("2026-11-21");
    assertThat(Files.readString(reportDir.resolve("2026-11-21/index.html"))).isEqualTo("survivor");
  }

  @Test
  void given_a_period_that_would_leave_the_root_then_it_is_refused_with_the_reason() {
    assertThatThrownBy(() -> ReportPeriodWriter.write(root, "revenue-daily", "../2026-11-21", FIRST, dir -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("period '../2026-11-21' cannot be a folder name: use letters, digits, '.', '_' or '-', "
            + "starting with a letter or digit");
  }

  private static String independentSha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /** Relative path → content of every file under dir. */
  private static Map<String, String> filesUnder(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
      }
    }
    return files;
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("reader did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
