package io.parklake.reports.chart;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The colour each series key (usually a facility name) gets in every chart, PNG, SVG or Excel, so
 * an analyst learns "Harbour is orange" once. A key's home colour comes from a stable hash into the
 * Tableau 10 palette (designed to stay distinguishable for the common colour-vision deficiencies);
 * within one chart, keys whose home colours collide are moved to the next free colour.
 */
public final class FacilityPalette {

  /** One colour as the renderers need it: AWT for JFreeChart, hex for HTML/CSS, RGB bytes for POI. */
  public record Swatch(int red, int green, int blue) {
    public Color awt() {
      return new Color(red, green, blue);
    }

    /** {@code #RRGGBB}, upper case. */
    public String hex() {
      return String.format("#%02X%02X%02X", red, green, blue);
    }

    /** Three bytes as {@code XDDFColor.from(byte[])} takes them. */
    public byte[] rgb() {
      return new byte[] {(byte) red, (byte) green, (byte) blue};
    }

    static Swatch of(int rgb) {
      return new Swatch((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
    }

    Swatch mix(Swatch other, double share) {
      return new Swatch(
          (int) Math.round(red + (other.red - red) * share),
          (int) Math.round(green + (other.green - green) * share),
          (int) Math.round(blue + (other.blue - blue) * share));
    }
  }

  /** Tableau 10 (2016 revision), in its published order. */
  public static final List<Swatch> PALETTE = List.of(
      Swatch.of(0x4E79A7), Swatch.of(0xF28E2B), Swatch.of(0xE15759), Swatch.of(0x76B7B2), Swatch.of(0x59A14F),
      Swatch.of(0xEDC948), Swatch.of(0xB07AA1), Swatch.of(0xFF9DA7), Swatch.of(0x9C755F), Swatch.of(0xBAB0AC));

  private static final Swatch WHITE = new Swatch(255, 255, 255);
  private static final Swatch BLACK = new Swatch(0, 0, 0);

  private FacilityPalette() {}

  /** The key's home colour: the same in every chart, every run, every JVM. */
  public static Swatch colourOf(String key) {
    return PALETTE.get(homeSlot(key));
  }

  /**
   * Colours for the keys of one chart, all distinct while there are at most ten keys. Keys are
   * placed in sorted order so the result does not depend on row order: a key keeps its home colour
   * unless a key sorting before it already took it. Beyond ten keys the palette repeats in lighter,
   * then darker, tints rather than failing.
   */
  public static Map<String, Swatch> assign(Collection<String> keys) {
    TreeSet<String> sorted = new TreeSet<>(keys);
    Map<String, Swatch> result = new LinkedHashMap<>();
    boolean[] taken = new boolean[PALETTE.size()];
    int round = 0;
    int placedInRound = 0;
    for (String key : sorted) {
      if (placedInRound == PALETTE.size()) {
        taken = new boolean[PALETTE.size()];
        placedInRound = 0;
        round++;
      }
      int slot = homeSlot(key);
      while (taken[slot]) {
        slot = (slot + 1) % PALETTE.size();
      }
      taken[slot] = true;
      placedInRound++;
      result.put(key, tint(PALETTE.get(slot), round));
    }
    return result;
  }

  private static Swatch tint(Swatch base, int round) {
    return switch (round % 3) {
      case 0 -> base;
      case 1 -> base.mix(WHITE, 0.45);
      default -> base.mix(BLACK, 0.35);
    };
  }

  /** FNV-1a over UTF-8: unlike String.hashCode it spreads short similar names over the slots. */
  static int homeSlot(String key) {
    int hash = 0x811C9DC5;
    for (byte b : (key == null ? "" : key).getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xFF;
      hash *= 0x01000193;
    }
    return Math.floorMod(hash, PALETTE.size());
  }
}
