package io.parklake.pipelines.extract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.source.SourceTable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import io.parklake.warehouse.quality.QualityRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds rows hard-deleted in the source by comparing keys: silver's keys in a window of business
 * dates (all keys for dimensions) against the source's, then confirming each candidate is really
 * gone (a row whose date moved out of the window is not a deletion). Deleted keys are removed from
 * silver, recorded as {@code DELETE} tombstones in bronze and in {@code parklake.extraction_deletion},
 * and a dimension's current history version is closed.
 */
public final class DeleteDetector {
  private static final Logger log = LoggerFactory.getLogger(DeleteDetector.class);

  private final SparkSession spark;
  private final DatabaseAddress source;
  private final LakeLayout lake;
  private final ExtractionLedger ledger;

  public DeleteDetector(SparkSession spark, DatabaseAddress source, LakeLayout lake, ExtractionLedger ledger) {
    this.spark = spark;
    this.source = source;
    this.lake = lake;
    this.ledger = ledger;
  }

  /** The keys deleted and the business dates they were on (empty for dimensions). */
  public record Deletions(List<String> keys, Set<LocalDate> dates) {
    static final Deletions NONE = new Deletions(List.of(), Set.of());
  }

  /** Applies deletions of {@code table} within business dates {@code [from, to]}. */
  public Deletions detect(SourceTable table, LocalDate from, LocalDate to, String runId) throws Exception {
    String silverPath = lake.silver(table.tableName());
    if (!DeltaTables.exists(spark, silverPath)) {
      return Deletions.NONE;
    }
    Dataset<Row> silver = DeltaTables.read(spark, silverPath);
    if (table.isFact()) {
      silver = silver.where(col(SourceTable.BUSINESS_DATE).between(lit(from), lit(to)));
    }
    Dataset<Row> silverKeys = silver.select(col("id").cast("string").as("id"));
    Dataset<Row> sourceKeys = SourceReader.read(spark, source, SourceQueries.keys(table, from, to));
    List<String> candidates = silverKeys.join(sourceKeys, TableExtractor.scala("id"), "left_anti").as(Encoders.STRING())
        .collectAsList();
    if (candidates.isEmpty()) {
      return Deletions.NONE;
    }
    Set<String> stillThere = new HashSet<>();
    try (Connection c = source.open();
        PreparedStatement q = c.prepareStatement(SourceQueries.existing(table))) {
      Array keys = c.createArrayOf("text", candidates.toArray());
      q.setArray(1, keys);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          stillThere.add(r.getString(1));
        }
      }
    }
    List<String> deleted = new ArrayList<>(candidates);
    deleted.removeAll(stillThere);
    if (deleted.isEmpty()) {
      return Deletions.NONE;
    }
    deleted.sort(null);
    Dataset<Row> keys = spark.createDataset(deleted, Encoders.STRING()).toDF("id");
    Instant now = Instant.now();

    // Tombstones first: the silver delete below is the step that makes the deletion visible.
    String bronzePath = lake.bronze(table.tableName());
    Dataset<Row> gone = DeltaTables.read(spark, silverPath)
        .join(keys.withColumnRenamed("id", "_deleted_id"), col("id").cast("string").equalTo(col("_deleted_id")), "left_semi")
        .cache();
    Set<LocalDate> dates = table.isFact() ? new java.util.TreeSet<>(TableExtractor.distinctDates(gone)) : Set.of();
    if (DeltaTables.exists(spark, bronzePath)) {
      Dataset<Row> bronze = DeltaTables.read(spark, bronzePath);
      Dataset<Row> tombstones = gone
          .withColumn(QualityRules.RULES, functions.array().cast("array<string>"))
          .withColumn(TableExtractor.BATCH_ID, lit(-1L))
          .withColumn(TableExtractor.RUN_ID, lit(runId))
          .withColumn(TableExtractor.OPERATION, lit("DELETE"))
          .withColumn(TableExtractor.INGESTED_AT, functions.current_timestamp())
          .join(bronze.where(col(TableExtractor.OPERATION).equalTo("DELETE")).select("id"), TableExtractor.scala("id"),
              "left_anti");
      Column[] bronzeColumns = Arrays.stream(bronze.columns()).map(functions::col).toArray(Column[]::new);
      var writer = tombstones.select(bronzeColumns).write().format("delta").mode("append");
      if (table.isFact()) {
        writer = writer.partitionBy(SourceTable.BUSINESS_DATE);
      }
      writer.save(bronzePath);
    }
    DeltaTable.forPath(spark, silverPath).as("t")
        .merge(keys.as("s"), "CAST(t.id AS STRING) = s.id")
        .whenMatched().delete()
        .execute();
    if (!table.isFact()) {
      DimensionHistory.closeDeleted(spark, lake, table, keys, now);
    }
    ledger.recordDeletions(table, deleted, runId);
    log.info("deletes {}: {} key(s) deleted in the source between {} and {}", table.tableName(), deleted.size(), from, to);
    gone.unpersist();
    return new Deletions(deleted, dates);
  }
}
