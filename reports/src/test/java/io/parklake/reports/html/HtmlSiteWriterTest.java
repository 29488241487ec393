package io.parklake.reports.html;

import static io.parklake.reports.html.SiteFixtures.NASTY;
import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.reports.delivery.ReportPeriodWriter;
import io.parklake.reports.delivery.ReportPeriodWriter.FileEntry;
import io.parklake.reports.delivery.ReportPeriodWriter.Manifest;
import io.parklake.reports.html.HtmlReport.Section;
import io.parklake.reports.html.HtmlReport.Table;
import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlSiteWriterTest {
  private static final Instant OCT = Instant.parse("2026-11-01T04:30:00Z");
  private static final Instant NOV = Instant.parse("2026-12-01T04:30:00Z");

  @TempDir Path root;

  @Test
  void given_a_report_when_published_then_the_page_is_self_contained_utf8_with_charts_beside_it() throws Exception {
    Manifest manifest = HtmlSiteWriter.publish(root,
        SiteFixtures.revenueMonthly("2026-10", LocalDate.of(2026, 10, 1), OCT));

    Path page = root.resolve("revenue-monthly/2026-10/index.html");
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">").contains("<style>")
        .doesNotContain("<script", "<link", "http://", "https://", "@import", "url(");
    assertThat(html).contains("<title>Monthly revenue — 2026-10</title>")
        .contains("generated <time datetime=\"2026-11-01T04:30:00Z\">2026-11-01 04:30 UTC</time>");
    List<String> images = matches(html, "<img src=\"([^\"]+)\"");
    assertThat(images).containsExactly("charts/s1-c1-net-revenue-by-facility.png", "charts/s2-c1-share-of-payments.png");
    for (String src : images) {
      Path png = page.resolveSibling(src);
      assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(960);
      assertThat(Files.readString(Path.of(png.toString().replace(".png", ".svg")))).contains("<svg");
    }
    assertThat(matches(html, "<img [^>]*alt=\"([^\"]+)\"")).containsExactly(
        "Line chart: Net revenue by facility (Net revenue (local currency) by Local date, one series per facility_name)",
        "Pie chart: Share of payments (share of payments by facility_name)");
    assertThat(manifest.files()).extracting(FileEntry::path).containsExactly(
        "charts/s1-c1-net-revenue-by-facility.png", "charts/s1-c1-net-revenue-by-facility.svg",
        "charts/s2-c1-share-of-payments.png", "charts/s2-c1-share-of-payments.svg", "index.html", "period.json");
    assertThat(ReportPeriodWriter.readManifest(page.getParent())).isEqualTo(manifest);
  }

  @Test
  void given_text_with_markup_characters_then_every_occurrence_is_escaped() throws Exception {
    HtmlSiteWriter.publish(root, SiteFixtures.revenueMonthly("2026-10", LocalDate.of(2026, 10, 1), OCT));

    String html = Files.readString(root.resolve("revenue-monthly/2026-10/index.html"));
    String escaped = "Quay &lt;&amp;&gt; &quot;North&quot; O&#39;Neil";
    assertThat(html).doesNotContain(NASTY).doesNotContain("<&>");
    assertThat(html).contains("<div class=\"value\">" + escaped + "</div>");
    assertThat(html).contains("<tr><td>" + escaped + "</td><td>EUR</td><td>2026-10-01</td>");
  }

  @Test
  void given_a_typed_table_then_numbers_are_right_aligned_money_has_currency_and_totals_are_per_currency()
      throws Exception {
    ReportTable table = new ReportTable(
        List.of(new Column("facility_name", Kind.TEXT), new Column("currency", Kind.TEXT),
            new Column("local_date", Kind.DATE), new Column("net", Kind.MONEY), new Column("payments", Kind.INTEGER),
            new Column("utilisation", Kind.PERCENT), new Column("avg_minutes", Kind.NUMBER)),
        List.of(
            new Object[] {"Harbour", "EUR", LocalDate.of(2026, 11, 21), new BigDecimal("1234.50"), 1200L, 0.4531, 95.5},
            new Object[] {"Quay", "EUR", LocalDate.of(2026, 11, 21), new BigDecimal("0.10"), 3L, 0.1, 12.0},
            new Object[] {"Paulista", "BRL", LocalDate.of(2026, 11, 21), new BigDecimal("-20.00"), 1L, null, null}));
    HtmlReport report = new HtmlReport("revenue-daily", "Daily revenue", "2026-11-21", NOV, List.of(),
        List.of(new Section("By facility", null, List.of(),
            List.of(Table.of("Revenue by facility", table).withCurrencyColumn("currency").withTotals()))));

    HtmlSiteWriter.publish(root, report);

    String html = Files.readString(root.resolve("revenue-daily/2026-11-21/index.html"));
    assertThat(html).contains("<caption>Revenue by facility</caption>\n<thead>\n<tr><th scope=\"col\">Facility name</th>"
        + "<th scope=\"col\">Currency</th><th scope=\"col\">Local date</th><th scope=\"col\" class=\"num\">Net</th>");
    assertThat(html).contains("<tr><td>Harbour</td><td>EUR</td><td>2026-11-21</td><td class=\"num\">1,234.50 EUR</td>"
        + "<td class=\"num\">1,200</td><td class=\"num\">45.3%</td><td class=\"num\">95.5</td></tr>");
    assertThat(html).contains("<td class=\"num\">-20.00 BRL</td><td class=\"num\">1</td><td class=\"num\"></td>");
    assertThat(html).contains("<tfoot>\n"
        + "<tr><th scope=\"row\">Total EUR</th><td>EUR</td><td></td><td class=\"num\">1,234.60 EUR</td>"
        + "<td class=\"num\">1,203</td><td class=\"num\"></td><td class=\"num\"></td></tr>\n"
        + "<tr><th scope=\"row\">Total BRL</th><td>BRL</td><td></td><td class=\"num\">-20.00 BRL</td>"
        + "<td class=\"num\">1</td><td class=\"num\"></td><td class=\"num\"></td></tr>\n</tfoot>");
  }

  @Test
  void given_reports_on_disk_then_the_index_lists_every_period_newest_first_grouped_by_report() throws Exception {
    HtmlSiteWriter.publish(root, SiteFixtures.occupancyWeekly("2026-W09", OCT));
    HtmlSiteWriter.publish(root, SiteFixtures.revenueMonthly("2026-10", LocalDate.of(2026, 10, 1), OCT));
    HtmlSiteWriter.publish(root, SiteFixtures.occupancyWeekly("2026-W10", NOV));
    HtmlSiteWriter.publish(root, SiteFixtures.revenueMonthly("2026-11", LocalDate.of(2026, 11, 1), NOV));
    HtmlSiteWriter.publish(root, SiteFixtures.revenueMonthly("2026-09", LocalDate.of(2026, 9, 1), OCT));
    Files.createDirectories(root.resolve("revenue-monthly/.2026-12.new-inflight"));
    Files.writeString(root.resolve("revenue-monthly/.2026-12.new-inflight/index.html"), "half");

    HtmlSiteWriter.writeIndex(root);

    String html = Files.readString(root.resolve("index.html"));
    assertThat(matches(html, "<h2>([^<]+)</h2>")).containsExactly("Monthly revenue", "Weekly occupancy");
    assertThat(matches(html, "<a href=\"([^\"]+)\"")).containsExactly(
        "revenue-monthly/2026-11/index.html", "revenue-monthly/2026-10/index.html", "revenue-monthly/2026-09/index.html",
        "occupancy-weekly/2026-W10/index.html", "occupancy-weekly/2026-W09/index.html");
    assertThat(html).contains("Latest data generated 2026-12-01 04:30 UTC").doesNotContain("2026-12/");
  }

  @Test
  void given_period_labels_of_each_granularity_then_they_order_by_their_first_day() {
    assertThat(HtmlSiteWriter.periodStart("2026-W43")).isEqualTo(LocalDate.of(2026, 10, 19));
    assertThat(HtmlSiteWriter.periodStart("2027-W01")).isEqualTo(LocalDate.of(2027, 1, 4));
    assertThat(HtmlSiteWriter.periodStart("2026-10")).isEqualTo(LocalDate.of(2026, 10, 1));
    assertThat(HtmlSiteWriter.periodStart("2026-11-21")).isEqualTo(LocalDate.of(2026, 11, 21));
    assertThat(HtmlSiteWriter.periodStart("adhoc")).isEqualTo(LocalDate.MIN);
  }

  private static List<String> matches(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
