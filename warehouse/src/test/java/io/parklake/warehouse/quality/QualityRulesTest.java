package io.parklake.warehouse.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.warehouse.source.SourceTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reasons a quarantined row carries in {@code _rules}, spelled out by hand: the strings the lake
 * gets for every source table, and the README's list of them, both against {@link QualityRule}, the
 * one definition the extraction, its log and the export use.
 */
class QualityRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");

  @Test
  void given_each_source_table_then_its_rows_are_checked_under_exactly_these_rule_strings() {
    Map<SourceTable, List<String>> expected = new LinkedHashMap<>();
    expected.put(SourceTable.USERS, List.of());
    expected.put(SourceTable.FACILITIES, List.of("facility_timezone_unknown", "capacity_negative"));
    expected.put(SourceTable.VEHICLES, List.of("unknown_fk:user_id"));
    expected.put(SourceTable.ZONES, List.of("unknown_fk:facility_id", "capacity_negative"));
    expected.put(SourceTable.PARKING_SPOTS, List.of("unknown_fk:zone_id"));
    expected.put(SourceTable.PRICING_RULES, List.of("unknown_fk:facility_id"));
    expected.put(SourceTable.SUBSCRIPTIONS, List.of("unknown_fk:facility_id", "money_missing_or_negative"));
    expected.put(SourceTable.USER_SUBSCRIPTIONS,
        List.of("unknown_fk:user_id", "unknown_fk:subscription_id", "end_before_start"));
    expected.put(SourceTable.BOOKINGS, List.of("unknown_fk:user_id", "unknown_fk:vehicle_id", "unknown_fk:spot_id",
        "unknown_fk:facility_id", "unknown_enum:status", "facility_timezone_unknown", "end_before_start",
        "money_missing_or_negative", "timestamp_in_future"));
    expected.put(SourceTable.VIOLATIONS, List.of("unknown_fk:user_id", "unknown_fk:vehicle_id", "unknown_fk:facility_id",
        "unknown_fk:booking_id", "unknown_enum:status", "facility_timezone_unknown", "end_before_start",
        "money_missing_or_negative", "timestamp_in_future"));
    expected.put(SourceTable.PAYMENTS, List.of("unknown_fk:user_id", "unknown_fk:facility_id", "unknown_fk:booking_id",
        "unknown_fk:violation_id", "unknown_fk:user_subscription_id", "unknown_enum:kind", "unknown_enum:provider",
        "unknown_enum:status", "facility_timezone_unknown", "money_missing_or_negative", "paid_without_time",
        "timestamp_in_future"));
    expected.put(SourceTable.PARKING_EVENTS, List.of("unknown_fk:facility_id", "unknown_fk:zone_id",
        "unknown_enum:direction", "facility_timezone_unknown", "confidence_out_of_range", "timestamp_in_future"));
    expected.put(SourceTable.AUDIT_LOGS, List.of("unknown_fk:user_id", "timestamp_in_future"));

    Map<SourceTable, List<String>> actual = new LinkedHashMap<>();
    for (SourceTable t : SourceTable.values()) {
      actual.put(t, List.copyOf(QualityRules.predicates(t, NOW).keySet()));
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void given_the_rule_definitions_then_every_one_but_the_camera_duplicate_is_checked_on_some_table() {
    // duplicate_detection is added by the extraction itself (it compares rows with each other).
    Set<String> used = new LinkedHashSet<>();
    for (SourceTable t : SourceTable.values()) {
      for (String reason : QualityRules.predicates(t, NOW).keySet()) {
        used.add(reason.contains(":") ? reason.substring(0, reason.indexOf(':')) + ":<column>" : reason);
      }
    }
    List<String> defined = new ArrayList<>();
    for (QualityRule r : QualityRule.values()) {
      if (r != QualityRule.DUPLICATE_DETECTION) {
        defined.add(r.pattern());
      }
    }
    assertThat(used).containsExactlyInAnyOrderElementsOf(defined);
  }

  @Test
  void given_a_rule_then_its_string_is_rule_colon_column_or_the_bare_name_and_misuse_says_which_to_call() {
    assertThat(QualityRule.UNKNOWN_FK.on("user_id")).isEqualTo("unknown_fk:user_id");
    assertThat(QualityRule.END_BEFORE_START.reason()).isEqualTo("end_before_start");
    assertThat(QualityRule.UNKNOWN_ENUM.pattern()).isEqualTo("unknown_enum:<column>");
    assertThatThrownBy(QualityRule.UNKNOWN_FK::reason).isInstanceOf(IllegalStateException.class)
        .hasMessage("unknown_fk is about one column: use on(column)");
    assertThatThrownBy(() -> QualityRule.CAPACITY_NEGATIVE.on("total_spots")).isInstanceOf(IllegalStateException.class)
        .hasMessage("capacity_negative is about no particular column: use reason()");
  }

  @Test
  void given_the_readme_then_its_quarantine_section_lists_exactly_the_defined_rules() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("- **Quarantine.**");
    assertThat(start).as("README.md has a '- **Quarantine.**' item").isNotNegative();
    int end = readme.indexOf("\n- **", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> listed = new ArrayList<>();
    Matcher m = Pattern.compile("`([a-z][a-z_]*(?::<column>)?)`").matcher(section);
    while (m.find()) {
      listed.add(m.group(1));
    }
    List<String> defined = new ArrayList<>();
    for (QualityRule r : QualityRule.values()) {
      defined.add(r.pattern());
    }
    assertThat(listed).containsExactlyElementsOf(defined);
  }
}
