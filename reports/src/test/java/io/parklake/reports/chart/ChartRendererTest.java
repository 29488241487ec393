package io.parklake.reports.chart;

import static io.parklake.reports.chart.ChartFixtures.byMethod;
import static io.parklake.reports.chart.ChartFixtures.revenueDaily;
import static io.parklake.reports.chart.ChartFixtures.utilisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PiePlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class ChartRendererTest {

  static Stream<Arguments> everyKind() {
    return Stream.of(
        Arguments.of(revenueDaily(), ChartFixtures.revenueLine()),
        Arguments.of(byMethod(), ChartFixtures.methodBars()),
        Arguments.of(byMethod(), ChartSpec.bar("Net by facility", "facility_name", null, "net", "Facility", "Net revenue (EUR)")),
        Arguments.of(byMethod(), ChartFixtures.facilityPie()),
        Arguments.of(utilisation(), ChartFixtures.utilisationHeatmap()));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyKind")
  void given_a_spec_when_rendered_as_png_then_it_opens_at_the_requested_size_with_a_white_background_and_ink(
      ReportTable table, ChartSpec spec) throws Exception {
    byte[] png = ChartRenderer.png(table, spec.withSize(800, 450));

    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(450);
    assertThat(new Color(image.getRGB(1, 1))).isEqualTo(Color.WHITE);
    Set<Integer> colours = new HashSet<>();
    int nonWhite = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        nonWhite += rgb == 0xFFFFFF ? 0 : 1;
      }
    }
    assertThat(colours).as("distinct colours (anti-aliased text and series)").hasSizeGreaterThan(20);
    assertThat(nonWhite).as("sampled pixels that are not background").isGreaterThan(2_000);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyKind")
  void given_a_spec_when_rendered_as_svg_then_it_is_well_formed_xml_with_the_title_and_axis_titles_as_text(
      ReportTable table, ChartSpec spec) throws Exception {
    String svg = ChartRenderer.svg(table, spec);

    Document doc = xml().parse(new InputSource(new StringReader(svg)));
    assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
    assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    String text = texts(doc);
    assertThat(text).contains(spec.title());
    Stream.of(spec.xAxisLabel(), spec.yAxisLabel(), spec.valueLabel())
        .filter(label -> label != null)
        .forEach(label -> assertThat(text).contains(label));
  }

  @Test
  void given_daily_money_when_drawn_as_line_then_ticks_are_iso_dates_and_money_has_two_decimals_with_separators()
      throws Exception {
    String svg = ChartRenderer.svg(revenueDaily(), ChartFixtures.revenueLine());
    String text = texts(xml()
        .parse(new InputSource(new StringReader(svg))));

    // Ticks every second day from the 2nd; under America/Sao_Paulo a zone bug would print the day before.
    assertThat(text).contains("2026-10-02", "2026-10-14").doesNotContain("2026-10-01", "2026-10-13").doesNotContain("Oct");
    assertThat(text).containsPattern("\\b1,[0-9]{3}\\.[0-9]{2}\\b");
  }

  @Test
  void given_a_font_request_when_built_then_ticks_are_at_least_12pt_sans_and_the_title_is_16pt_bold() {
    JFreeChart chart = ChartRenderer.build(revenueDaily(), ChartFixtures.revenueLine());
    XYPlot plot = chart.getXYPlot();

    assertThat(chart.getTitle().getFont().getSize()).isEqualTo(16);
    assertThat(chart.getTitle().getFont().isBold()).isTrue();
    assertThat(chart.getTitle().getFont().getFamily()).isIn("SansSerif", "Dialog", "DejaVu Sans");
    assertThat(plot.getDomainAxis().getTickLabelFont().getSize()).isGreaterThanOrEqualTo(12);
    assertThat(plot.getRangeAxis().getTickLabelFont().getSize()).isGreaterThanOrEqualTo(12);
    assertThat(plot.getRangeAxis().getLabel()).isEqualTo("Net revenue (EUR)");
    assertThat(plot.getBackgroundPaint()).isEqualTo(Color.WHITE);
    assertThat(chart.getAntiAlias()).isTrue();
  }

  @Test
  void given_one_facility_in_three_chart_kinds_then_it_has_the_same_colour_in_each() {
    XYPlot line = ChartRenderer.build(revenueDaily(), ChartFixtures.revenueLine()).getXYPlot();
    CategoryPlot bars = ChartRenderer.build(byMethod(), ChartFixtures.methodBars()).getCategoryPlot();
    @SuppressWarnings("unchecked")
    PiePlot<String> pie = (PiePlot<String>) ChartRenderer.build(byMethod(), ChartFixtures.facilityPie()).getPlot();

    for (String facility : ChartFixtures.FACILITIES) {
      Color expected = FacilityPalette.assign(ChartFixtures.FACILITIES).get(facility).awt();
      XYDataset xy = line.getDataset();
      int lineIndex = xy.indexOf(facility);
      int barIndex = bars.getDataset().getRowIndex(facility);
      assertThat(line.getRenderer().getSeriesPaint(lineIndex)).as(facility + " line").isEqualTo(expected);
      assertThat(bars.getRenderer().getSeriesPaint(barIndex)).as(facility + " bar").isEqualTo(expected);
      assertThat(pie.getSectionPaint(facility)).as(facility + " slice").isEqualTo(expected);
    }
  }

  @Test
  void given_plain_bars_per_facility_then_each_bar_takes_its_facility_colour() {
    CategoryPlot bars = ChartRenderer.build(byMethod(),
        ChartSpec.bar("Net by facility", "facility_name", null, "net", "Facility", "Net (EUR)")).getCategoryPlot();

    CategoryDataset data = bars.getDataset();
    for (int c = 0; c < data.getColumnCount(); c++) {
      String facility = (String) data.getColumnKey(c);
      assertThat(bars.getRenderer().getItemPaint(0, c))
          .isEqualTo(FacilityPalette.assign(ChartFixtures.FACILITIES).get(facility).awt());
    }
  }

  @Test
  void given_money_rows_sharing_a_key_when_built_then_the_dataset_holds_their_exact_big_decimal_sum() {
    ReportTable table = new ReportTable(
        List.of(new Column("facility", Kind.TEXT), new Column("day", Kind.DATE), new Column("net", Kind.MONEY)),
        List.of(
            new Object[] {"Harbour", LocalDate.of(2026, 10, 1), new BigDecimal("0.10")},
            new Object[] {"Harbour", LocalDate.of(2026, 10, 1), new BigDecimal("0.20")},
            new Object[] {"Harbour", LocalDate.of(2026, 10, 2), new BigDecimal("1234567.89")}));

    XYDataset line = ChartRenderer.build(table, ChartSpec.line("t", "day", "facility", "net", "Day", "EUR")).getXYPlot()
        .getDataset();
    CategoryDataset bars = ChartRenderer.build(table, ChartSpec.bar("t", "facility", null, "net", "F", "EUR"))
        .getCategoryPlot().getDataset();

    assertThat(line.getY(0, 0)).isInstanceOf(BigDecimal.class).isEqualTo(new BigDecimal("0.30"));
    assertThat(line.getY(0, 1)).isEqualTo(new BigDecimal("1234567.89"));
    assertThat(bars.getValue(0, 0)).isEqualTo(new BigDecimal("1234568.19"));
  }

  @Test
  void given_weekday_by_hour_utilisation_when_drawn_as_heatmap_then_cells_sit_on_the_grid_with_a_percent_legend() {
    JFreeChart chart = ChartRenderer.build(utilisation(), ChartFixtures.utilisationHeatmap());
    XYDataset data = chart.getXYPlot().getDataset();

    assertThat(data.getItemCount(0)).isEqualTo(7 * 24);
    assertThat(data.getXValue(0, 13)).isEqualTo(13.0);
    assertThat(data.getYValue(0, 24 * 6)).as("Sun is the seventh row").isEqualTo(6.0);
    PaintScaleLegend legend = (PaintScaleLegend) chart.getSubtitles().stream()
        .filter(t -> t instanceof PaintScaleLegend).findFirst().orElseThrow();
    assertThat(legend.getScale().getLowerBound()).isEqualTo(0.0);
    assertThat(legend.getScale().getUpperBound()).isEqualTo(1.0);
    assertThat(legend.getAxis().getLabel()).isEqualTo("Utilisation");
  }

  @Test
  void given_a_text_value_column_when_built_then_the_error_names_the_chart_and_column() {
    assertThatThrownBy(() -> ChartRenderer.build(byMethod(),
        ChartSpec.pie("Share by method", "facility_name", "method")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chart 'Share by method' plots column 'method', which is TEXT; "
            + "choose a MONEY, INTEGER, NUMBER or PERCENT column");
  }

  @Test
  void given_a_directory_when_written_then_png_and_svg_sit_side_by_side_with_alt_text(@TempDir Path dir)
      throws Exception {
    ChartImage image = ChartRenderer.write(revenueDaily(), ChartFixtures.revenueLine(), dir, "net-by-facility");

    assertThat(image.png()).isEqualTo(dir.resolve("net-by-facility.png"));
    assertThat(image.svg()).isEqualTo(dir.resolve("net-by-facility.svg"));
    assertThat(ImageIO.read(image.png().toFile()).getWidth()).isEqualTo(ChartSpec.DEFAULT_WIDTH);
    assertThat(Files.readString(image.svg())).contains("Net revenue by facility");
    assertThat(image.alt())
        .isEqualTo("Line chart: Net revenue by facility (Net revenue (EUR) by Local date, one series per facility_name)");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "net-by-facility.png", "net-by-facility.svg");
    }
  }

  /** A parser that refuses DTDs: the SVG must stand alone, without fetching anything. */
  private static javax.xml.parsers.DocumentBuilder xml() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder();
  }

  private static String texts(Document doc) {
    NodeList nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < nodes.getLength(); i++) {
      s.append(nodes.item(i).getTextContent()).append('\n');
    }
    return s.toString();
  }
}
