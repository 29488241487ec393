package io.parklake.reports.chart;

import java.awt.Color;
import java.awt.Paint;
import java.io.Serializable;
import org.jfree.chart.renderer.PaintScale;

/**
 * Viridis, interpolated between five stops: perceptually even and readable by colour-blind
 * readers and in greyscale print, unlike a red-to-green scale.
 */
final class SequentialPaintScale implements PaintScale, Serializable {
  private static final Color[] STOPS = {
    new Color(0x44, 0x01, 0x54), new Color(0x3B, 0x52, 0x8B), new Color(0x21, 0x91, 0x8C),
    new Color(0x5E, 0xC9, 0x62), new Color(0xFD, 0xE7, 0x25)
  };

  private final double lower;
  private final double upper;

  SequentialPaintScale(double lower, double upper) {
    this.lower = lower;
    this.upper = upper > lower ? upper : lower + 1;
  }

  @Override
  public double getLowerBound() {
    return lower;
  }

  @Override
  public double getUpperBound() {
    return upper;
  }

  @Override
  public Paint getPaint(double value) {
    double t = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, (value - lower) / (upper - lower)));
    double position = t * (STOPS.length - 1);
    int i = Math.min(STOPS.length - 2, (int) Math.floor(position));
    double f = position - i;
    Color a = STOPS[i];
    Color b = STOPS[i + 1];
    return new Color(
        (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * f),
        (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * f),
        (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * f));
  }
}
