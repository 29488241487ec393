package io.parklake.reports.catalog;

import io.parklake.reports.table.ReportTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * A headline figure of a report's cover and top cards: a label, a typed value exactly as the mart
 * states it (money as BigDecimal with its currency), and how it is formatted for people.
 */
public record Headline(String label, Object value, ReportTable.Kind kind, String unit) {

  public static Headline money(String label, BigDecimal value, String currency) {
    return new Headline(label, value == null ? BigDecimal.ZERO.setScale(2) : value.setScale(2, RoundingMode.UNNECESSARY),
        ReportTable.Kind.MONEY, currency);
  }

  public static Headline count(String label, long value) {
    return new Headline(label, value, ReportTable.Kind.INTEGER, null);
  }

  /** A ratio shown as a percentage (0.253 → 25.3 %); null is shown as "n/a". */
  public static Headline percent(String label, Double ratio) {
    return new Headline(label, ratio, ReportTable.Kind.PERCENT, null);
  }

  public static Headline text(String label, String value) {
    return new Headline(label, value, ReportTable.Kind.TEXT, null);
  }

  /** The value as a person reads it: {@code 12,345.60 EUR}, {@code 1,204}, {@code 25.3 %}. */
  public String formatted() {
    if (value == null) {
      return "n/a";
    }
    DecimalFormatSymbols en = DecimalFormatSymbols.getInstance(Locale.ROOT);
    return switch (kind) {
      case MONEY -> new DecimalFormat("#,##0.00", en).format(value) + (unit == null ? "" : " " + unit);
      case INTEGER -> new DecimalFormat("#,##0", en).format(value);
      case PERCENT -> new DecimalFormat("0.0", en).format(((Number) value).doubleValue() * 100) + " %";
      case NUMBER -> new DecimalFormat("#,##0.##", en).format(value) + (unit == null ? "" : " " + unit);
      default -> String.valueOf(value);
    };
  }
}
