package io.parklake.warehouse.quality;

import io.parklake.warehouse.source.SourceTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The quarantine rules of a source table, evaluated on extracted rows: every foreign key resolves
 * ({@link QualityRule#UNKNOWN_FK}), every enumeration holds an accepted value
 * ({@link QualityRule#UNKNOWN_ENUM}), a fact's facility has a zone PostgreSQL knows
 * ({@link QualityRule#FACILITY_TIMEZONE_UNKNOWN}), and the table's own rules
 * ({@link SourceTable#rules()}). A row breaking any rule is quarantined with all the rules it broke,
 * never dropped; the strings in {@link #RULES} are {@link QualityRule}'s.
 */
public final class QualityRules {
  /** The column listing the rules a row broke; empty for a clean row. */
  public static final String RULES = "_rules";

  private QualityRules() {}

  /**
   * The strings a bad row of the table gets in {@link #RULES} → Spark SQL predicate (true for a bad
   * row), {@code :now} already replaced; in the order they appear in {@link #RULES}.
   */
  public static Map<String, String> predicates(SourceTable table, Instant now) {
    Map<String, String> rules = new LinkedHashMap<>();
    for (String fk : table.foreignKeys().keySet()) {
      rules.put(QualityRule.UNKNOWN_FK.on(fk), "NOT _fk_" + fk);
    }
    for (Map.Entry<String, Set<String>> e : new TreeMap<>(table.enums()).entrySet()) {
      List<String> quoted = new ArrayList<>();
      for (String v : new TreeSet<>(e.getValue())) {
        quoted.add("'" + v + "'");
      }
      rules.put(QualityRule.UNKNOWN_ENUM.on(e.getKey()), e.getKey() + " IS NULL OR " + e.getKey() + " NOT IN (" + String.join(", ", quoted) + ")");
    }
    if (table.isFact() && table.hasFacility()) {
      rules.put(QualityRule.FACILITY_TIMEZONE_UNKNOWN.reason(), SourceTable.BUSINESS_DATE + " IS NULL AND _fk_facility_id");
    }
    String nowLiteral = "TIMESTAMP'" + now.toString().replace('T', ' ').replace("Z", "") + "'";
    table.rules().forEach((rule, predicate) -> rules.put(rule.reason(), predicate.replace(":now", nowLiteral)));
    return rules;
  }

  /** Adds {@link #RULES}: the rules each row breaks, in {@link #predicates}' order. */
  public static Dataset<Row> evaluate(Dataset<Row> rows, SourceTable table, Instant now) {
    return evaluate(rows, predicates(table, now));
  }

  /** Adds {@link #RULES} for any rule set: rule name → Spark SQL predicate true for a bad row. */
  public static Dataset<Row> evaluate(Dataset<Row> rows, Map<String, String> predicates) {
    List<Column> broken = new ArrayList<>();
    for (Map.Entry<String, String> rule : predicates.entrySet()) {
      // A predicate that is NULL (a comparison with a missing value) is not a breach.
      broken.add(functions.when(functions.coalesce(functions.expr("(" + rule.getValue() + ")"), functions.lit(false)),
          functions.lit(rule.getKey())));
    }
    Column list = broken.isEmpty()
        ? functions.array().cast("array<string>")
        : functions.filter(functions.array(broken.toArray(Column[]::new)), c -> c.isNotNull());
    return rows.withColumn(RULES, list);
  }

  /** Drops the helper flags the source query added for the rules. */
  public static Dataset<Row> dropFlags(Dataset<Row> rows) {
    List<String> helpers = new ArrayList<>();
    for (String c : rows.columns()) {
      if (c.startsWith("_fk_") || c.equals("_timezone_known")) {
        helpers.add(c);
      }
    }
    return rows.drop(helpers.toArray(String[]::new));
  }
}
