package io.parklake.reports.catalog;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a report covers, in the facilities' local calendar: a day ({@code 2026-11-21}), an ISO
 * week ({@code 2026-W43}, Monday to Sunday) or a month ({@code 2026-10}). The label is also the
 * report's folder and S3 key part.
 */
public record Period(Kind kind, LocalDate start, LocalDate end, String label) {

  /** Day, ISO week or calendar month. */
  public enum Kind { DAY, WEEK, MONTH }

  private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

  public static Period day(LocalDate d) {
    return new Period(Kind.DAY, d, d, d.toString());
  }

  /** The ISO week containing {@code d}. */
  public static Period week(LocalDate d) {
    LocalDate monday = d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    String label = String.format("%d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR), monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    return new Period(Kind.WEEK, monday, monday.plusDays(6), label);
  }

  /** The calendar month containing {@code d}. */
  public static Period month(LocalDate d) {
    YearMonth m = YearMonth.from(d);
    return new Period(Kind.MONTH, m.atDay(1), m.atEndOfMonth(), m.toString());
  }

  /** The period of {@code kind} containing {@code d}. */
  public static Period of(Kind kind, LocalDate d) {
    return switch (kind) {
      case DAY -> day(d);
      case WEEK -> week(d);
      case MONTH -> month(d);
    };
  }

  /** Parses {@code 2026-11-21}, {@code 2026-W43} or {@code 2026-10}. */
  public static Period parse(String text) {
    Matcher w = WEEK.matcher(text);
    try {
      if (w.matches()) {
        int year = Integer.parseInt(w.group(1));
        int week = Integer.parseInt(w.group(2));
        LocalDate jan4 = LocalDate.of(year, 1, 4);
        if (week < 1 || week > jan4.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
          throw new IllegalArgumentException("'" + text + "': " + year + " has no ISO week " + week);
        }
        return week(jan4.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week));
      }
      if (text.matches("\\d{4}-\\d{2}")) {
        return month(YearMonth.parse(text).atDay(1));
      }
      return day(LocalDate.parse(text));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not a day (2026-11-21), an ISO week (2026-W43) or a month (2026-10)");
    }
  }

  /** The same kind of period just before this one. */
  public Period previous() {
    return of(kind, start.minusDays(1));
  }

  public int days() {
    return (int) (end.toEpochDay() - start.toEpochDay()) + 1;
  }

  /** {@code DATE'start' AND DATE'end'} for an SQL {@code BETWEEN}. */
  public String sqlBetween() {
    return "DATE'" + start + "' AND DATE'" + end + "'";
  }
}
