package io.parklake.reports.html;

import io.parklake.reports.table.ReportTable.Kind;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Escaping and the display formats of the site, kept together so pages and index agree. */
final class Html {
  private static final DateTimeFormatter UTC_MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Html() {}

  /** Escapes for both element content and quoted attribute values. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String instant(Instant instant) {
    return UTC_MINUTE.format(instant);
  }

  static boolean numeric(Kind kind) {
    return kind == Kind.MONEY || kind == Kind.INTEGER || kind == Kind.NUMBER || kind == Kind.PERCENT;
  }

  /** A cell's text: ISO dates, money with two decimals and its currency, percent of a fraction. */
  static String format(Object value, Kind kind, String currency) {
    if (value == null) {
      return "";
    }
    DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.ROOT);
    return switch (kind) {
      case MONEY -> {
        BigDecimal money = value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
        String amount = new DecimalFormat("#,##0.00", symbols).format(money);
        yield currency == null || currency.isEmpty() ? amount : amount + " " + currency;
      }
      case INTEGER -> new DecimalFormat("#,##0", symbols).format(value);
      case NUMBER -> new DecimalFormat("#,##0.##", symbols).format(value);
      case PERCENT -> new DecimalFormat("0.0%", symbols).format(value);
      default -> value.toString();
    };
  }

  /** "facility_name" → "Facility name": the mart's column names, readable. */
  static String heading(String column) {
    String spaced = column.replace('_', ' ').trim();
    return spaced.isEmpty() ? column : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }

  /** ASCII file-name part for a chart title. */
  static String slug(String title) {
    String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return s.length() > 40 ? s.substring(0, 40).replaceAll("-$", "") : s;
  }
}
