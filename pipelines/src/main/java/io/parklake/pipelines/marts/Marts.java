package io.parklake.pipelines.marts;

import io.parklake.warehouse.lake.DeltaTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every mart on the classpath, and the one way a mart's day is written to gold. */
public final class Marts {
  private static final Logger log = LoggerFactory.getLogger(Marts.class);

  private Marts() {}

  public static List<Mart> all() {
    List<Mart> marts = new ArrayList<>();
    ServiceLoader.load(Mart.class).forEach(marts::add);
    marts.sort(Comparator.comparing(Mart::name));
    return marts;
  }

  public static Mart named(String name) {
    return all().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown mart '" + name + "'"));
  }

  /** Computes {@code mart} for {@code days} and replaces exactly those days in gold; returns the rows written. */
  public static long refresh(Mart mart, MartContext context, SortedSet<LocalDate> days) {
    if (days.isEmpty()) {
      return 0;
    }
    long t0 = System.nanoTime();
    Dataset<Row> rows = mart.compute(context, days).cache();
    long n = rows.count();
    DeltaTables.replaceDates(rows, context.lake().gold(mart.name()), mart.dateColumn(), days);
    rows.unpersist();
    log.info("mart {}: {} rows for {} day(s) {}..{} in {} s", mart.name(), n, days.size(), days.first(), days.last(),
        String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    return n;
  }
}
