package io.parklake.reports.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.parklake.reports.chart.FacilityPalette.Swatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FacilityPaletteTest {

  @Test
  void given_a_key_then_its_home_colour_is_pinned_across_runs_and_jvms() {
    // Pinned values: changing the hash or the palette would recolour every facility in every archived report.
    assertThat(FacilityPalette.colourOf("Harbour Garage").hex()).isEqualTo("#EDC948");
    assertThat(FacilityPalette.colourOf("Central Station").hex()).isEqualTo("#B07AA1");
    assertThat(FacilityPalette.colourOf("Airport P3").hex()).isEqualTo("#BAB0AC");
  }

  @Test
  void given_up_to_ten_keys_then_every_key_gets_a_distinct_palette_colour_whatever_the_order() {
    List<String> keys = IntStream.range(0, 10).mapToObj(i -> "Facility " + i).toList();
    List<String> shuffled = new ArrayList<>(keys);
    Collections.shuffle(shuffled, new java.util.Random(7));

    Map<String, Swatch> a = FacilityPalette.assign(keys);
    Map<String, Swatch> b = FacilityPalette.assign(shuffled);

    assertThat(a.values()).doesNotHaveDuplicates().allMatch(FacilityPalette.PALETTE::contains);
    keys.forEach(k -> assertThat(b.get(k)).as(k).isEqualTo(a.get(k)));
  }

  @Test
  void given_two_keys_with_the_same_home_then_the_one_sorting_first_keeps_it_and_the_other_moves_on() {
    String first = "Facility 0";
    String clash = IntStream.range(1, 1000).mapToObj(i -> "Other " + i)
        .filter(k -> FacilityPalette.homeSlot(k) == FacilityPalette.homeSlot(first)).findFirst().orElseThrow();

    Map<String, Swatch> colours = FacilityPalette.assign(List.of(clash, first));

    assertThat(colours.get(first)).isEqualTo(FacilityPalette.colourOf(first));
    assertThat(colours.get(clash)).isEqualTo(FacilityPalette.PALETTE.get((FacilityPalette.homeSlot(first) + 1) % 10));
  }

  @Test
  void given_more_than_ten_keys_then_the_eleventh_gets_a_lighter_tint_instead_of_a_repeat() {
    List<String> keys = IntStream.range(0, 12).mapToObj(i -> String.format("F%02d", i)).toList();

    Map<String, Swatch> colours = FacilityPalette.assign(keys);

    assertThat(colours.values()).hasSize(12).doesNotHaveDuplicates();
    assertThat(colours.get("F10")).isNotIn(FacilityPalette.PALETTE);
  }

  @Test
  void given_a_swatch_then_hex_and_rgb_bytes_describe_the_same_colour() {
    Swatch blue = FacilityPalette.PALETTE.get(0);

    assertThat(blue.hex()).isEqualTo("#4E79A7");
    assertThat(blue.rgb()).containsExactly((byte) 0x4E, (byte) 0x79, (byte) 0xA7);
    assertThat(blue.awt().getRGB() & 0xFFFFFF).isEqualTo(0x4E79A7);
  }
}
