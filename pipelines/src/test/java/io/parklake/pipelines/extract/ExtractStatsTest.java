package io.parklake.pipelines.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.warehouse.quality.QualityRule;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The line the run log (and {@code run --json}'s notes) shows for one table's extraction. */
class ExtractStatsTest {

  @Test
  void given_quarantined_rows_then_the_summary_counts_them_under_the_strings_the_lake_stores_in_rules() {
    // The extraction counts the strings of quarantine's _rules column as they are (TableExtractor.countByRule).
    Map<String, Long> byRule = new TreeMap<>();
    byRule.put(QualityRule.UNKNOWN_FK.on("user_id"), 2L);
    byRule.put(QualityRule.MONEY_MISSING_OR_NEGATIVE.reason(), 1L);
    byRule.put(QualityRule.DUPLICATE_DETECTION.reason(), 4L);
    ExtractStats stats = new ExtractStats("payments", 812, 810, 7, 4, byRule,
        Set.of(LocalDate.of(2026, 11, 3)), Instant.parse("2026-11-21T06:00:00Z"), 2.0);
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.US);
    try {
      assertThat(stats.summary()).isEqualTo("payments: read 812, new 810, quarantined 7 "
          + "{duplicate_detection=4, money_missing_or_negative=1, unknown_fk:user_id=2}, collapsed 4, "
          + "1 day(s) touched, 2.0 s (406 rows/s)");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void given_no_quarantined_rows_then_the_summary_lists_no_rules() {
    ExtractStats stats = new ExtractStats("users", 5, 0, 0, 0, Map.of(), Set.of(), Instant.parse("2026-11-21T06:00:00Z"),
        1.0);
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.US);
    try {
      assertThat(stats.summary()).isEqualTo("users: read 5, new 0, quarantined 0, collapsed 0, 0 day(s) touched, "
          + "1.0 s (5 rows/s)");
    } finally {
      Locale.setDefault(before);
    }
  }
}
