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
  void given_gold_tables_elsewhere_then_only_those_marts_resolve_there_and_everything_else_stays() {
    LakeLayout asOf = lake.withGoldElsewhere("/data/lake/_as_of/2026-10-31/", java.util.List.of("forecast_accuracy"));

    assertThat(asOf.gold("forecast_accuracy")).isEqualTo("/data/lake/_as_of/2026-10-31/forecast_accuracy");
    assertThat(asOf.resolve("gold.forecast_accuracy")).isEqualTo("/data/lake/_as_of/2026-10-31/forecast_accuracy");
    assertThat(asOf.resolve("forecast_accuracy")).isEqualTo("/data/lake/_as_of/2026-10-31/forecast_accuracy");
    assertThat(asOf.resolve("gold.occupancy_hourly")).isEqualTo("/data/lake/gold/occupancy_hourly");
    assertThat(asOf.silver("forecast_accuracy")).isEqualTo("/data/lake/silver/forecast_accuracy");
    assertThat(asOf.root()).isEqualTo("/data/lake");
    assertThat(lake.gold("forecast_accuracy")).as("the original view is unchanged").isEqualTo("/data/lake/gold/forecast_accuracy");
  }

  @Test
  void rejects_an_unknown_layer_saying_which_exist() {
    assertThatThrownBy(() -> lake.resolve("platinum.x"))
        .hasMessage("unknown lake layer 'platinum' in 'platinum.x' (expected bronze, silver, quarantine or gold)");
  }
}
