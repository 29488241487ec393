package io.parklake.pipelines.extract;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SourceTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The extraction a job runs: every listed source table in dependency order (dimensions, then
 * bookings, violations, payments, camera events, audit logs), each from one source instant, then
 * optionally the hard-delete scan, then the reconciliation of every table against the source.
 */
public final class LakeExtraction {
  private final SparkSession spark;
  private final DatabaseAddress source;
  private final LakeLayout lake;
  private final ExtractionLedger ledger;
  private final FaultInjector faults;

  public LakeExtraction(SparkSession spark, DatabaseAddress source, DatabaseAddress meta, LakeLayout lake,
      FaultInjector faults) {
    this.spark = spark;
    this.source = source;
    this.lake = lake;
    this.ledger = new ExtractionLedger(meta);
    this.faults = faults;
  }

  public ExtractionLedger ledger() {
    return ledger;
  }

  /** Extracts the tables' changes up to the source's current time; returns per-table figures in order. */
  public List<ExtractStats> extract(List<SourceTable> tables, Duration lookBack, String runId) throws Exception {
    Instant sourceNow = sourceNow();
    TableExtractor extractor = new TableExtractor(spark, source, lake, ledger, faults);
    List<ExtractStats> stats = new ArrayList<>();
    for (SourceTable t : tables) {
      stats.add(extractor.extract(t, sourceNow, lookBack, runId));
    }
    return stats;
  }

  /**
   * Extracts one table's changes up to {@code sourceNow} (one instant for every table of a run, from
   * {@link #sourceNow()}): tables are independent, so a job can go on with the others when one fails.
   */
  public ExtractStats extract(SourceTable table, Instant sourceNow, Duration lookBack, String runId) throws Exception {
    return new TableExtractor(spark, source, lake, ledger, faults).extract(table, sourceNow, lookBack, runId);
  }

  /** Detects hard deletes of each table within business dates {@code [from, to]}, per table. */
  public java.util.Map<SourceTable, DeleteDetector.Deletions> detectDeletes(List<SourceTable> tables, LocalDate from,
      LocalDate to, String runId) throws Exception {
    DeleteDetector detector = new DeleteDetector(spark, source, lake, ledger);
    java.util.Map<SourceTable, DeleteDetector.Deletions> deleted = new java.util.LinkedHashMap<>();
    for (SourceTable t : tables) {
      deleted.put(t, detector.detect(t, from, to, runId));
    }
    return deleted;
  }

  /** Reconciles {@code table} on {@code dates} as of {@code high}; see {@link Reconciler}. */
  public void reconcile(SourceTable table, java.util.Set<LocalDate> dates, Instant high) throws Exception {
    new Reconciler(spark, source, lake).check(table, dates, high);
  }

  /**
   * The SQL a first extraction of {@code table} runs against the source up to {@code high} (business
   * dates and foreign-key checks included): what a benchmark times PostgreSQL alone on.
   */
  public static String firstLoadQuery(SourceTable table, Instant high) {
    return SourceQueries.changes(table, null, high);
  }

  /** The source database's current time: the upper end of a run's change windows. */
  public Instant sourceNow() throws Exception {
    try (Connection c = source.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT now()")) {
      r.next();
      return r.getTimestamp(1).toInstant();
    }
  }
}
