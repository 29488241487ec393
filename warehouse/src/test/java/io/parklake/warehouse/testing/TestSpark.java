package io.parklake.warehouse.testing;

import io.parklake.warehouse.spark.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;

/** The one local Spark session of a test JVM (starting Spark costs seconds and a gigabyte). */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      try {
        session = SparkSessions.create("local[2]", Files.createTempDirectory("parklake-test-spark"));
        session.sparkContext().setLogLevel("WARN");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return session;
  }
}
