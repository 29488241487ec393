package io.parklake.pipelines.marts;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The business dates whose rows were archived and purged from the lake, per source table
 * ({@code payments} → 2019-03-01, ...). A mart partition those rows fed is frozen: no refresh or
 * rebuild recomputes it from what the lake has left, so archived periods keep the revenue, occupancy
 * and the other figures they had (gold keeps history, the archive keeps the rows).
 *
 * <p>A partition is frozen when the mart, directly or through the gold marts it reads, reads a table
 * whose archived rows map to it by {@link Mart#partitionsFor} (so a weekly mart freezes the weeks,
 * an occupancy mart also the days a long stay reached into).
 */
public record FrozenPeriods(Map<String, SortedSet<LocalDate>> archivedDays) {
  public static final FrozenPeriods NONE = new FrozenPeriods(Map.of());

  public FrozenPeriods {
    Map<String, SortedSet<LocalDate>> copy = new TreeMap<>();
    archivedDays.forEach((table, days) -> {
      if (!days.isEmpty()) {
        copy.put(table, new TreeSet<>(days));
      }
    });
    archivedDays = copy;
  }

  public boolean isEmpty() {
    return archivedDays.isEmpty();
  }

  /** The archived business dates of the source tables {@code mart} reads, directly or through gold marts. */
  public SortedSet<LocalDate> archivedInputDays(Mart mart) {
    SortedSet<LocalDate> days = new TreeSet<>();
    if (isEmpty()) {
      return days;
    }
    Set<String> seen = new HashSet<>();
    Deque<String> inputs = new ArrayDeque<>(mart.inputs());
    while (!inputs.isEmpty()) {
      String in = inputs.pop();
      if (!seen.add(in)) {
        continue;
      }
      if (in.startsWith("gold.")) {
        String name = in.substring("gold.".length());
        Marts.all().stream().filter(m -> m.name().equals(name)).findFirst().ifPresent(m -> inputs.addAll(m.inputs()));
      } else if (in.startsWith("silver.")) {
        // silver.payments and its history table silver.payments_history hold the same table's rows.
        String table = in.substring("silver.".length()).replaceFirst("_history$", "");
        days.addAll(archivedDays.getOrDefault(table, new TreeSet<>()));
      }
    }
    return days;
  }

  /** The partitions of {@code mart} that archived rows fed (empty for a mart replaced whole). */
  public SortedSet<LocalDate> partitions(Mart mart) {
    SortedSet<LocalDate> days = archivedInputDays(mart);
    if (mart.dateColumn() == null || days.isEmpty()) {
      return new TreeSet<>();
    }
    return new TreeSet<>(mart.partitionsFor(days));
  }
}
