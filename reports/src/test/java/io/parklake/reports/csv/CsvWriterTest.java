package io.parklake.reports.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvWriterTest {

  @Test
  void writes_rfc4180_with_crlf_quotes_iso_dates_and_plain_decimals() throws Exception {
    ReportTable table = new ReportTable(
        List.of(new Column("facility", Kind.TEXT), new Column("day", Kind.DATE), new Column("net", Kind.MONEY)),
        List.of(
            new Object[] {"Harbour, \"North\"", LocalDate.of(2026, 3, 29), new BigDecimal("1234567.50")},
            new Object[] {"Line\nbreak", LocalDate.of(2026, 10, 25), new BigDecimal("1E+2").setScale(2)},
            new Object[] {null, null, null}));
    StringWriter out = new StringWriter();
    CsvWriter.write(table, out);
    assertThat(out.toString()).isEqualTo(
        "facility,day,net\r\n"
            + "\"Harbour, \"\"North\"\"\",2026-03-29,1234567.50\r\n"
            + "\"Line\nbreak\",2026-10-25,100.00\r\n"
            + ",,\r\n");
  }
}
