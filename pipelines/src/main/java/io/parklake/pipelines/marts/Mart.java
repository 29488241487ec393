package io.parklake.pipelines.marts;

import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A gold mart: one business question, its inputs, and how to compute its rows. A new mart is one
 * class implementing this, listed in {@code META-INF/services/io.parklake.pipelines.marts.Mart}, with
 * a doc under {@code docs/marts/}; the jobs find it through {@link Marts}.
 *
 * <p>Most marts are partitioned by a date column (a local day, an ISO week's Monday or a month's first
 * day): a run recomputes only the partitions that the changed business dates of its inputs map to
 * ({@link #partitionsFor}) and replaces exactly those. A mart whose {@link #dateColumn()} is
 * {@code null} (customer-level marts, forecasts) is recomputed whole whenever any input changed.
 */
public interface Mart {

  /** The mart's name and its folder under {@code lake/gold}. */
  String name();

  /** Lake tables it reads, qualified ({@code silver.payments}, {@code gold.customer_activity_daily}). */
  List<String> inputs();

  /** The date column the mart is partitioned by, or {@code null} when it is replaced whole. */
  String dateColumn();

  /**
   * The partitions to recompute when the inputs changed on the business dates {@code changedDays}
   * (default: the same days). A weekly mart answers the Mondays of those days; an occupancy mart also
   * the following days a long stay reaches into.
   */
  default SortedSet<LocalDate> partitionsFor(SortedSet<LocalDate> changedDays) {
    return changedDays;
  }

  /** Whether the hourly job refreshes it too (cheap marts analysts watch during the day). */
  default boolean hourly() {
    return false;
  }

  /** The mart's rows for {@code partitions} (never empty; ignored by an unpartitioned mart). */
  Dataset<Row> compute(MartContext context, SortedSet<LocalDate> partitions);

  /**
   * For a mart replaced whole that can compute itself as of several dates in one go (a backfill's
   * reports of earlier dates read it as it stood on each, see {@link #computeAsOf}): the column
   * holding the as-of date of each row. Null (the default) when it computes one as-of date at a time.
   */
  default String asOfColumn() {
    return null;
  }

  /**
   * The mart's rows as of each of {@code days}, in one Dataset told apart by {@link #asOfColumn()};
   * each day's rows are those {@link #compute} gives with that day as {@link MartContext#asOf()}.
   */
  default Dataset<Row> computeAsOf(MartContext context, SortedSet<LocalDate> days) {
    throw new UnsupportedOperationException(name() + " is computed as of one date at a time");
  }
}
