package io.parklake.warehouse.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SyntheticSourceTest {

  @Test
  void price_is_started_hours_after_free_minutes_capped_per_day() {
    // 3.00/h, 20.00 daily cap, 15 free minutes (hand-worked).
    assertThat(SyntheticSource.priceCents(300, 2000, 15, 15)).isZero();
    assertThat(SyntheticSource.priceCents(300, 2000, 15, 16)).isEqualTo(300);
    assertThat(SyntheticSource.priceCents(300, 2000, 0, 61)).isEqualTo(600);
    assertThat(SyntheticSource.priceCents(300, 2000, 0, 8 * 60)).isEqualTo(2000);
    assertThat(SyntheticSource.priceCents(300, 2000, 0, 1440 + 90)).isEqualTo(2000 + 600);
  }

  @Test
  void money_is_formatted_from_cents_without_floating_point() {
    assertThat(SyntheticSource.money(0)).isEqualTo("0.00");
    assertThat(SyntheticSource.money(5)).isEqualTo("0.05");
    assertThat(SyntheticSource.money(123456789)).isEqualTo("1234567.89");
    assertThat(SyntheticSource.money(-250)).isEqualTo("-2.50");
  }

  @Test
  void options_reject_impossible_values_naming_the_option() {
    assertThatThrownBy(() -> new SeedOptions(0, 1, 10, LocalDate.of(2026, 1, 1)))
        .hasMessageContaining("--bookings must be at least 1");
    assertThatThrownBy(() -> new SeedOptions(10, 1, 0, LocalDate.of(2026, 1, 1)))
        .hasMessageContaining("--days must be between 1 and 3660");
  }
}
