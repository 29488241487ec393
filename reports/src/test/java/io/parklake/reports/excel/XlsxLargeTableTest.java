package io.parklake.reports.excel;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.reports.excel.XlsxReportWriter.BarChart;
import io.parklake.reports.excel.XlsxReportWriter.LineChart;
import io.parklake.reports.excel.XlsxReportWriter.Sheet;
import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FormulaEvaluator;
import org.apache.poi.util.DefaultTempFileCreationStrategy;
import org.apache.poi.util.TempFile;
import org.apache.poi.util.TempFileCreationStrategy;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFRelation;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openxmlformats.schemas.drawingml.x2006.chart.CTPlotArea;
import org.openxmlformats.schemas.drawingml.x2006.chart.ChartSpaceDocument;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Tables far larger than a report usually holds: streamed with bounded memory, read back with POI's
 * streaming reader (an in-memory XSSFWorkbook of 300,000 rows would need gigabytes).
 */
class XlsxLargeTableTest {
  @TempDir Path dir;

  static final int ROWS = 300_000;
  static final String[] CURRENCIES = {"EUR", "USD", "BRL"};
  static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);

  // The table's values are functions of the row number, so the test can sum them without the table.
  static String facility(int i) {
    return "Facility " + (i % 37);
  }

  static String currency(int i) {
    return CURRENCIES[i % CURRENCIES.length];
  }

  static LocalDate day(int i) {
    return FIRST_DAY.plusDays(i % 700);
  }

  static BigDecimal gross(int i) {
    return BigDecimal.valueOf((i * 7_919L) % 1_000_000, 2);
  }

  static BigDecimal refunds(int i) {
    return i % 10 == 0 ? null : BigDecimal.valueOf(i % 1_000, 2);
  }

  static long payments(int i) {
    return 1 + i % 5;
  }

  static ReportTable paymentsTable(int rows) {
    LocalDate[] days = new LocalDate[700];
    for (int d = 0; d < days.length; d++) {
      days[d] = FIRST_DAY.plusDays(d);
    }
    List<Object[]> out = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      out.add(new Object[] {facility(i).intern(), currency(i), days[i % 700], gross(i), refunds(i), payments(i)});
    }
    return new ReportTable(List.of(new Column("facility_name", Kind.TEXT), new Column("currency", Kind.TEXT),
        new Column("local_date", Kind.DATE), new Column("gross", Kind.MONEY), new Column("refunds", Kind.MONEY),
        new Column("payments", Kind.INTEGER)), out);
  }

  @Test
  void given_300k_rows_when_written_then_rows_stream_through_temp_files_that_are_removed_and_every_row_cell_format_and_total_is_in_the_file()
      throws Exception {
    ReportTable table = paymentsTable(ROWS);
    Path file = dir.resolve("large.xlsx");
    CountingTempFiles temps = new CountingTempFiles(Files.createDirectories(dir.resolve("poi-tmp")).toFile());
    MemoryPoolMXBean oldGen = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.getName().contains("Old")).findFirst().orElse(null);
    System.gc();
    if (oldGen != null) {
      oldGen.resetPeakUsage();
    }
    long before = oldGen == null ? 0 : oldGen.getUsage().getUsed();
    long start = System.nanoTime();

    TempFile.withStrategy(temps, () -> {
      try {
        XlsxReportWriter.write(null, List.of(new Sheet("Payments", table, "currency", List.of(
            new BarChart("Gross by facility", "facility_name", "gross", "Gross"),
            new LineChart("Gross and refunds", "local_date", List.of("gross", "refunds"), "Amount")))), file);
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    // Informational only: heap figures depend on the collector and the machine, so they are not asserted.
    System.out.printf("XlsxLargeTableTest: %,d rows written in %d ms, %,d bytes; old gen %,d MB before, peak %,d MB%n",
        ROWS, (System.nanoTime() - start) / 1_000_000, Files.size(file),
        before >> 20, oldGen == null ? -1 : oldGen.getPeakUsage().getUsed() >> 20);
    assertThat(temps.created).as("SXSSF temp files").isNotEmpty();
    assertThat(temps.created).as("temp files left after the write").noneMatch(File::exists);
    assertThat(dir.resolve("large.xlsx.tmp")).doesNotExist();

    // Totals computed here from the row functions, not from the table or the writer.
    Map<String, BigDecimal[]> expected = new TreeMap<>();
    for (int i = 0; i < ROWS; i++) {
      BigDecimal[] t = expected.computeIfAbsent(currency(i), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
      t[0] = t[0].add(gross(i));
      t[1] = refunds(i) == null ? t[1] : t[1].add(refunds(i));
      t[2] = t[2].add(BigDecimal.valueOf(payments(i)));
    }

    int lastData = ROWS; // 0-based row index of the last data row; row 0 is the header
    try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
      XSSFReader reader = new XSSFReader(pkg);
      StylesTable styles = reader.getStylesTable();
      SheetScan scan = new SheetScan(r -> r <= 2 || r == ROWS / 2 || r >= lastData);
      XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
      List<String> names = new ArrayList<>();
      while (sheets.hasNext()) {
        try (InputStream in = sheets.next()) {
          names.add(sheets.getSheetName());
          XMLReader xml = XMLHelper.newXMLReader();
          xml.setContentHandler(scan);
          xml.parse(new InputSource(in));
        }
      }
      assertThat(names).containsExactly("Payments");
      assertThat(scan.rows).isEqualTo(1 + ROWS + CURRENCIES.length);
      assertThat(scan.lastRow).isEqualTo(ROWS + CURRENCIES.length);
      assertThat(Double.parseDouble(scan.frozenRows)).as("frozen rows").isEqualTo(1.0);
      assertThat(scan.autoFilter).isEqualTo("A1:F" + (ROWS + 1));

      assertThat(scan.cell(0, "A").text).isEqualTo("facility_name");
      for (int r : new int[] {1, 2, ROWS / 2, lastData}) {
        int i = r - 1;
        assertThat(scan.cell(r, "A").text).isEqualTo(facility(i));
        ScannedCell date = scan.cell(r, "C");
        assertThat(DateUtil.getLocalDateTime(date.number()).toLocalDate()).isEqualTo(day(i));
        assertThat(styles.getStyleAt(date.style).getDataFormatString()).isEqualTo("yyyy-mm-dd");
        ScannedCell gross = scan.cell(r, "D");
        assertThat(BigDecimal.valueOf(gross.number()).setScale(2, RoundingMode.HALF_EVEN)).isEqualTo(gross(i));
        assertThat(styles.getStyleAt(gross.style).getDataFormatString()).isEqualTo("#,##0.00");
        assertThat(scan.cell(r, "F").number()).isEqualTo((double) payments(i));
        assertThat(styles.getStyleAt(scan.cell(r, "F").style).getDataFormatString()).isEqualTo("#,##0");
      }

      Map<String, Integer> seen = new HashMap<>();
      for (int r = lastData + 1; r <= lastData + CURRENCIES.length; r++) {
        String currency = scan.cell(r, "B").text;
        assertThat(scan.cell(r, "A").text).isEqualTo("Total " + currency);
        BigDecimal[] t = expected.get(currency);
        String[] columns = {"D", "E", "F"};
        for (int k = 0; k < columns.length; k++) {
          ScannedCell total = scan.cell(r, columns[k]);
          String col = columns[k];
          assertThat(total.formula).isEqualTo("SUMIFS($" + col + "$2:$" + col + "$" + (ROWS + 1) + ",$B$2:$B$" + (ROWS + 1)
              + ",\"" + currency + "\")");
          assertThat(BigDecimal.valueOf(total.number()).setScale(2, RoundingMode.HALF_EVEN))
              .as("cached total %s of %s", col, currency).isEqualByComparingTo(t[k]);
        }
        seen.merge(currency, 1, Integer::sum);
      }
      assertThat(seen).containsOnlyKeys(CURRENCIES).allSatisfy((c, n) -> assertThat(n).isOne());

      List<CTPlotArea> charts = charts(pkg);
      assertThat(charts).hasSize(2);
      var bar = charts.get(0).getBarChartArray(0).getSerArray(0);
      assertThat(bar.getCat().getStrRef().getF()).isEqualTo("Payments!$A$2:$A$" + (ROWS + 1));
      assertThat(bar.getVal().getNumRef().getF()).isEqualTo("Payments!$D$2:$D$" + (ROWS + 1));
      // Past CHART_CACHE_POINTS the cache is left out and Excel draws from the cells.
      assertThat(bar.getVal().getNumRef().getNumCache().sizeOfPtArray()).isZero();
      var line = charts.get(1).getLineChartArray(0);
      assertThat(line.getSerArray(0).getCat().getNumRef().getF()).isEqualTo("Payments!$C$2:$C$" + (ROWS + 1));
      assertThat(line.getSerArray(1).getVal().getNumRef().getF()).isEqualTo("Payments!$E$2:$E$" + (ROWS + 1));
    }
  }

  @Test
  void given_more_rows_than_a_sheet_holds_then_they_continue_on_numbered_sheets_and_the_totals_sum_every_part()
      throws Exception {
    // A sheet of 10 rows: header, 7 data rows, 2 totals rows (EUR and USD) on the last part.
    ReportTable table = twoCurrencies(25);
    Path file = dir.resolve("split.xlsx");

    XlsxReportWriter.write(null, List.of(new Sheet("Payments", table, "currency",
        List.of(new BarChart("Gross", "facility_name", "gross", "Gross")))), file, 10);

    try (XSSFWorkbook wb = open(file)) {
      List<String> names = new ArrayList<>();
      wb.forEach(s -> names.add(s.getSheetName()));
      assertThat(names).containsExactly("Payments", "Payments (2)", "Payments (3)", "Payments (4)");
      List<Object> facilities = new ArrayList<>();
      for (String name : names) {
        XSSFSheet sheet = wb.getSheet(name);
        assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("facility_name");
        assertThat(sheet.getCTWorksheet().getSheetViews().getSheetViewArray(0).getPane().getYSplit()).isEqualTo(1.0);
        assertThat(sheet.getLastRowNum()).isLessThan(10);
        for (int r = 1; r <= sheet.getLastRowNum(); r++) {
          String a = sheet.getRow(r).getCell(0).getStringCellValue();
          if (!a.startsWith("Total ")) {
            facilities.add(a);
          }
        }
      }
      assertThat(facilities).isEqualTo(table.rows().stream().map(r -> r[0]).toList());

      XSSFSheet last = wb.getSheet("Payments (4)");
      assertThat(last.getLastRowNum()).isEqualTo(4 + 2);
      // Keys in order of first appearance: row 0 is USD.
      assertThat(last.getRow(5).getCell(0).getStringCellValue()).isEqualTo("Total USD");
      assertThat(last.getRow(6).getCell(0).getStringCellValue()).isEqualTo("Total EUR");
      Cell eur = last.getRow(6).getCell(3);
      assertThat(eur.getCellFormula()).isEqualTo("SUMIFS(Payments!$D$2:$D$8,Payments!$B$2:$B$8,\"EUR\")"
          + "+SUMIFS('Payments (2)'!$D$2:$D$8,'Payments (2)'!$B$2:$B$8,\"EUR\")"
          + "+SUMIFS('Payments (3)'!$D$2:$D$8,'Payments (3)'!$B$2:$B$8,\"EUR\")"
          + "+SUMIFS('Payments (4)'!$D$2:$D$5,'Payments (4)'!$B$2:$B$5,\"EUR\")");
      FormulaEvaluator evaluator = wb.getCreationHelper().createFormulaEvaluator();
      for (int r = 5; r <= 6; r++) {
        String currency = last.getRow(r).getCell(1).getStringCellValue();
        BigDecimal expected = table.rows().stream().filter(row -> row[1].equals(currency))
            .map(row -> (BigDecimal) row[3]).reduce(BigDecimal.ZERO, BigDecimal::add);
        Cell total = last.getRow(r).getCell(3);
        assertThat(BigDecimal.valueOf(total.getNumericCellValue()).setScale(2)).isEqualTo(expected);
        assertThat(BigDecimal.valueOf(evaluator.evaluate(total).getNumberValue()).setScale(2, RoundingMode.HALF_EVEN))
            .as("the formula, evaluated, agrees with the cached value").isEqualTo(expected);
      }

      List<XSSFChart> charts = wb.getSheet("Payments").getDrawingPatriarch().getCharts();
      assertThat(charts).hasSize(1);
      assertThat(charts.get(0).getChartSeries().get(0).getSeries(0).getValuesData().getDataRangeReference())
          .isEqualTo("Payments!$D$2:$D$8");
      assertThat(wb.getSheet("Payments (2)").getDrawingPatriarch()).isNull();
    }
  }

  @Test
  void given_a_long_sheet_name_then_continuation_names_stay_within_excels_31_characters() {
    String name = "Revenue by facility and payment method";
    assertThat(XlsxReportWriter.partName(name, 1)).isEqualTo("Revenue by facility and payment");
    assertThat(XlsxReportWriter.partName(name, 12)).isEqualTo("Revenue by facility and pa (12)").hasSizeLessThanOrEqualTo(31);
    assertThat(XlsxReportWriter.MAX_ROWS_PER_SHEET).isEqualTo(1_048_576);
  }

  @Test
  void given_a_small_chart_then_its_cache_holds_every_point_as_the_cells_do() throws Exception {
    Path file = dir.resolve("cache.xlsx");
    ReportTable table = twoCurrencies(12);
    XlsxReportWriter.write(null, List.of(new Sheet("Payments", table, null,
        List.of(new BarChart("Gross", "facility_name", "gross", "Gross")))), file);

    try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
      var series = charts(pkg).get(0).getBarChartArray(0).getSerArray(0);
      var values = series.getVal().getNumRef().getNumCache();
      var categories = series.getCat().getStrRef().getStrCache();
      assertThat(values.getPtCount().getVal()).isEqualTo(12);
      for (int i = 0; i < 12; i++) {
        assertThat(new BigDecimal(values.getPtArray(i).getV()).setScale(2)).isEqualTo(table.rows().get(i)[3]);
        assertThat(categories.getPtArray(i).getV()).isEqualTo(table.rows().get(i)[0]);
      }
    }
  }

  private static ReportTable twoCurrencies(int rows) {
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      out.add(new Object[] {"Facility " + i, i % 3 == 0 ? "USD" : "EUR", FIRST_DAY.plusDays(i),
          new BigDecimal(100 + i + "." + (10 + i)), BigDecimal.ONE, (long) i});
    }
    return new ReportTable(List.of(new Column("facility_name", Kind.TEXT), new Column("currency", Kind.TEXT),
        new Column("local_date", Kind.DATE), new Column("gross", Kind.MONEY), new Column("refunds", Kind.MONEY),
        new Column("payments", Kind.INTEGER)), out);
  }

  private static List<CTPlotArea> charts(OPCPackage pkg) throws Exception {
    List<PackagePart> parts = new ArrayList<>(pkg.getPartsByContentType(XSSFRelation.CHART.getContentType()));
    parts.sort((a, b) -> a.getPartName().compareTo(b.getPartName()));
    List<CTPlotArea> out = new ArrayList<>();
    for (PackagePart part : parts) {
      try (InputStream in = part.getInputStream()) {
        out.add(ChartSpaceDocument.Factory.parse(in).getChartSpace().getChart().getPlotArea());
      }
    }
    return out;
  }

  private static XSSFWorkbook open(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return new XSSFWorkbook(in);
    }
  }

  /** Records the temp files POI creates, so the test can see they were used and then removed. */
  private static final class CountingTempFiles implements TempFileCreationStrategy {
    final List<File> created = new ArrayList<>();
    private final DefaultTempFileCreationStrategy delegate;

    CountingTempFiles(File dir) {
      delegate = new DefaultTempFileCreationStrategy(dir);
    }

    @Override
    public File createTempFile(String prefix, String suffix) throws IOException {
      File f = delegate.createTempFile(prefix, suffix);
      created.add(f);
      return f;
    }

    @Override
    public File createTempDirectory(String prefix) throws IOException {
      return delegate.createTempDirectory(prefix);
    }
  }

  record ScannedCell(int style, String formula, String value, String text) {
    double number() {
      return Double.parseDouble(value);
    }
  }

  /** A SAX pass over a sheet's XML: counts rows, keeps the cells of the rows asked for, the pane and the filter. */
  private static final class SheetScan extends DefaultHandler {
    final java.util.function.IntPredicate keep;
    final Map<String, ScannedCell> cells = new HashMap<>();
    int rows;
    int lastRow = -1;
    String frozenRows;
    String autoFilter;
    private String ref;
    private int style;
    private StringBuilder text;
    private String formula;
    private String value;
    private String inline;
    private boolean keeping;

    SheetScan(java.util.function.IntPredicate keep) {
      this.keep = keep;
    }

    ScannedCell cell(int row, String col) {
      ScannedCell c = cells.get(col + (row + 1));
      assertThat(c).as("cell %s%d", col, row + 1).isNotNull();
      return c;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) {
      switch (localName) {
        case "row" -> {
          rows++;
          lastRow = Integer.parseInt(atts.getValue("r")) - 1;
          keeping = keep.test(lastRow);
        }
        case "c" -> {
          ref = atts.getValue("r");
          style = atts.getValue("s") == null ? 0 : Integer.parseInt(atts.getValue("s"));
          formula = value = inline = null;
        }
        case "f", "v", "t" -> text = keeping ? new StringBuilder() : null;
        case "pane" -> frozenRows = "frozen".equals(atts.getValue("state")) ? atts.getValue("ySplit") : null;
        case "autoFilter" -> autoFilter = atts.getValue("ref");
        default -> { }
      }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      if (text != null) {
        text.append(ch, start, length);
      }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
      if (!keeping) {
        return;
      }
      switch (localName) {
        case "f" -> formula = text.toString();
        case "v" -> value = text.toString();
        case "t" -> inline = text.toString();
        case "c" -> cells.put(ref, new ScannedCell(style, formula, value, inline));
        default -> { }
      }
      if (!"c".equals(localName)) {
        text = null;
      }
    }
  }
}
