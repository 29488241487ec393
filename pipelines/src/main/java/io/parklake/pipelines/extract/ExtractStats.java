package io.parklake.pipelines.extract;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * What one table's extraction did: row versions read from the source, versions new to the lake,
 * rows quarantined (per rule), duplicate camera detections collapsed, and the business dates whose
 * rows changed (the partitions marts and reconciliation must look at).
 */
public record ExtractStats(String table, long read, long written, long quarantined, long collapsed,
    Map<String, Long> quarantinedByRule, Set<LocalDate> affectedDates, java.time.Instant high, double seconds) {

  public String summary() {
    return String.format("%s: read %,d, new %,d, quarantined %,d%s, collapsed %,d, %d day(s) touched, %.1f s (%,.0f rows/s)",
        table, read, written, quarantined, quarantinedByRule.isEmpty() ? "" : " " + quarantinedByRule, collapsed,
        affectedDates.size(), seconds, read / Math.max(seconds, 1e-3));
  }
}
