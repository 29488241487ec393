package io.parklake.reports.catalog;

import io.parklake.reports.chart.ChartSpec;
import io.parklake.reports.csv.CsvWriter;
import io.parklake.reports.delivery.ReportPeriodWriter;
import io.parklake.reports.delivery.ReportPeriodWriter.Manifest;
import io.parklake.reports.delivery.S3ReportStore;
import io.parklake.reports.excel.XlsxReportWriter;
import io.parklake.reports.excel.XlsxReportWriter.NativeChart;
import io.parklake.reports.html.HtmlReport;
import io.parklake.reports.html.HtmlSiteWriter;
import io.parklake.reports.table.ReportTable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders a report definition for one period into {@code <root>/<report>/<period>/}: one workbook
 * (cover sheet with the headline figures, a sheet per table with native charts), one CSV per table,
 * and the HTML page with PNG/SVG charts, written into a fresh folder and swapped in atomically with a
 * manifest (files, sizes, SHA-256); then rebuilds {@code <root>/index.html} and, when given a store,
 * uploads the period under the same keys.
 */
public final class ReportRenderer {
  private static final Logger log = LoggerFactory.getLogger(ReportRenderer.class);

  private ReportRenderer() {}

  /** What a rendering produced. */
  public record Rendered(Report report, Period period, Path dir, Manifest manifest, ReportContent content) {
    public Path workbook() {
      return dir.resolve(report.name() + ".xlsx");
    }

    public Path page() {
      return dir.resolve(HtmlSiteWriter.PAGE);
    }
  }

  public static Rendered render(Report report, Period period, ReportSource source, Path root, Instant generatedAt,
      S3ReportStore store) throws IOException {
    check(report, List.of(period), source);
    long t0 = System.nanoTime();
    return write(report, period, report.build(source, period), root, generatedAt, store, t0);
  }

  /**
   * Fails naming the problem when {@code report} cannot be rendered for {@code periods} from
   * {@code source}: a period of another kind, or a mart it reads that does not exist yet.
   */
  public static void check(Report report, List<Period> periods, ReportSource source) {
    for (Period period : periods) {
      if (period.kind() != report.periodKind()) {
        throw new IllegalArgumentException(report.name() + " is a " + report.periodKind().name().toLowerCase()
            + "ly report; " + period.label() + " is a " + period.kind().name().toLowerCase());
      }
    }
    for (String mart : report.marts()) {
      if (!source.has(mart)) {
        throw new IllegalStateException(report.name() + " reads gold." + mart + ", which does not exist yet (run the nightly first)");
      }
    }
  }

  /**
   * Writes and delivers one period's content built already (by {@link Report#buildAll}, for the
   * periods of a backfill): what {@link #render} does after building.
   */
  public static Rendered write(Report report, Period period, ReportContent content, Path root, Instant generatedAt,
      S3ReportStore store) throws IOException {
    return write(report, period, content, root, generatedAt, store, System.nanoTime());
  }

  private static Rendered write(Report report, Period period, ReportContent content, Path root, Instant generatedAt,
      S3ReportStore store, long t0) throws IOException {
    Manifest manifest = ReportPeriodWriter.write(root, report.name(), period.label(), generatedAt, dir -> {
      writeWorkbook(report, period, generatedAt, content, dir.resolve(report.name() + ".xlsx"));
      for (ReportContent.Section s : content.sections()) {
        for (ReportContent.Table t : s.tables()) {
          CsvWriter.write(t.data(), dir.resolve(fileName(t.name()) + ".csv"));
        }
      }
      HtmlSiteWriter.renderInto(dir, html(report, period, generatedAt, content));
    });
    HtmlSiteWriter.writeIndex(root);
    Path dir = root.resolve(report.name()).resolve(period.label());
    if (store != null) {
      String prefix = report.name() + "/" + period.label();
      log.info("report {} {}: uploading {} files to s3://{}/{}/", report.name(), period.label(), manifest.files().size() + 2,
          store.bucket(), prefix);
      for (ReportPeriodWriter.FileEntry f : manifest.files()) {
        store.upload(dir.resolve(f.path()), prefix + "/" + f.path());
      }
      // The manifest goes last: a reader that finds it finds every file it lists.
      store.upload(dir.resolve(ReportPeriodWriter.MANIFEST), prefix + "/" + ReportPeriodWriter.MANIFEST);
      store.upload(root.resolve(HtmlSiteWriter.PAGE), HtmlSiteWriter.PAGE);
    }
    log.info("report {} {}: {} files in {} ({} s)", report.name(), period.label(), manifest.files().size() + 1, dir,
        String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    return new Rendered(report, period, dir, manifest, content);
  }

  static String fileName(String tableName) {
    return tableName.toLowerCase().replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
  }

  private static HtmlReport html(Report report, Period period, Instant generatedAt, ReportContent content) {
    List<HtmlReport.Figure> figures = content.headline().stream().map(h -> new HtmlReport.Figure(h.label(), h.formatted())).toList();
    List<HtmlReport.Section> sections = new ArrayList<>();
    for (ReportContent.Section s : content.sections()) {
      List<HtmlReport.Chart> charts = new ArrayList<>();
      List<HtmlReport.Table> tables = new ArrayList<>();
      for (ReportContent.Table t : s.tables()) {
        if (!t.data().rows().isEmpty()) {
          t.charts().forEach(c -> charts.add(new HtmlReport.Chart(t.data(), c)));
        }
        HtmlReport.Table table = HtmlReport.Table.of(t.caption(), t.data());
        if (t.currencyColumn() != null) {
          table = table.withCurrencyColumn(t.currencyColumn());
        }
        tables.add(t.totals() ? table.withTotals() : table);
      }
      sections.add(new HtmlReport.Section(s.heading(), s.intro(), charts, tables));
    }
    return new HtmlReport(report.name(), report.title(), period.label(), generatedAt, figures, sections);
  }

  private static void writeWorkbook(Report report, Period period, Instant generatedAt, ReportContent content, Path file)
      throws IOException {
    List<XlsxReportWriter.CoverFigure> figures = content.headline().stream()
        .map(h -> new XlsxReportWriter.CoverFigure(h.label(), h.value(), h.kind(), h.unit())).toList();
    List<XlsxReportWriter.Sheet> sheets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    names.add(XlsxReportWriter.COVER_SHEET);
    for (ReportContent.Section s : content.sections()) {
      for (ReportContent.Table t : s.tables()) {
        List<NativeChart> charts = new ArrayList<>();
        List<XlsxReportWriter.Sheet> extra = new ArrayList<>();
        // An empty table gets no chart: there is nothing to draw, and an empty range is not a valid series.
        for (ChartSpec c : t.data().rows().isEmpty() ? List.<ChartSpec>of() : t.charts()) {
          switch (c.kind()) {
            case BAR -> charts.add(new XlsxReportWriter.BarChart(c.title(), c.xColumn(), c.valueColumn(), c.yAxisLabel()));
            case PIE -> charts.add(new XlsxReportWriter.PieChart(c.title(), c.xColumn(), c.valueColumn()));
            case LINE, HEATMAP -> {
              // Excel charts take one column per series: the long table is pivoted onto its own sheet.
              ReportTable wide = pivot(t.data(), c.xColumn(), c.seriesColumn(), c.valueColumn());
              List<NativeChart> pivotCharts = c.kind() == ChartSpec.Kind.LINE
                  ? List.of(new XlsxReportWriter.LineChart(c.title(), c.xColumn(),
                      wide.columns().subList(1, wide.columns().size()).stream().map(ReportTable.Column::name).toList(),
                      c.yAxisLabel()))
                  : List.of();
              extra.add(new XlsxReportWriter.Sheet(unique(names, t.name() + " chart"), wide, null, pivotCharts));
            }
            default -> throw new IllegalStateException("unknown chart kind " + c.kind());
          }
        }
        sheets.add(new XlsxReportWriter.Sheet(unique(names, t.name()), t.data(), t.totals() ? t.currencyColumn() : null, charts));
        sheets.addAll(extra);
      }
    }
    XlsxReportWriter.write(new XlsxReportWriter.Cover(report.title(), period.label(), generatedAt, figures), sheets, file);
  }

  /** A sheet name Excel accepts (at most 31 characters, no []:*?/\) not used yet in the workbook. */
  private static String unique(Set<String> used, String wanted) {
    String base = wanted.replaceAll("[\\[\\]:*?/\\\\]", " ");
    base = base.length() > 28 ? base.substring(0, 28) : base;
    String name = base;
    for (int i = 2; !used.add(name); i++) {
      name = base + " " + i;
    }
    return name;
  }

  /** Long to wide: one row per x value (in first-seen order), one column per series value. */
  static ReportTable pivot(ReportTable table, String xColumn, String seriesColumn, String valueColumn) {
    int x = table.indexOf(xColumn);
    int s = table.indexOf(seriesColumn);
    int v = table.indexOf(valueColumn);
    List<String> series = Tables.distinct(table, seriesColumn);
    Map<Object, Object[]> rows = new LinkedHashMap<>();
    for (Object[] r : table.rows()) {
      Object[] row = rows.computeIfAbsent(r[x], k -> {
        Object[] fresh = new Object[series.size() + 1];
        fresh[0] = k;
        return fresh;
      });
      row[1 + series.indexOf(String.valueOf(r[s]))] = r[v];
    }
    List<ReportTable.Column> columns = new ArrayList<>();
    columns.add(table.columns().get(x));
    ReportTable.Kind kind = table.columns().get(v).kind();
    series.forEach(name -> columns.add(new ReportTable.Column(name, kind)));
    return new ReportTable(List.copyOf(columns), new ArrayList<>(rows.values()));
  }
}
