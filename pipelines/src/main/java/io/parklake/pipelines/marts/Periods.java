package io.parklake.pipelines.marts;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/** Maps business days to the partitions of weekly and monthly marts, and widens day sets. */
public final class Periods {
  private Periods() {}

  /** The Mondays of the ISO weeks containing {@code days}. */
  public static SortedSet<LocalDate> isoWeeks(Collection<LocalDate> days) {
    SortedSet<LocalDate> weeks = new TreeSet<>();
    days.forEach(d -> weeks.add(d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))));
    return weeks;
  }

  /** The first days of the months containing {@code days}. */
  public static SortedSet<LocalDate> months(Collection<LocalDate> days) {
    SortedSet<LocalDate> months = new TreeSet<>();
    days.forEach(d -> months.add(d.withDayOfMonth(1)));
    return months;
  }

  /** {@code days} and each of the {@code after} days following them. */
  public static SortedSet<LocalDate> withFollowing(Collection<LocalDate> days, int after) {
    SortedSet<LocalDate> out = new TreeSet<>();
    days.forEach(d -> {
      for (int i = 0; i <= after; i++) {
        out.add(d.plusDays(i));
      }
    });
    return out;
  }

  /** Every day of the ISO weeks starting on {@code mondays}. */
  public static SortedSet<LocalDate> daysOfWeeks(Collection<LocalDate> mondays) {
    SortedSet<LocalDate> out = new TreeSet<>();
    mondays.forEach(m -> {
      for (int i = 0; i < 7; i++) {
        out.add(m.plusDays(i));
      }
    });
    return out;
  }
}
