package io.parklake.reports.chart;

import java.nio.file.Path;

/** A chart written to disk as a PNG (for pages and mail) and an SVG (for print and zoom) of the same drawing. */
public record ChartImage(Path png, Path svg, String alt, int width, int height) {}
