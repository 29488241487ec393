package io.parklake.warehouse.source;

import java.time.LocalDate;

/**
 * What to seed: {@code bookings} spread over {@code days} local days starting at {@code start},
 * drawn from the random stream {@code seed}. Equal options give identical rows.
 */
public record SeedOptions(long bookings, long seed, int days, LocalDate start) {

  public SeedOptions {
    if (bookings < 1) {
      throw new IllegalArgumentException("--bookings must be at least 1, was " + bookings);
    }
    if (days < 1 || days > 3660) {
      throw new IllegalArgumentException("--days must be between 1 and 3660, was " + days);
    }
    if (start == null) {
      throw new IllegalArgumentException("start date is required");
    }
  }

  /** The first day after the seeded range. */
  public LocalDate endExclusive() {
    return start.plusDays(days);
  }

  /** Seeds the {@code days} days that end yesterday (UTC). */
  public static SeedOptions endingYesterday(long bookings, long seed, int days) {
    return new SeedOptions(bookings, seed, days, LocalDate.now(java.time.ZoneOffset.UTC).minusDays(days));
  }
}
