package io.parklake.reports.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.reports.table.ReportTable;
import io.parklake.reports.table.ReportTable.Column;
import io.parklake.reports.table.ReportTable.Kind;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.collection.immutable.ArraySeq;
import scala.jdk.javaapi.CollectionConverters;

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

  // Nested values are built as Spark hands them to Row.get: arrays as a Scala ArraySeq (Spark 4.0
  // gives scala.collection.mutable.ArraySeq$ofRef; any Scala Seq is written alike), maps as an
  // immutable Scala Map, structs as rows (GenericRowWithSchema when read from a Dataset).

  @Test
  void given_a_quarantine_rules_array_then_the_field_is_a_csv_quoted_json_array_of_the_rule_names() throws Exception {
    ReportTable table = new ReportTable(
        List.of(new Column("id", Kind.TEXT), new Column("_rules", Kind.TEXT)),
        List.of(
            new Object[] {"b1", scala.collection.mutable.ArraySeq.make(new String[] {"unknown_fk:user_id", "end_before_start"})},
            new Object[] {"b2", seq()},
            new Object[] {"b3", null}));
    StringWriter out = new StringWriter();
    CsvWriter.write(table, out);
    assertThat(out.toString()).isEqualTo(
        "id,_rules\r\n"
            + "b1,\"[\"\"unknown_fk:user_id\"\",\"\"end_before_start\"\"]\"\r\n"
            + "b2,[]\r\n"
            + "b3,\r\n");
  }

  @Test
  void given_strings_that_need_escaping_inside_an_array_then_they_are_json_escaped_then_csv_quoted() {
    Object value = seq("say \"hi\", then\nleave", "back\\slash", "Zürich\t€", null);
    assertThat(CsvWriter.field(value)).isEqualTo(
        "\"[\"\"say \\\"\"hi\\\"\", then\\nleave\"\",\"\"back\\\\slash\"\",\"\"Zürich\\t€\"\",null]\"");
  }

  @Test
  void given_a_map_then_the_field_is_a_json_object_in_the_maps_order_with_typed_values() {
    Map<Object, Object> entries = new LinkedHashMap<>();
    entries.put("net", new BigDecimal("1E+2").setScale(2));
    entries.put("bookings", 12L);
    entries.put("share", 0.25d);
    entries.put("ratio", Double.NaN);
    assertThat(CsvWriter.field(scalaMap(entries)))
        .isEqualTo("\"{\"\"net\"\":100.00,\"\"bookings\"\":12,\"\"share\"\":0.25,\"\"ratio\"\":\"\"NaN\"\"}\"");
    Map<Object, Object> numericKeys = new LinkedHashMap<>();
    numericKeys.put(7, "seven");
    numericKeys.put(LocalDate.of(2026, 11, 21), true);
    assertThat(CsvWriter.field(scalaMap(numericKeys))).isEqualTo("\"{\"\"7\"\":\"\"seven\"\",\"\"2026-11-21\"\":true}\"");
  }

  @Test
  void given_a_struct_with_a_schema_then_the_field_is_a_json_object_by_field_name_with_nested_arrays_and_structs() {
    StructType point = new StructType().add("lat", DataTypes.DoubleType).add("lon", DataTypes.DoubleType);
    StructType schema = new StructType()
        .add("name", DataTypes.StringType)
        .add("seen_at", DataTypes.TimestampType)
        .add("tags", DataTypes.createArrayType(DataTypes.StringType))
        .add("at", point)
        .add("note", DataTypes.StringType);
    Row struct = new GenericRowWithSchema(new Object[] {
        "Harbour", Timestamp.from(Instant.parse("2026-11-21T06:30:00Z")), seq("ev", "24h"),
        new GenericRowWithSchema(new Object[] {52.48, -1.9}, point), null}, schema);
    assertThat(CsvWriter.field(struct)).isEqualTo(
        "\"{\"\"name\"\":\"\"Harbour\"\",\"\"seen_at\"\":\"\"2026-11-21T06:30:00Z\"\",\"\"tags\"\":[\"\"ev\"\",\"\"24h\"\"],"
            + "\"\"at\"\":{\"\"lat\"\":52.48,\"\"lon\"\":-1.9},\"\"note\"\":null}\"");
  }

  @Test
  void given_a_struct_without_a_schema_or_an_array_of_structs_then_values_are_json_arrays_and_objects() {
    assertThat(CsvWriter.field(RowFactory.create("a", 1, null, false))).isEqualTo("\"[\"\"a\"\",1,null,false]\"");
    StructType pair = new StructType().add("rule", DataTypes.StringType).add("n", DataTypes.LongType);
    Object rows = seq(new GenericRowWithSchema(new Object[] {"end_before_start", 2L}, pair),
        new GenericRowWithSchema(new Object[] {"unknown_fk:user_id", 1L}, pair));
    assertThat(CsvWriter.field(rows)).isEqualTo(
        "\"[{\"\"rule\"\":\"\"end_before_start\"\",\"\"n\"\":2},{\"\"rule\"\":\"\"unknown_fk:user_id\"\",\"\"n\"\":1}]\"");
  }

  @Test
  void given_binary_then_the_field_is_base64_rather_than_a_java_array_name() {
    assertThat(CsvWriter.field(new byte[] {0, 1, 2, (byte) 0xff})).isEqualTo("AAEC/w==");
  }

  private static ArraySeq<Object> seq(Object... values) {
    return ArraySeq.unsafeWrapArray(values);
  }

  private static scala.collection.immutable.Map<Object, Object> scalaMap(Map<Object, Object> entries) {
    // Up to four entries an immutable Scala Map keeps insertion order (Map1..Map4), as Spark's small maps do.
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(entries));
  }
}
