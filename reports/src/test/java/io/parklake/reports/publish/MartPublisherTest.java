package io.parklake.reports.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The parts of publishing that need neither Spark nor PostgreSQL: type mapping, value text, descriptions. */
class MartPublisherTest {

  @Test
  void gold_types_map_to_postgres_types() {
    StructType schema = new StructType()
        .add("s", DataTypes.StringType).add("d", DataTypes.DateType).add("t", DataTypes.TimestampType)
        .add("m", DataTypes.createDecimalType(18, 2)).add("l", DataTypes.LongType).add("i", DataTypes.IntegerType)
        .add("x", DataTypes.DoubleType).add("b", DataTypes.BooleanType);

    assertThat(PgColumn.of("some_mart", schema)).extracting(PgColumn::pgType).containsExactly(
        "text", "date", "timestamptz", "numeric(18,2)", "bigint", "integer", "double precision", "boolean");
  }

  @Test
  void unmapped_type_fails_naming_mart_column_and_type() {
    StructType schema = new StructType().add("ok", DataTypes.LongType).add("ratio", DataTypes.FloatType);

    assertThatThrownBy(() -> PgColumn.of("occupancy_hourly", schema))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mart 'occupancy_hourly': column 'ratio' has type float");
  }

  @Test
  void doubles_are_written_as_text_that_parses_back_to_the_same_bits() {
    Random random = new Random(4511638);
    for (int i = 0; i < 200_000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (!Double.isNaN(d)) {
        assertThat(Double.doubleToRawLongBits(Double.parseDouble(CsvCopy.doubleText(d))))
            .as("text for %s", d).isEqualTo(Double.doubleToRawLongBits(d));
      }
    }
    assertThat(CsvCopy.doubleText(Double.NaN)).isEqualTo("NaN");
    assertThat(CsvCopy.doubleText(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    assertThat(CsvCopy.doubleText(-0.0)).isEqualTo("-0.0");
    // 2.0E-3 is one of JDK-4511638's examples of a non-shortest Double.toString on Java 17.
    assertThat(Double.parseDouble(CsvCopy.doubleText(2.0E-3))).isEqualTo(2.0E-3);
  }

  @Test
  void values_are_written_as_csv_that_keeps_empty_text_apart_from_null_and_money_exact() {
    StringBuilder out = new StringBuilder();
    CsvCopy.append(out, PgColumn.Kind.TEXT, "");
    out.append(',');
    CsvCopy.append(out, PgColumn.Kind.TEXT, "say \"hi\", \\.");
    out.append(',');
    CsvCopy.append(out, PgColumn.Kind.DECIMAL, new BigDecimal("1E-2").setScale(2));
    out.append(',');
    CsvCopy.append(out, PgColumn.Kind.DECIMAL, new BigDecimal("1234567.89"));
    out.append(',');
    CsvCopy.append(out, PgColumn.Kind.TIMESTAMP, Instant.parse("2018-11-04T03:00:00Z"));
    out.append(',');
    CsvCopy.append(out, PgColumn.Kind.DATE, LocalDate.of(2018, 11, 4));
    out.append(',');
    CsvCopy.append(out, PgColumn.Kind.BOOLEAN, true);

    assertThat(out).hasToString("\"\",\"say \"\"hi\"\", \\.\",0.01,1234567.89,2018-11-04T03:00:00Z,2018-11-04,t");
  }

  @Test
  void description_is_the_first_paragraph_of_the_mart_doc_without_markdown() {
    String doc = """
        # revenue_daily

        **Grain:** one row per facility × local day (the facility's own time zone).
        **Partitioned by:** `local_date`. **Inputs:** `silver.payments`.

        | column | type | meaning |
        | --- | --- | --- |
        """;

    assertThat(MartPublisher.descriptionFromDoc(doc)).isEqualTo(
        "Grain: one row per facility × local day (the facility's own time zone).\n"
            + "Partitioned by: local_date. Inputs: silver.payments.");
  }
}
