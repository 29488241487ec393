package io.parklake.jobs.batch;

import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import io.parklake.pipelines.marts.Marts;
import io.parklake.reports.catalog.Report;
import io.parklake.warehouse.lake.LakeLayout;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The marts an earlier date's reports of a range read, as they stood on that date. A mart replaced
 * whole each run ({@link Mart#dateColumn()} null: the customer marts, the forecasts, the revenue
 * pattern of the last 8 weeks) holds only its state as of the latest run, while a nightly for an
 * earlier date rendered that date's reports from its state as of the date. So a range, whose marts
 * step refreshes those marts once as of its last date, computes them again as of each earlier date
 * that has a report reading them, into a scratch folder {@code <lake>/_as_of/<run>/<date>/<mart>}
 * (the lake's own gold is not touched), renders the date's reports from there and drops the folder.
 * Date-partitioned marts keep every date and their rows do not depend on the as-of date, so they
 * are read from gold. A mart that can compute itself as of many dates in one go ({@link
 * Mart#asOfColumn}, today {@code forecast_accuracy}) is computed for every earlier date of the range
 * at once into one scratch table ({@link #computeAtOnce}), which the reports read per date.
 */
final class AsOfMarts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AsOfMarts.class);
  static final String FOLDER = "_as_of";

  private final ParkLakeRuntime rt;
  /** The date the marts are as of, or a label of the dates ({@code 29 dates 2026-11-04..2026-12-02}). */
  private final String day;
  private final String folder;
  private final LakeLayout lake;
  /** Mart → why it is not available as of the day (failed or skipped, with the cause). */
  private final Map<String, String> missing = new LinkedHashMap<>();

  private AsOfMarts(ParkLakeRuntime rt, String day, String folder, LakeLayout lake) {
    this.rt = rt;
    this.day = day;
    this.folder = folder;
    this.lake = lake;
  }

  /** The marts replaced whole that {@code reports} read, directly or through another such mart, in run order. */
  static List<String> readBy(Collection<Report> reports) {
    Set<String> wanted = new LinkedHashSet<>();
    List<String> queue = new ArrayList<>();
    reports.forEach(r -> queue.addAll(r.marts()));
    while (!queue.isEmpty()) {
      Mart m = Marts.named(queue.remove(0));
      if (m.dateColumn() == null && wanted.add(m.name())) {
        m.inputs().stream().filter(in -> in.startsWith("gold.")).map(in -> in.substring("gold.".length())).forEach(queue::add);
      }
    }
    return Marts.all().stream().map(Mart::name).filter(wanted::contains).toList();
  }

  /**
   * Computes {@code marts} as of {@code day}. Never throws: a mart that fails (or that reads one that
   * failed) is recorded, and {@link #whyNot} names it for each report reading it.
   */
  static AsOfMarts compute(ParkLakeRuntime rt, String runId, LocalDate day, List<String> marts) {
    String folder = rt.lake().root() + "/" + FOLDER + "/" + runId + "/" + day;
    AsOfMarts asOf = new AsOfMarts(rt, day.toString(), folder, rt.lake().withGoldElsewhere(folder, marts));
    log.info("as of {}: computing {} for the reports of that date", day, String.join(", ", marts));
    try {
      delete(rt, folder);
      Marts.Outcome outcome = Marts.rebuildContained(new MartContext(rt.spark(), asOf.lake, day, rt.faults()),
          m -> marts.contains(m.name()));
      outcome.failed().forEach(f -> asOf.missing.put(f.mart(), "failed: " + f.cause()));
      outcome.skipped().forEach(k -> asOf.missing.put(k.mart(), "skipped: " + k.because()));
    } catch (Exception e) {
      log.error("as of {}: FAILED ({})", day, Marts.oneLine(e), e);
      marts.forEach(m -> asOf.missing.putIfAbsent(m, "failed: " + Marts.oneLine(e)));
    }
    return asOf;
  }

  /**
   * Whether {@code marts} can all be computed as of many dates in one go ({@link #computeAtOnce}): each
   * has an as-of column and reads none of the marts replaced whole (whose own as-of copies it would need).
   */
  static boolean computableAtOnce(Collection<String> marts) {
    for (String name : marts) {
      Mart m = Marts.named(name);
      boolean readsWhole = m.inputs().stream().filter(in -> in.startsWith("gold."))
          .anyMatch(in -> Marts.named(in.substring("gold.".length())).dateColumn() == null);
      if (m.asOfColumn() == null || readsWhole) {
        return false;
      }
    }
    return true;
  }

  /**
   * Computes {@code marts} (each {@link #computableAtOnce}) as of every one of {@code days} into one
   * scratch table per mart, {@code <lake>/_as_of/<run>/dates/<mart>}, told apart by the mart's as-of
   * column: one pass over the inputs and one write for the whole range instead of one per date. Never
   * throws, as {@link #compute}.
   */
  static AsOfMarts computeAtOnce(ParkLakeRuntime rt, String runId, java.util.SortedSet<LocalDate> days, List<String> marts) {
    String folder = rt.lake().root() + "/" + FOLDER + "/" + runId + "/dates";
    String label = days.size() + " dates " + days.first() + ".." + days.last();
    AsOfMarts asOf = new AsOfMarts(rt, label, folder, rt.lake().withGoldElsewhere(folder, marts));
    log.info("as of each of {}: computing {} for the reports of those dates", label, String.join(", ", marts));
    try {
      delete(rt, folder);
    } catch (IOException e) {
      marts.forEach(m -> asOf.missing.put(m, "failed: " + Marts.oneLine(e)));
      return asOf;
    }
    for (String name : marts) {
      long t0 = System.nanoTime();
      try {
        rt.faults().reached("mart:" + name);
        Mart m = Marts.named(name);
        long n = Marts.writeCounting(m.computeAsOf(new MartContext(rt.spark(), asOf.lake, days.last(), rt.faults()), days),
            rows -> io.parklake.warehouse.lake.DeltaTables.overwrite(rows, asOf.lake.gold(name), null));
        log.info("as of each of {}: mart {}: {} rows in {} s", label, name, n, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
      } catch (Exception | StackOverflowError e) {
        log.error("as of each of {}: mart {} FAILED ({})", label, name, Marts.oneLine(e), e);
        asOf.missing.put(name, "failed: " + Marts.oneLine(e));
      }
    }
    return asOf;
  }

  /** The lake with these marts' gold tables in the scratch folder, for a {@link io.parklake.reports.catalog.ReportSource}. */
  LakeLayout lake() {
    return lake;
  }

  /** Why {@code report} cannot be rendered from these marts (one it reads is missing), or null when it can. */
  String whyNot(Report report) {
    for (String m : readBy(List.of(report))) {
      if (missing.containsKey(m)) {
        return "reads " + m + " as of " + day + ", which " + missing.get(m);
      }
    }
    return null;
  }

  @Override
  public void close() {
    try {
      delete(rt, folder);
    } catch (IOException e) {
      log.warn("as of {}: could not remove {} ({}); the next range run removes it", day, folder, Marts.oneLine(e));
    }
  }

  /**
   * Removes the scratch folder: before a range's reports (a killed run leaves its as-of marts behind;
   * one job at a time works on a lake) and after them. A failure to remove it is only logged.
   */
  static void clear(ParkLakeRuntime rt) {
    String folder = rt.lake().root() + "/" + FOLDER;
    try {
      delete(rt, folder);
    } catch (IOException e) {
      log.warn("could not remove {} ({}); the next range run removes it", folder, Marts.oneLine(e));
    }
  }

  private static void delete(ParkLakeRuntime rt, String folder) throws IOException {
    Path path = new Path(folder);
    FileSystem fs = path.getFileSystem(rt.spark().sparkContext().hadoopConfiguration());
    if (fs.exists(path)) {
      fs.delete(path, true);
    }
  }
}
