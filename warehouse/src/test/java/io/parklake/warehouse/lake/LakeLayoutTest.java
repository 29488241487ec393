package io.parklake.warehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LakeLayoutTest {
  private final LakeLayout lake = new LakeLayout("/data/lake/");

  @Test
  void resolves_qualified_and_bare_names() {
    assertThat(lake.resolve("silver.payments")).isEqualTo("/data/lake/silver/payments");
    assertThat(lake.resolve("quarantine.bookings")).isEqualTo("/data/lake/quarantine/bookings");
    assertThat(lake.resolve("revenue_daily")).isEqualTo("/data/lake/gold/revenue_daily");
    assertThat(lake.resolve("gold.revenue_daily")).isEqualTo("/data/lake/gold/revenue_daily");
  }

  @Test
  void rejects_an_unknown_layer_saying_which_exist() {
    assertThatThrownBy(() -> lake.resolve("platinum.x"))
        .hasMessage("unknown lake layer 'platinum' in 'platinum.x' (expected bronze, silver, quarantine or gold)");
  }
}
