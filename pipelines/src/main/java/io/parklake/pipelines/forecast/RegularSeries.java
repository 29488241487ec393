package io.parklake.pipelines.forecast;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A series on a regular time grid, made from timestamped readings for the models, which know only
 * "the next step". Times are local date-times (a wall clock, no zone): a grid of fixed steps from the
 * first reading, each reading going to its nearest grid point and several on one point averaged.
 *
 * <p>Missing steps are filled and counted in {@link #filled()}: a missing step takes the value one
 * season earlier (a gap in a seasonal series has the season's shape, not a straight line), and where
 * there is no season yet, the straight line between its neighbours.
 */
public record RegularSeries(LocalDateTime start, Duration step, double[] values, int filled) {
  /** Grids longer than this come from a step far too small for the readings: refused, not allocated. */
  static final int MAX_LENGTH = 10_000_000;

  /** One reading of a series. */
  public record Reading(LocalDateTime time, double value) {}

  public int size() {
    return values.length;
  }

  /** The time of grid point {@code index}. */
  public LocalDateTime time(int index) {
    return start.plus(step.multipliedBy(index));
  }

  /** Puts {@code readings} (any order) on a grid of {@code step}, filling gaps with period {@code season}. */
  public static RegularSeries of(List<Reading> readings, Duration step, int season) {
    if (readings.isEmpty()) {
      throw new IllegalArgumentException("no readings");
    }
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("step must be positive, got " + step);
    }
    List<Reading> sorted = new ArrayList<>(readings);
    sorted.sort(Comparator.comparing(Reading::time));
    LocalDateTime start = sorted.get(0).time();
    long last = index(start, sorted.get(sorted.size() - 1).time(), step);
    if (last + 1 > MAX_LENGTH) {
      throw new IllegalArgumentException("a step of " + step + " from " + start + " to " + sorted.get(sorted.size() - 1).time()
          + " makes " + (last + 1) + " points (at most " + MAX_LENGTH + ")");
    }
    double[] sum = new double[(int) last + 1];
    int[] count = new int[sum.length];
    for (Reading r : sorted) {
      int i = (int) index(start, r.time(), step);
      sum[i] += r.value();
      count[i]++;
    }
    double[] values = new double[sum.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = count[i] == 0 ? Double.NaN : sum[i] / count[i];
    }
    int filled = fillGaps(values, season);
    return new RegularSeries(start, step, values, filled);
  }

  /** The most common gap between consecutive distinct times (ties: the smaller): the series' step. */
  public static Duration typicalStep(List<LocalDateTime> times) {
    List<LocalDateTime> sorted = new ArrayList<>(new TreeSet<>(times));
    if (sorted.size() < 2) {
      throw new IllegalArgumentException("one distinct time gives no step");
    }
    Map<Duration, Integer> gaps = new HashMap<>();
    for (int i = 1; i < sorted.size(); i++) {
      gaps.merge(Duration.between(sorted.get(i - 1), sorted.get(i)), 1, Integer::sum);
    }
    return Collections.max(gaps.entrySet(), Map.Entry.<Duration, Integer>comparingByValue()
        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).getKey();
  }

  private static long index(LocalDateTime start, LocalDateTime t, Duration step) {
    return Duration.between(start, t).plus(step.dividedBy(2)).dividedBy(step);
  }

  /**
   * Replaces every NaN in place (see the class comment) and returns how many there were. A NaN with
   * no known value before it takes the first known value after it.
   */
  static int fillGaps(double[] values, int season) {
    int filled = 0;
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        continue;
      }
      filled++;
      if (season >= 1 && i >= season) {
        values[i] = values[i - season];
        continue;
      }
      int next = i + 1;
      while (next < values.length && Double.isNaN(values[next])) {
        next++;
      }
      if (i == 0 || next == values.length) {
        // An open end: hold the nearest known value.
        values[i] = i == 0 ? (next < values.length ? values[next] : Double.NaN) : values[i - 1];
        continue;
      }
      values[i] = values[i - 1] + (values[next] - values[i - 1]) / (next - i + 1);
    }
    if (values.length > 0 && Double.isNaN(values[0])) {
      throw new IllegalArgumentException("no known value to fill from");
    }
    return filled;
  }
}
