package io.parklake.reports.html;

import io.parklake.reports.testing.HeadlessChromium;
import io.parklake.reports.testing.HeadlessChromium.PageCheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The site as an analyst sees it: every page opens in a real Chromium with no errors and no broken images. */
class HtmlSiteChromiumIT {
  /** Kept after the run so a person can look at what the browser drew. */
  private static final Path SCREENSHOTS = Path.of("target", "chromium-screenshots");

  private static HeadlessChromium chromium;

  @BeforeAll
  static void startChromium() throws Exception {
    chromium = HeadlessChromium.start();
  }

  @AfterAll
  static void stopChromium() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void given_a_site_of_two_reports_with_two_periods_each_then_every_page_loads_cleanly_with_all_images(
      @TempDir Path root) throws Exception {
    HtmlSiteWriter.publish(root, SiteFixtures.revenueMonthly("2026-09", LocalDate.of(2026, 9, 1),
        Instant.parse("2026-10-01T04:00:00Z")));
    HtmlSiteWriter.publish(root, SiteFixtures.revenueMonthly("2026-10", LocalDate.of(2026, 10, 1),
        Instant.parse("2026-11-01T04:00:00Z")));
    HtmlSiteWriter.publish(root, SiteFixtures.occupancyWeekly("2026-W43", Instant.parse("2026-10-26T04:00:00Z")));
    HtmlSiteWriter.publish(root, SiteFixtures.occupancyWeekly("2026-W44", Instant.parse("2026-11-02T04:00:00Z")));
    Files.createDirectories(SCREENSHOTS);

    PageCheck index = chromium.load(root.resolve("index.html"));
    assertClean(index, 0, "index");
    List<String> links = hrefs();
    assertThat(links).containsExactly("revenue-monthly/2026-10/index.html", "revenue-monthly/2026-09/index.html",
        "occupancy-weekly/2026-W44/index.html", "occupancy-weekly/2026-W43/index.html");

    for (String link : links) {
      PageCheck page = chromium.load(root.resolve(link));
      int charts = link.startsWith("revenue") ? 2 : 1;
      assertClean(page, charts, link.replace('/', '_'));
      assertThat(chromium.evaluate("Array.from(document.images).every(i => i.naturalWidth === 960)").asBoolean())
          .as(link + ": charts decoded at their PNG size").isTrue();
      assertThat(chromium.evaluate("document.querySelector('caption') !== null && document.querySelector('thead') !== null")
          .asBoolean()).as(link + ": accessible table").isTrue();
      assertThat(chromium.evaluate("document.characterSet").asText()).isEqualTo("UTF-8");
    }
    assertThat(chromium.evaluate("document.title").asText()).isEqualTo("Weekly occupancy — 2026-W43");
  }

  @Test
  void given_a_page_with_a_missing_image_and_a_script_error_then_the_checker_reports_both(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("broken.html"), """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head><body>
        <h1>Broken page</h1>
        <img src="charts/missing.png" alt="a chart that was never written">
        <script>console.error('chart data missing'); undefinedFunction();</script>
        </body></html>
        """);

    PageCheck check = chromium.load(dir.resolve("broken.html"));

    assertThat(check.brokenImages()).containsExactly(dir.resolve("charts/missing.png").toUri().toString());
    assertThat(check.errors()).anySatisfy(e -> assertThat(e).startsWith("log: ").contains("ERR_FILE_NOT_FOUND"));
    assertThat(check.errors()).anySatisfy(e -> assertThat(e).isEqualTo("console.error: chart data missing"));
    assertThat(check.errors()).anySatisfy(e -> assertThat(e).startsWith("exception: ReferenceError: undefinedFunction"));
  }

  private static List<String> hrefs() throws Exception {
    List<String> out = new java.util.ArrayList<>();
    chromium.evaluate("Array.from(document.links).map(a => a.getAttribute('href'))").forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void assertClean(PageCheck page, int images, String name) throws Exception {
    assertThat(page.errors()).as(page.url() + " errors").isEmpty();
    assertThat(page.brokenImages()).as(page.url() + " broken images").isEmpty();
    assertThat(page.images()).as(page.url() + " images").isEqualTo(images);
    Files.write(SCREENSHOTS.resolve(name + ".png"), page.screenshot());
    BufferedImage shot = ImageIO.read(new ByteArrayInputStream(page.screenshot()));
    assertThat(shot.getWidth()).isGreaterThanOrEqualTo(800);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < shot.getHeight(); y += 4) {
      for (int x = 0; x < shot.getWidth(); x += 4) {
        colours.add(shot.getRGB(x, y) & 0xFFFFFF);
      }
    }
    assertThat(colours).as(page.url() + " screenshot colours").hasSizeGreaterThan(images > 0 ? 50 : 5);
  }
}
