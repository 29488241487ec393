package io.parklake.pipelines.marts;

import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A gold mart: one business question, its inputs, and how to compute its rows for a set of local
 * business dates. A new mart is one class implementing this, listed in
 * {@code META-INF/services/io.parklake.pipelines.marts.Mart}; the jobs find it through {@link Marts}.
 */
public interface Mart {

  /** The mart's name and its folder under {@code lake/gold}. */
  String name();

  /** Lake tables it reads, qualified ({@code silver.payments}). */
  List<String> inputs();

  /** The date column the mart is partitioned by; a run replaces exactly the dates it computed. */
  String dateColumn();

  /** The mart's rows for the local business dates {@code days} (never empty). */
  Dataset<Row> compute(MartContext context, SortedSet<LocalDate> days);
}
