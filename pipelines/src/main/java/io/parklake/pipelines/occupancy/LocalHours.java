package io.parklake.pipelines.occupancy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The hours of local days in a time zone, computed with {@code java.time} rather than by arithmetic on
 * wall clocks: a local day runs from its start of day to the next day's, and is cut at every instant
 * whose local time is a whole hour. An ordinary day has 24 hours; the spring-forward day 23 (the
 * skipped hour has no slot); the fall-back day 25, the repeated wall-clock hour appearing twice with
 * two offsets and two different start instants, so nothing collides. A zone whose shift is not a
 * whole hour (Australia/Lord_Howe) gets one 30- or 90-minute slot on its change days; a zone whose
 * offset is not a whole number of hours (Asia/Kolkata) still has 60-minute hours starting at local
 * :00.
 */
public final class LocalHours {
  private LocalHours() {}

  /** One hour slot: [start, end) as instants, its position in the day and its wall-clock labels. */
  public record Slot(String timezone, LocalDate localDate, int hourSeq, int localHour, String utcOffset, Instant start,
      Instant end, Instant dayStart, Instant dayEnd) {}

  /** The slots of {@code day} in {@code zone}, in order. */
  public static List<Slot> of(ZoneId zone, LocalDate day) {
    ZonedDateTime dayStart = day.atStartOfDay(zone);
    ZonedDateTime dayEnd = day.plusDays(1).atStartOfDay(zone);
    List<Slot> out = new ArrayList<>(25);
    ZonedDateTime t = dayStart;
    int seq = 0;
    while (t.isBefore(dayEnd)) {
      ZonedDateTime next = t.plusHours(1).truncatedTo(ChronoUnit.HOURS);
      if (!next.toInstant().isAfter(t.toInstant())) {
        next = t.plusHours(1);
      }
      if (next.isAfter(dayEnd)) {
        next = dayEnd;
      }
      out.add(new Slot(zone.getId(), day, seq++, t.getHour(), t.getOffset().getId().equals("Z") ? "+00:00" : t.getOffset().getId(),
          t.toInstant(), next.toInstant(), dayStart.toInstant(), dayEnd.toInstant()));
      t = next;
    }
    return out;
  }

  public static final StructType SCHEMA = new StructType()
      .add("timezone", DataTypes.StringType, false)
      .add("local_date", DataTypes.DateType, false)
      .add("hour_seq", DataTypes.IntegerType, false)
      .add("local_hour", DataTypes.IntegerType, false)
      .add("utc_offset", DataTypes.StringType, false)
      .add("hour_start", DataTypes.TimestampType, false)
      .add("hour_end", DataTypes.TimestampType, false)
      .add("hs", DataTypes.LongType, false)
      .add("he", DataTypes.LongType, false)
      .add("ds", DataTypes.LongType, false)
      .add("de", DataTypes.LongType, false);

  /**
   * Every slot of every day in every zone, with epoch seconds beside the instants ({@code hs}, {@code he}
   * the hour, {@code ds}, {@code de} the day). A zone id Java does not know is skipped (silver
   * quarantines such facilities).
   */
  public static Dataset<Row> dataset(SparkSession spark, Collection<String> timezones, Collection<LocalDate> days) {
    List<Row> rows = new ArrayList<>();
    for (String tz : new TreeSet<>(timezones)) {
      ZoneId zone;
      try {
        zone = ZoneId.of(tz);
      } catch (DateTimeException | NullPointerException e) {
        continue;
      }
      for (LocalDate day : new TreeSet<>(days)) {
        for (Slot s : of(zone, day)) {
          rows.add(RowFactory.create(tz, s.localDate(), s.hourSeq(), s.localHour(), s.utcOffset(), s.start(), s.end(),
              s.start().getEpochSecond(), s.end().getEpochSecond(), s.dayStart().getEpochSecond(), s.dayEnd().getEpochSecond()));
        }
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
