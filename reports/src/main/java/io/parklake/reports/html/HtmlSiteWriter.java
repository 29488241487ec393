package io.parklake.reports.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parklake.reports.chart.ChartImage;
import io.parklake.reports.chart.ChartRenderer;
import io.parklake.reports.delivery.ReportPeriodWriter;
import io.parklake.reports.delivery.ReportPeriodWriter.Manifest;
import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The static HTML report site: one self-contained page per report period at {@code
 * <root>/<report>/<period>/index.html} (inline CSS, charts as PNG beside it with the SVG linked, no
 * scripts, nothing fetched from the network), and {@code <root>/index.html} listing every report
 * and period found on disk, newest period first.
 *
 * <p>A period is published through {@link ReportPeriodWriter}, so it also gets a {@code
 * manifest.json} and is replaced atomically. Next to the page the writer keeps a {@code
 * period.json} (title, generated_at) from which the index is rebuilt without parsing HTML.
 */
public final class HtmlSiteWriter {
  public static final String PAGE = "index.html";
  static final String PERIOD_INFO = "period.json";
  static final String CHARTS = "charts";

  private static final ObjectMapper JSON = new ObjectMapper();

  private HtmlSiteWriter() {}

  /** Renders the period into its folder (atomically) and rebuilds the site index. */
  public static Manifest publish(Path root, HtmlReport report) throws IOException {
    Manifest manifest = ReportPeriodWriter.write(root, report.name(), report.period(), report.generatedAt(),
        dir -> renderInto(dir, report));
    writeIndex(root);
    return manifest;
  }

  /**
   * Writes the page, its charts and {@code period.json} into {@code dir}; for callers that put more
   * files (xlsx, csv) into the same period through their own {@link ReportPeriodWriter} call.
   */
  public static void renderInto(Path dir, HtmlReport report) throws IOException {
    StringBuilder html = new StringBuilder(32_768);
    String pageTitle = report.title() + " — " + report.period();
    head(html, pageTitle);
    html.append("<nav><a href=\"../../index.html\">All reports</a></nav>\n<header>\n<h1>")
        .append(Html.esc(report.title())).append("</h1>\n<p class=\"meta\">Period <strong>")
        .append(Html.esc(report.period())).append("</strong> · generated <time datetime=\"")
        .append(report.generatedAt()).append("\">").append(Html.instant(report.generatedAt()))
        .append("</time></p>\n</header>\n<main>\n");
    if (!report.headline().isEmpty()) {
      html.append("<ul class=\"cards\" aria-label=\"Headline figures\">\n");
      for (HtmlReport.Figure f : report.headline()) {
        html.append("<li class=\"card\"><div class=\"label\">").append(Html.esc(f.label()))
            .append("</div><div class=\"value\">").append(Html.esc(f.value())).append("</div></li>\n");
      }
      html.append("</ul>\n");
    }
    int s = 0;
    for (HtmlReport.Section section : report.sections()) {
      s++;
      html.append("<section>\n<h2>").append(Html.esc(section.heading())).append("</h2>\n");
      if (section.intro() != null && !section.intro().isBlank()) {
        html.append("<p class=\"intro\">").append(Html.esc(section.intro())).append("</p>\n");
      }
      int c = 0;
      for (HtmlReport.Chart chart : section.charts()) {
        c++;
        String base = "s" + s + "-c" + c + "-" + Html.slug(chart.spec().title());
        ChartImage image = ChartRenderer.write(chart.data(), chart.spec(), dir.resolve(CHARTS), base);
        html.append("<figure>\n<img src=\"").append(CHARTS).append('/').append(Html.esc(base)).append(".png\" width=\"")
            .append(image.width()).append("\" height=\"").append(image.height()).append("\" alt=\"")
            .append(Html.esc(image.alt())).append("\">\n<figcaption>").append(Html.esc(chart.spec().title()))
            .append(" <span class=\"svg-link\">· <a href=\"").append(CHARTS).append('/').append(Html.esc(base))
            .append(".svg\">SVG</a></span></figcaption>\n</figure>\n");
      }
      for (HtmlReport.Table table : section.tables()) {
        table(html, table);
      }
      html.append("</section>\n");
    }
    html.append("</main>\n<footer>ParkLake · ").append(Html.esc(report.name())).append(" · ")
        .append(Html.esc(report.period())).append("</footer>\n</div>\n</body>\n</html>\n");
    Files.writeString(dir.resolve(PAGE), html, StandardCharsets.UTF_8);

    ObjectNode info = JSON.createObjectNode();
    info.put("report", report.name());
    info.put("title", report.title());
    info.put("period", report.period());
    info.put("generated_at", report.generatedAt().toString());
    Files.writeString(dir.resolve(PERIOD_INFO), JSON.writeValueAsString(info) + "\n", StandardCharsets.UTF_8);
  }

  /** Rebuilds {@code <root>/index.html} from the report periods present on disk. */
  public static void writeIndex(Path root) throws IOException {
    Map<String, List<PeriodInfo>> byReport = scan(root);
    StringBuilder html = new StringBuilder(8_192);
    head(html, "ParkLake reports");
    html.append("<header>\n<h1>ParkLake reports</h1>\n");
    byReport.values().stream().flatMap(List::stream).map(PeriodInfo::generatedAt)
        .filter(i -> i != null).max(Comparator.naturalOrder())
        .ifPresent(latest -> html.append("<p class=\"meta\">Latest data generated ").append(Html.instant(latest))
            .append("</p>\n"));
    html.append("</header>\n<main>\n");
    if (byReport.isEmpty()) {
      html.append("<p>No reports have been published yet.</p>\n");
    }
    for (List<PeriodInfo> periods : byReport.values()) {
      PeriodInfo newest = periods.get(0);
      html.append("<section class=\"report\">\n<h2>").append(Html.esc(newest.title())).append("</h2>\n")
          .append("<p class=\"meta\">").append(periods.size()).append(periods.size() == 1 ? " period" : " periods")
          .append(", newest first</p>\n<ul class=\"periods\">\n");
      for (PeriodInfo p : periods) {
        html.append("<li><a href=\"").append(Html.esc(p.report())).append('/').append(Html.esc(p.period()))
            .append("/index.html\"");
        if (p.generatedAt() != null) {
          html.append(" title=\"generated ").append(Html.instant(p.generatedAt())).append('"');
        }
        html.append('>').append(Html.esc(p.period())).append("</a></li>\n");
      }
      html.append("</ul>\n</section>\n");
    }
    html.append("</main>\n<footer>ParkLake</footer>\n</div>\n</body>\n</html>\n");
    Files.createDirectories(root);
    Path tmp = root.resolve(".index.html.tmp");
    Files.writeString(tmp, html, StandardCharsets.UTF_8);
    Files.move(tmp, root.resolve(PAGE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void head(StringBuilder html, String title) {
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"ParkLake\">\n<title>").append(Html.esc(title))
        .append("</title>\n<style>\n").append(SiteStyle.CSS).append("</style>\n</head>\n<body>\n<div class=\"page\">\n");
  }

  private static void table(StringBuilder html, HtmlReport.Table spec) {
    ReportTable table = spec.table();
    List<Column> columns = table.columns();
    int currencyCol = spec.currencyColumn() == null ? -1 : table.indexOf(spec.currencyColumn());
    html.append("<div class=\"table-wrap\">\n<table>\n<caption>").append(Html.esc(spec.caption()))
        .append("</caption>\n<thead>\n<tr>");
    for (Column column : columns) {
      html.append("<th scope=\"col\"").append(Html.numeric(column.kind()) ? " class=\"num\"" : "").append('>')
          .append(Html.esc(Html.heading(column.name()))).append("</th>");
    }
    html.append("</tr>\n</thead>\n<tbody>\n");
    for (Object[] row : table.rows()) {
      String currency = currencyCol < 0 || row[currencyCol] == null ? null : row[currencyCol].toString();
      html.append("<tr>");
      for (int c = 0; c < columns.size(); c++) {
        cell(html, "td", Html.format(row[c], columns.get(c).kind(), currency), columns.get(c).kind());
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n");
    if (spec.totals() && !table.rows().isEmpty()) {
      html.append("<tfoot>\n");
      for (Map.Entry<String, Number[]> total : totals(table, currencyCol).entrySet()) {
        html.append("<tr>");
        for (int c = 0; c < columns.size(); c++) {
          Kind kind = columns.get(c).kind();
          if (c == 0) {
            String label = total.getKey().isEmpty() ? "Total" : "Total " + total.getKey();
            html.append("<th scope=\"row\">").append(Html.esc(label)).append("</th>");
          } else if (c == currencyCol) {
            cell(html, "td", total.getKey(), Kind.TEXT);
          } else {
            Number sum = total.getValue()[c];
            cell(html, "td", sum == null ? "" : Html.format(sum, kind, total.getKey()), kind);
          }
        }
        html.append("</tr>\n");
      }
      html.append("</tfoot>\n");
    }
    html.append("</table>\n</div>\n");
  }

  private static void cell(StringBuilder html, String tag, String text, Kind kind) {
    html.append('<').append(tag).append(Html.numeric(kind) ? " class=\"num\">" : ">").append(Html.esc(text))
        .append("</").append(tag).append('>');
  }

  /**
   * Sums of MONEY (exact, BigDecimal) and INTEGER columns per currency, in first-seen order; the key
   * is "" when the table has no currency column. Rates and percentages are not summed.
   */
  private static Map<String, Number[]> totals(ReportTable table, int currencyCol) {
    Map<String, Number[]> sums = new LinkedHashMap<>();
    List<Column> columns = table.columns();
    for (Object[] row : table.rows()) {
      String key = currencyCol < 0 || row[currencyCol] == null ? "" : row[currencyCol].toString();
      Number[] acc = sums.computeIfAbsent(key, k -> new Number[columns.size()]);
      for (int c = 0; c < columns.size(); c++) {
        if (row[c] == null) {
          continue;
        }
        if (columns.get(c).kind() == Kind.MONEY) {
          acc[c] = (acc[c] == null ? BigDecimal.ZERO : (BigDecimal) acc[c]).add((BigDecimal) row[c]);
        } else if (columns.get(c).kind() == Kind.INTEGER) {
          acc[c] = (acc[c] == null ? 0L : acc[c].longValue()) + ((Number) row[c]).longValue();
        }
      }
    }
    return sums;
  }

  private record PeriodInfo(String report, String title, String period, Instant generatedAt) {}

  /** Report folder → its periods, newest first; reports ordered by title. Hidden folders are in-flight swaps. */
  private static Map<String, List<PeriodInfo>> scan(Path root) throws IOException {
    List<List<PeriodInfo>> reports = new ArrayList<>();
    if (Files.isDirectory(root)) {
      for (Path reportDir : visibleDirectories(root)) {
        List<PeriodInfo> periods = new ArrayList<>();
        for (Path periodDir : visibleDirectories(reportDir)) {
          if (Files.isRegularFile(periodDir.resolve(PAGE))) {
            periods.add(read(reportDir.getFileName().toString(), periodDir));
          }
        }
        if (!periods.isEmpty()) {
          periods.sort(Comparator.comparing((PeriodInfo p) -> periodStart(p.period()))
              .thenComparing(PeriodInfo::period).reversed());
          reports.add(periods);
        }
      }
    }
    reports.sort(Comparator.comparing((List<PeriodInfo> r) -> r.get(0).title().toLowerCase(java.util.Locale.ROOT))
        .thenComparing(r -> r.get(0).report()));
    Map<String, List<PeriodInfo>> result = new LinkedHashMap<>();
    reports.forEach(r -> result.put(r.get(0).report(), r));
    return result;
  }

  private static List<Path> visibleDirectories(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  private static PeriodInfo read(String report, Path periodDir) {
    String period = periodDir.getFileName().toString();
    Path info = periodDir.resolve(PERIOD_INFO);
    if (Files.isRegularFile(info)) {
      try {
        JsonNode node = JSON.readTree(info.toFile());
        return new PeriodInfo(report, node.path("title").asText(report), period,
            node.hasNonNull("generated_at") ? Instant.parse(node.get("generated_at").asText()) : null);
      } catch (IOException | DateTimeParseException e) {
        // A damaged period.json must not take the whole index down; the page is still linked.
      }
    }
    return new PeriodInfo(report, report, period, null);
  }

  private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

  /** Orders periods by the day they start, whatever their label; labels that are not dates sort last. */
  static LocalDate periodStart(String period) {
    try {
      Matcher week = WEEK.matcher(period);
      if (week.matches()) {
        return LocalDate.of(Integer.parseInt(week.group(1)), 1, 4)
            .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Integer.parseInt(week.group(2)))
            .with(java.time.DayOfWeek.MONDAY);
      }
      if (period.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(period);
      }
      if (period.matches("\\d{4}-\\d{2}")) {
        return YearMonth.parse(period).atDay(1);
      }
    } catch (RuntimeException e) {
      // Falls through: an odd label is listed, just not in date order.
    }
    return LocalDate.MIN;
  }
}
