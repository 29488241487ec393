package io.parklake.pipelines.marts;

import io.parklake.pipelines.extract.FaultInjector;
import io.parklake.pipelines.extract.LakeExtraction;
import io.parklake.warehouse.db.DatabaseAddress;
import io.parklake.warehouse.lake.LakeLayout;
import io.parklake.warehouse.meta.MetadataSchema;
import io.parklake.warehouse.source.SeedOptions;
import io.parklake.warehouse.source.SourceSchema;
import io.parklake.warehouse.source.SourceTable;
import io.parklake.warehouse.source.SyntheticSource;
import io.parklake.warehouse.testing.TestPostgres;
import io.parklake.warehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One seeded operator database and the lake extracted from it, with every mart built, made once per
 * test JVM and shared by the mart tests (they only read it). The 35 seeded days (2026-10-01 to
 * 2026-11-04) contain the European DST change (2026-10-25: London, Berlin, Paris, Manchester have a
 * 25-hour day) and the North American one (2026-11-01: New York, Chicago), so a bucketing error by
 * UTC or by the JVM's zone (tests run in America/Sao_Paulo) shows.
 *
 * <p>Differential tests compare a mart with the same question answered by plain SQL in PostgreSQL on
 * the source: {@link #pg} and {@link #lines} give both sides as {@code key → value} maps.
 */
public final class MartLake {
  public static final SeedOptions OPTIONS = new SeedOptions(4000, 23, 35, LocalDate.of(2026, 10, 1));
  /** The as-of date the marts were built for: the last seeded day. */
  public static final LocalDate AS_OF = OPTIONS.endExclusive().minusDays(1);

  private static MartLake instance;

  private final DatabaseAddress source;
  private final LakeLayout lake;
  private final List<Marts.Refreshed> built;

  private MartLake(DatabaseAddress source, LakeLayout lake, List<Marts.Refreshed> built) {
    this.source = source;
    this.lake = lake;
    this.built = built;
  }

  public static synchronized MartLake get() {
    if (instance == null) {
      try {
        DatabaseAddress db = TestPostgres.freshDatabase("mart_lake");
        SourceSchema.migrate(db);
        MetadataSchema.migrate(db);
        new SyntheticSource(OPTIONS).writeTo(db, n -> {});
        LakeLayout lake = new LakeLayout(Files.createTempDirectory("parklake-mart-lake").resolve("lake"));
        new LakeExtraction(TestSpark.session(), db, db, lake, FaultInjector.NONE)
            .extract(List.of(SourceTable.values()), Duration.ofHours(1), "mart-lake");
        List<Marts.Refreshed> built = Marts.rebuild(new MartContext(TestSpark.session(), lake, AS_OF), m -> true);
        instance = new MartLake(db, lake, built);
      } catch (Exception e) {
        throw new IllegalStateException("could not build the mart test lake", e);
      }
    }
    return instance;
  }

  public DatabaseAddress source() {
    return source;
  }

  public LakeLayout lake() {
    return lake;
  }

  public List<Marts.Refreshed> built() {
    return built;
  }

  public MartContext context() {
    return new MartContext(TestSpark.session(), lake, AS_OF);
  }

  public Dataset<Row> gold(String mart) {
    return context().table("gold." + mart);
  }

  /**
   * Runs {@code sql} in PostgreSQL on the source; the first {@code keyColumns} columns joined by
   * {@code |} are the key, the rest the value (decimals without trailing zeros; a key seen twice fails).
   */
  public Map<String, String> pg(int keyColumns, String sql) {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection c = source.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      ResultSetMetaData md = r.getMetaData();
      while (r.next()) {
        List<Object> values = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          values.add(r.getObject(i));
        }
        rows.add(values);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(sql, e);
    }
    return toMap(keyColumns, rows);
  }

  /** A lake dataset in the shape of {@link #pg}: the first {@code keyColumns} columns are the key. */
  public static Map<String, String> lines(int keyColumns, Dataset<Row> rows) {
    List<List<Object>> values = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      List<Object> v = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        v.add(r.get(i));
      }
      values.add(v);
    }
    return toMap(keyColumns, values);
  }

  private static Map<String, String> toMap(int keyColumns, List<List<Object>> rows) {
    Map<String, String> out = new TreeMap<>();
    for (List<Object> row : rows) {
      List<String> text = row.stream().map(MartLake::text).toList();
      String key = String.join("|", text.subList(0, keyColumns));
      if (out.put(key, String.join("|", text.subList(keyColumns, text.size()))) != null) {
        throw new IllegalStateException("key " + key + " twice");
      }
    }
    return out;
  }

  /** One text form for both sides: decimals plain without trailing zeros, dates ISO, null as "null". */
  static String text(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof BigDecimal d) {
      return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    return v.toString();
  }
}
