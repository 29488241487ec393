package io.parklake.pipelines.marts;

import io.parklake.warehouse.lake.DeltaTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every mart on the classpath, the order they run in (a mart reading another's gold table runs after
 * it), and the one way a mart's partitions are written to gold: incrementally for the business dates
 * a run changed, or as a full rebuild. Both paths run the same {@link Mart#compute} on the same
 * partitions, so they give the same rows.
 */
public final class Marts {
  private static final Logger log = LoggerFactory.getLogger(Marts.class);

  private Marts() {}

  /** What one mart refresh did. */
  public record Refreshed(String mart, long rows, SortedSet<LocalDate> partitions, double seconds) {
    public String summary() {
      return partitions.isEmpty() ? rows + " rows (whole)"
          : rows + " rows in " + partitions.size() + " partition(s) " + partitions.first() + ".." + partitions.last();
    }
  }

  /** Every mart, each after the gold marts it reads. */
  public static List<Mart> all() {
    List<Mart> found = new ArrayList<>();
    ServiceLoader.load(Mart.class).forEach(found::add);
    found.sort(Comparator.comparing(Mart::name));
    List<Mart> ordered = new ArrayList<>();
    while (!found.isEmpty()) {
      Mart next = found.stream()
          .filter(m -> m.inputs().stream().noneMatch(in -> found.stream().anyMatch(o -> in.equals("gold." + o.name()))))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("marts read each other in a cycle: " + found));
      found.remove(next);
      ordered.add(next);
    }
    return ordered;
  }

  public static Mart named(String name) {
    return all().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown mart '" + name + "'"));
  }

  /** The mart's doc ({@code pipelines/docs/marts/<name>.md}, shipped in the jar), or null when it has none. */
  public static String doc(Mart mart) {
    try (var in = Marts.class.getResourceAsStream("docs/" + mart.name() + ".md")) {
      return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The doc's one-line grain ({@code **Grain:** ...}), for listings. */
  public static String grain(Mart mart) {
    String doc = doc(mart);
    if (doc == null) {
      return "(no doc)";
    }
    return doc.lines().filter(l -> l.startsWith("**Grain:**")).findFirst()
        .map(l -> l.substring("**Grain:**".length()).trim().replaceAll("\\*\\*[^*]+\\*\\*.*$", "").trim())
        .orElse("(doc has no grain line)");
  }

  /**
   * Refreshes the marts {@code which} selects for the business dates that changed per input table
   * ({@code changed}: source table name → dates, e.g. {@code payments}), plus {@code alwaysDays} (the
   * run date, so a day without activity still gets its rows). A mart whose gold table does not exist
   * yet is built from everything its inputs hold.
   */
  public static List<Refreshed> refreshChanged(MartContext context, Map<String, ? extends Collection<LocalDate>> changed,
      Collection<LocalDate> alwaysDays, Predicate<Mart> which) {
    Map<String, SortedSet<LocalDate>> changedByInput = new HashMap<>();
    Map<String, SortedSet<LocalDate>> silverDays = new HashMap<>();
    changed.forEach((table, days) -> changedByInput.put("silver." + table, new TreeSet<>(days)));
    List<Refreshed> done = new ArrayList<>();
    for (Mart mart : all()) {
      if (!which.test(mart)) {
        continue;
      }
      SortedSet<LocalDate> days = new TreeSet<>(alwaysDays);
      mart.inputs().forEach(in -> days.addAll(changedByInput.getOrDefault(in, new TreeSet<>())));
      boolean exists = DeltaTables.exists(context.spark(), context.lake().gold(mart.name()));
      Refreshed r;
      if (!exists) {
        days.addAll(dataDays(context, mart, changedByInput, silverDays));
        r = write(context, mart, days, new TreeSet<>(), true);
      } else if (days.isEmpty()) {
        continue;
      } else {
        r = write(context, mart, days, new TreeSet<>(), false);
      }
      changedByInput.put("gold." + mart.name(), days);
      done.add(r);
    }
    return done;
  }

  /**
   * Recomputes every mart {@code which} selects from all its inputs hold, keeping every partition it
   * already had, and overwrites each gold table whole.
   */
  public static List<Refreshed> rebuild(MartContext context, Predicate<Mart> which) {
    Map<String, SortedSet<LocalDate>> daysByInput = new HashMap<>();
    Map<String, SortedSet<LocalDate>> silverDays = new HashMap<>();
    List<Refreshed> done = new ArrayList<>();
    for (Mart mart : all()) {
      if (!which.test(mart)) {
        continue;
      }
      SortedSet<LocalDate> days = dataDays(context, mart, daysByInput, silverDays);
      daysByInput.put("gold." + mart.name(), days);
      // A partition the mart already holds stays: a run date without activity keeps its (zero) rows.
      SortedSet<LocalDate> held = mart.dateColumn() == null ? new TreeSet<>()
          : distinctDates(context, "gold." + mart.name(), mart.dateColumn());
      done.add(write(context, mart, days, held, true));
    }
    return done;
  }

  /** Every business date the mart's inputs hold. */
  private static SortedSet<LocalDate> dataDays(MartContext context, Mart mart, Map<String, SortedSet<LocalDate>> known,
      Map<String, SortedSet<LocalDate>> silverDays) {
    SortedSet<LocalDate> days = new TreeSet<>();
    for (String input : mart.inputs()) {
      if (known.containsKey(input) && input.startsWith("gold.")) {
        days.addAll(known.get(input));
      } else if (input.startsWith("silver.")) {
        // Many marts read the same silver table: scan its dates once per refresh.
        days.addAll(silverDays.computeIfAbsent(input, t -> distinctDates(context, t, "business_date")));
      }
    }
    return days;
  }

  private static SortedSet<LocalDate> distinctDates(MartContext context, String table, String column) {
    String path = context.lake().resolve(table);
    SortedSet<LocalDate> out = new TreeSet<>();
    if (!DeltaTables.exists(context.spark(), path)) {
      return out;
    }
    Dataset<Row> t = DeltaTables.read(context.spark(), path);
    if (!List.of(t.columns()).contains(column)) {
      return out;
    }
    // A partition column's values are in the snapshot's file names: no scan of the table needed.
    String marker = "/" + column + "=";
    String[] files = t.inputFiles();
    if (files.length > 0 && java.util.Arrays.stream(files).allMatch(f -> f.contains(marker))) {
      for (String f : files) {
        String value = f.substring(f.lastIndexOf(marker) + marker.length());
        value = value.substring(0, value.indexOf('/'));
        if (!value.equals("__HIVE_DEFAULT_PARTITION__")) {
          out.add(LocalDate.parse(value));
        }
      }
      return out;
    }
    for (Row r : t.select(column).distinct().where(t.col(column).isNotNull()).collectAsList()) {
      out.add(r.getLocalDate(0));
    }
    return out;
  }

  private static Refreshed write(MartContext context, Mart mart, SortedSet<LocalDate> days, SortedSet<LocalDate> extraPartitions,
      boolean whole) {
    long t0 = System.nanoTime();
    String path = context.lake().gold(mart.name());
    SortedSet<LocalDate> partitions = new TreeSet<>(extraPartitions);
    if (mart.dateColumn() != null) {
      partitions.addAll(mart.partitionsFor(days));
    }
    if (mart.dateColumn() != null && partitions.isEmpty()) {
      return new Refreshed(mart.name(), 0, partitions, 0);
    }
    Dataset<Row> rows = mart.compute(context, mart.dateColumn() == null ? days : partitions).cache();
    long n = rows.count();
    if (mart.dateColumn() == null) {
      DeltaTables.overwrite(rows, path, null);
    } else if (whole) {
      DeltaTables.overwrite(rows, path, mart.dateColumn());
    } else {
      DeltaTables.replaceDates(rows, path, mart.dateColumn(), partitions);
    }
    rows.unpersist();
    Refreshed r = new Refreshed(mart.name(), n, partitions, (System.nanoTime() - t0) / 1e9);
    log.info("mart {}: {} in {} s", mart.name(), r.summary(), String.format("%.1f", r.seconds()));
    return r;
  }

  /** Names and summaries, in run order, for logs and step notes. */
  public static Map<String, String> summaries(List<Refreshed> refreshed) {
    Map<String, String> out = new LinkedHashMap<>();
    refreshed.forEach(r -> out.put(r.mart(), r.summary()));
    return out;
  }
}
