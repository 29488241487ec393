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

  /** What one mart refresh did; {@code frozen}: the partitions kept as they were because their rows are archived. */
  public record Refreshed(String mart, long rows, SortedSet<LocalDate> partitions, SortedSet<LocalDate> frozen, double seconds) {
    public String summary() {
      String written = partitions.isEmpty() ? (frozen.isEmpty() ? rows + " rows (whole)" : "0 rows")
          : rows + " rows in " + partitions.size() + " partition(s) " + partitions.first() + ".." + partitions.last();
      return frozen.isEmpty() ? written
          : written + "; " + frozen.size() + " archived partition(s) " + frozen.first() + ".." + frozen.last() + " frozen";
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

  /** Work a mart is owed: recompute the partitions of {@code days}, or everything its inputs hold. */
  public record Work(SortedSet<LocalDate> days, boolean rebuild) {
    public static Work of(Collection<LocalDate> days) {
      return new Work(new TreeSet<>(days), false);
    }

    public static Work everything() {
      return new Work(new TreeSet<>(), true);
    }

    public Work plus(Work other) {
      SortedSet<LocalDate> all = new TreeSet<>(days);
      all.addAll(other.days);
      return new Work(all, rebuild || other.rebuild);
    }
  }

  /** A mart that threw: its name, the first line of the cause, and the exception. */
  public record Failed(String mart, String cause, Throwable error) {}

  /** A mart not computed because something it reads failed: {@code because} names that input. */
  public record Skipped(String mart, String because) {}

  /**
   * What one pass over the marts did: the marts written, the ones that failed and the ones skipped
   * because an input failed, and for both of those the work they are still owed.
   */
  public record Outcome(List<Refreshed> refreshed, List<Failed> failed, List<Skipped> skipped, Map<String, Work> owed) {
    public boolean complete() {
      return failed.isEmpty() && skipped.isEmpty();
    }

    /** Every mart not refreshed: failed or skipped. */
    public java.util.Set<String> unavailable() {
      java.util.Set<String> out = new java.util.TreeSet<>();
      failed.forEach(f -> out.add(f.mart()));
      skipped.forEach(k -> out.add(k.mart()));
      return out;
    }

    /** One line: {@code 1 mart(s) failed: a (cause); 2 skipped: b (needs a), c (needs b)}. */
    public String failureLine() {
      List<String> parts = new ArrayList<>();
      if (!failed.isEmpty()) {
        parts.add(failed.size() + " mart(s) failed: "
            + String.join(", ", failed.stream().map(f -> f.mart() + " (" + f.cause() + ")").toList()));
      }
      if (!skipped.isEmpty()) {
        parts.add(skipped.size() + (failed.isEmpty() ? " mart(s)" : "") + " skipped: "
            + String.join(", ", skipped.stream().map(k -> k.mart() + " (" + k.because() + ")").toList()));
      }
      return String.join("; ", parts);
    }

    /** The refreshed marts, or an exception naming every failed and skipped one (tests, benchmarks). */
    public List<Refreshed> orThrow() {
      if (!complete()) {
        IllegalStateException e = new IllegalStateException(failureLine());
        failed.forEach(f -> e.addSuppressed(f.error()));
        throw e;
      }
      return refreshed;
    }
  }

  /**
   * Refreshes the marts {@code which} selects for the business dates that changed per input table
   * ({@code changed}: source table name → dates, e.g. {@code payments}), plus {@code alwaysDays} (the
   * run date, so a day without activity still gets its rows). A mart whose gold table does not exist
   * yet is built from everything its inputs hold. Throws when a mart fails; see {@link #refresh}.
   */
  public static List<Refreshed> refreshChanged(MartContext context, Map<String, ? extends Collection<LocalDate>> changed,
      Collection<LocalDate> alwaysDays, Predicate<Mart> which) {
    return refresh(context, changed, alwaysDays, which, Map.of(), Map.of()).orThrow();
  }

  /**
   * As {@link #refreshChanged}, with failures contained the way dbt contains them: a mart that throws
   * is recorded as failed and the pass goes on; a mart reading a failed or skipped mart, or an input in
   * {@code unavailable} (qualified name → why, e.g. {@code silver.payments} → its extraction failed),
   * is skipped. {@code owed} (mart → work) is work earlier passes could not do, added to this pass's.
   * The outcome lists both kinds with the work they are still owed, so that a restart or the next
   * run can do exactly that.
   */
  public static Outcome refresh(MartContext context, Map<String, ? extends Collection<LocalDate>> changed,
      Collection<LocalDate> alwaysDays, Predicate<Mart> which, Map<String, Work> owed, Map<String, String> unavailable) {
    Map<String, SortedSet<LocalDate>> changedByInput = new HashMap<>();
    changed.forEach((table, days) -> changedByInput.put("silver." + table, new TreeSet<>(days)));
    Pass pass = new Pass(context, unavailable);
    for (Mart mart : all()) {
      if (!which.test(mart)) {
        continue;
      }
      Work work = Work.of(alwaysDays);
      for (String in : mart.inputs()) {
        work = work.plus(Work.of(changedByInput.getOrDefault(in, new TreeSet<>())));
      }
      if (owed.containsKey(mart.name())) {
        work = work.plus(owed.get(mart.name()));
      }
      if (!work.rebuild() && !DeltaTables.exists(context.spark(), context.lake().gold(mart.name()))) {
        work = work.plus(Work.everything());
      }
      if (!work.rebuild() && work.days().isEmpty()) {
        continue;
      }
      SortedSet<LocalDate> days = pass.run(mart, work, changedByInput);
      changedByInput.put("gold." + mart.name(), days);
    }
    return pass.outcome();
  }

  /**
   * Recomputes every mart {@code which} selects from all its inputs hold, keeping every partition it
   * already had, and overwrites each gold table whole. Throws when a mart fails; see
   * {@link #rebuildContained}.
   */
  public static List<Refreshed> rebuild(MartContext context, Predicate<Mart> which) {
    return rebuildContained(context, which).orThrow();
  }

  /** As {@link #rebuild}, with failures contained as in {@link #refresh}. */
  public static Outcome rebuildContained(MartContext context, Predicate<Mart> which) {
    Map<String, SortedSet<LocalDate>> daysByInput = new HashMap<>();
    Pass pass = new Pass(context, Map.of());
    for (Mart mart : all()) {
      if (which.test(mart)) {
        daysByInput.put("gold." + mart.name(), pass.run(mart, Work.everything(), daysByInput));
      }
    }
    return pass.outcome();
  }

  /** One pass over the marts in run order: runs each, containing failures, and remembers what is owed. */
  private static final class Pass {
    private final MartContext context;
    private final Map<String, String> unavailable = new HashMap<>();
    private final Map<String, SortedSet<LocalDate>> silverDays = new HashMap<>();
    private final List<Refreshed> refreshed = new ArrayList<>();
    private final List<Failed> failed = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final Map<String, Work> owed = new LinkedHashMap<>();

    Pass(MartContext context, Map<String, String> unavailableInputs) {
      this.context = context;
      this.unavailable.putAll(unavailableInputs);
    }

    /** Runs {@code mart} for {@code work}; returns the business dates it covered (for the marts reading it). */
    SortedSet<LocalDate> run(Mart mart, Work work, Map<String, SortedSet<LocalDate>> known) {
      String blocked = mart.inputs().stream().filter(unavailable::containsKey).findFirst().orElse(null);
      SortedSet<LocalDate> days = new TreeSet<>(work.days());
      if (blocked != null) {
        String because = "needs " + blocked.replaceFirst("^gold\\.", "") + ": " + unavailable.get(blocked);
        skipped.add(new Skipped(mart.name(), because));
        owed.put(mart.name(), work);
        unavailable.put("gold." + mart.name(), "skipped");
        log.warn("mart {}: skipped, {}", mart.name(), because);
        return days;
      }
      try {
        if (work.rebuild()) {
          days.addAll(dataDays(context, mart, known, silverDays));
        }
        context.faults().reached("mart:" + mart.name());
        // A full rebuild keeps every partition the mart already holds (a run date without activity
        // keeps its zero rows); an incremental one replaces exactly the partitions of its days.
        SortedSet<LocalDate> held = work.rebuild() && mart.dateColumn() != null
            ? distinctDates(context, "gold." + mart.name(), mart.dateColumn()) : new TreeSet<>();
        refreshed.add(write(context, mart, days, held, work.rebuild()));
      } catch (Exception | StackOverflowError e) {
        String cause = oneLine(e);
        failed.add(new Failed(mart.name(), cause, e));
        owed.put(mart.name(), work);
        unavailable.put("gold." + mart.name(), "failed");
        log.error("mart {}: FAILED ({}); the marts reading it are skipped", mart.name(), cause, e);
      }
      return days;
    }

    Outcome outcome() {
      return new Outcome(List.copyOf(refreshed), List.copyOf(failed), List.copyOf(skipped), new LinkedHashMap<>(owed));
    }
  }

  /** The exception's class and the first line of its message (Spark puts whole plans into messages). */
  public static String oneLine(Throwable e) {
    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
    if (first.length() > 240) {
      first = first.substring(0, 240) + "...";
    }
    return e.getClass().getSimpleName() + ": " + first;
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
    SortedSet<LocalDate> frozen = frozenPartitions(context, mart, partitions);
    partitions.removeAll(frozen);
    if (mart.dateColumn() != null && partitions.isEmpty()) {
      return new Refreshed(mart.name(), 0, partitions, frozen, 0);
    }
    long n = writeCounting(mart.compute(context, mart.dateColumn() == null ? days : partitions), rows -> {
      if (mart.dateColumn() == null) {
        DeltaTables.overwrite(rows, path, null);
      } else if (whole && frozen.isEmpty()) {
        DeltaTables.overwrite(rows, path, mart.dateColumn());
      } else {
        // A whole rebuild with frozen partitions replaces every other partition it holds, keeping those.
        DeltaTables.replaceDates(rows, path, mart.dateColumn(), partitions);
      }
    });
    Refreshed r = new Refreshed(mart.name(), n, partitions, frozen, (System.nanoTime() - t0) / 1e9);
    log.info("mart {}: {} in {} s", mart.name(), r.summary(), String.format("%.1f", r.seconds()));
    return r;
  }

  /**
   * Hands a mart's rows to {@code writer} computed once (cached while it counts and writes them) and
   * returns how many there were: the one way a computed mart is written, to gold or to a scratch table.
   */
  public static long writeCounting(Dataset<Row> rows, java.util.function.Consumer<Dataset<Row>> writer) {
    Dataset<Row> cached = rows.cache();
    try {
      long n = cached.count();
      writer.accept(cached);
      return n;
    } finally {
      cached.unpersist();
    }
  }

  /**
   * Of {@code partitions}, those archived rows fed and that gold holds: kept as they are. An archived
   * partition gold does not hold (a mart added after the archive) can only be computed from what the
   * lake still has, and the log says so; a mart replaced whole is computed from the lake's rows.
   */
  private static SortedSet<LocalDate> frozenPartitions(MartContext context, Mart mart, SortedSet<LocalDate> partitions) {
    FrozenPeriods periods = context.frozen();
    if (periods.isEmpty()) {
      return new TreeSet<>();
    }
    if (mart.dateColumn() == null) {
      SortedSet<LocalDate> archived = periods.archivedInputDays(mart);
      if (!archived.isEmpty()) {
        log.info("mart {}: computed whole from the rows the lake holds; its inputs' rows of {} archived date(s) {}..{} are in the"
            + " archive, not in it", mart.name(), archived.size(), archived.first(), archived.last());
      }
      return new TreeSet<>();
    }
    SortedSet<LocalDate> candidates = periods.partitions(mart);
    candidates.retainAll(partitions);
    if (candidates.isEmpty()) {
      return candidates;
    }
    SortedSet<LocalDate> frozen = new TreeSet<>(candidates);
    frozen.retainAll(distinctDates(context, "gold." + mart.name(), mart.dateColumn()));
    SortedSet<LocalDate> missing = new TreeSet<>(candidates);
    missing.removeAll(frozen);
    if (!missing.isEmpty()) {
      log.warn("mart {}: {} partition(s) {}..{} hold archived rows but were never computed; computed from what the lake still"
          + " holds", mart.name(), missing.size(), missing.first(), missing.last());
    }
    return frozen;
  }

  /** Names and summaries, in run order, for logs and step notes. */
  public static Map<String, String> summaries(List<Refreshed> refreshed) {
    Map<String, String> out = new LinkedHashMap<>();
    refreshed.forEach(r -> out.put(r.mart(), r.summary()));
    return out;
  }
}
