package io.parklake.pipelines.extract;

import static org.apache.spark.sql.functions.col;

import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.DeltaTables;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.quality.QualityRules;
import io.parklake.warehouse.source.SourceTable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves an extraction lost and doubled nothing: per table and per affected business date, the row
 * count and every money sum of silver plus quarantine (the latest rejected version of keys not in
 * silver) equal the source's, counting only rows the lake has been given (changed at most at the
 * batch's high watermark; keys changed since are left out on both sides). A difference fails the
 * run, naming the table, the day and the difference.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
  private static final String ALL = "all";

  private final SparkSession spark;
  private final DatabaseAddress source;
  private final LakeLayout lake;

  public Reconciler(SparkSession spark, DatabaseAddress source, LakeLayout lake) {
    this.spark = spark;
    this.source = source;
    this.lake = lake;
  }

  /** Thrown when the lake and the source disagree. */
  public static final class ReconciliationException extends RuntimeException {
    public ReconciliationException(String message) {
      super(message);
    }
  }

  /** Row count and money sums of one table on one day. */
  public record Totals(long rows, Map<String, BigDecimal> money) {}

  /** Checks {@code table} on {@code dates} (ignored for dimensions, which are checked whole). */
  public void check(SourceTable table, Set<LocalDate> dates, Instant high) throws Exception {
    if (table.isFact() && dates.isEmpty()) {
      return;
    }
    Map<String, Totals> expected = sourceTotals(table, dates, high);
    Map<String, Totals> actual = lakeTotals(table, dates, high);
    List<String> problems = new ArrayList<>();
    Set<String> days = new TreeSet<>(expected.keySet());
    days.addAll(actual.keySet());
    for (String day : days) {
      Totals e = expected.getOrDefault(day, new Totals(0, Map.of()));
      Totals a = actual.getOrDefault(day, new Totals(0, Map.of()));
      if (e.rows() != a.rows()) {
        problems.add(table.tableName() + " " + day + ": source " + e.rows() + " rows, lake " + a.rows() + " (difference "
            + (a.rows() - e.rows()) + ")");
      }
      for (String m : table.moneyColumns()) {
        BigDecimal es = e.money().getOrDefault(m, BigDecimal.ZERO);
        BigDecimal as = a.money().getOrDefault(m, BigDecimal.ZERO);
        if (es.compareTo(as) != 0) {
          problems.add(table.tableName() + " " + day + ": source " + m + " " + es.toPlainString() + ", lake "
              + as.toPlainString() + " (difference " + as.subtract(es).toPlainString() + ")");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ReconciliationException("reconciliation failed: " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
          + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
    }
    log.info("reconcile {}: {} day(s) match the source", table.tableName(), days.size());
  }

  private Map<String, Totals> sourceTotals(SourceTable table, Set<LocalDate> dates, Instant high) throws Exception {
    Map<String, Totals> totals = new TreeMap<>();
    String sql;
    if (table.isFact()) {
      sql = SourceQueries.aggregates(table, first(dates), last(dates), high);
    } else {
      StringBuilder s = new StringBuilder("SELECT '" + ALL + "' AS business_date, count(*) AS n");
      for (String m : table.moneyColumns()) {
        s.append(", coalesce(sum(").append(m).append("), 0) AS ").append(m);
      }
      sql = s.append(" FROM ").append(table.tableName()).append(" WHERE ").append(table.changeColumn()).append(" <= ")
          .append(SourceQueries.ts(high)).toString();
    }
    try (Connection c = source.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        String day = r.getString(1);
        if (table.isFact() && !dates.contains(LocalDate.parse(day))) {
          continue;
        }
        Map<String, BigDecimal> money = new TreeMap<>();
        for (String m : table.moneyColumns()) {
          money.put(m, r.getBigDecimal(m));
        }
        totals.put(day, new Totals(r.getLong(2), money));
      }
    }
    return totals;
  }

  private Map<String, Totals> lakeTotals(SourceTable table, Set<LocalDate> dates, Instant high) {
    Dataset<Row> changedSince = SourceReader.read(spark, source, SourceQueries.changedAfter(table, high));
    Dataset<Row> silver = DeltaTables.read(spark, lake.silver(table.tableName()));
    List<String> columns = new ArrayList<>(table.moneyColumns());
    columns.add(0, "id");
    if (table.isFact()) {
      columns.add(SourceTable.BUSINESS_DATE);
    }
    Column[] keep = columns.stream().map(functions::col).toArray(Column[]::new);
    Dataset<Row> rows = silver.select(keep);
    String quarantinePath = lake.path(io.parklake.warehouse.lake.LakeLayout.Layer.QUARANTINE, table.tableName());
    if (DeltaTables.exists(spark, quarantinePath)) {
      Dataset<Row> rejected = DeltaTables.read(spark, quarantinePath)
          .withColumn("_rank", functions.row_number().over(Window.partitionBy("id")
              .orderBy(col(table.changeColumn()).desc(), col(TableExtractor.ROW_HASH).desc())))
          .where(col("_rank").equalTo(1))
          .join(silver.select("id"), TableExtractor.scala("id"), "left_anti")
          .select(keep);
      rows = rows.unionByName(rejected);
    }
    rows = rows.withColumn("id", col("id").cast("string")).join(changedSince, TableExtractor.scala("id"), "left_anti");
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(functions.count(functions.lit(1)).as("n"));
    for (String m : table.moneyColumns()) {
      aggregates.add(functions.coalesce(functions.sum(m), functions.lit(BigDecimal.ZERO)).as(m));
    }
    Dataset<Row> grouped;
    if (table.isFact()) {
      List<Object> dateList = new ArrayList<>(dates);
      grouped = rows.where(col(SourceTable.BUSINESS_DATE).isin(dateList.toArray()))
          .groupBy(col(SourceTable.BUSINESS_DATE).cast("string"))
          .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
    } else {
      grouped = rows.groupBy(functions.lit(ALL))
          .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
    }
    Map<String, Totals> totals = new TreeMap<>();
    for (Row r : grouped.collectAsList()) {
      Map<String, BigDecimal> money = new TreeMap<>();
      for (String m : table.moneyColumns()) {
        money.put(m, r.getAs(m));
      }
      totals.put(Objects.toString(r.get(0)), new Totals(r.getLong(1), money));
    }
    return totals;
  }

  private static LocalDate first(Set<LocalDate> dates) {
    return new TreeSet<>(dates).first();
  }

  private static LocalDate last(Set<LocalDate> dates) {
    return new TreeSet<>(dates).last();
  }
}
