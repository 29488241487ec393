package io.parklake.reports.publish;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/** One gold column as it is published: its name, how its values are written to COPY, and its PostgreSQL type. */
record PgColumn(String name, Kind kind, String pgType) {

  /** PostgreSQL silently truncates longer identifiers, which could make two columns collide. */
  static final int MAX_IDENTIFIER_BYTES = 63;

  enum Kind { TEXT, DATE, TIMESTAMP, DECIMAL, BIGINT, INTEGER, DOUBLE, BOOLEAN }

  /**
   * The published columns of a mart, in gold order. Fails on the first column whose type has no
   * mapping, naming mart and column, so that nothing is loaded for a mart that cannot be published.
   */
  static List<PgColumn> of(String mart, StructType schema) {
    List<PgColumn> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      if (field.name().getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
        throw new IllegalArgumentException("mart '" + mart + "': column name '" + field.name()
            + "' is longer than PostgreSQL's " + MAX_IDENTIFIER_BYTES + "-byte identifier limit; rename it in the mart");
      }
      columns.add(of(mart, field));
    }
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("mart '" + mart + "' has no columns");
    }
    return columns;
  }

  private static PgColumn of(String mart, StructField field) {
    DataType type = field.dataType();
    String name = field.name();
    if (type instanceof StringType) {
      return new PgColumn(name, Kind.TEXT, "text");
    } else if (type instanceof DateType) {
      return new PgColumn(name, Kind.DATE, "date");
    } else if (type instanceof TimestampType) {
      // Spark timestamps are instants (shown in the session zone), which is what timestamptz stores.
      return new PgColumn(name, Kind.TIMESTAMP, "timestamptz");
    } else if (type instanceof DecimalType d) {
      return new PgColumn(name, Kind.DECIMAL, "numeric(" + d.precision() + "," + d.scale() + ")");
    } else if (type instanceof LongType) {
      return new PgColumn(name, Kind.BIGINT, "bigint");
    } else if (type instanceof IntegerType) {
      return new PgColumn(name, Kind.INTEGER, "integer");
    } else if (type instanceof DoubleType) {
      return new PgColumn(name, Kind.DOUBLE, "double precision");
    } else if (type instanceof BooleanType) {
      return new PgColumn(name, Kind.BOOLEAN, "boolean");
    }
    throw new IllegalArgumentException("mart '" + mart + "': column '" + name + "' has type " + type.simpleString()
        + ", which is not published to PostgreSQL (supported: string, date, timestamp, decimal, bigint, int, double,"
        + " boolean); cast it in the mart or leave the mart out of the published list");
  }
}
