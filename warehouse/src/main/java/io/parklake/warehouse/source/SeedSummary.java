package io.parklake.warehouse.source;

import java.time.Instant;
import java.util.Map;

/** Rows written per source table, and the instant the seeded world stands at. */
public record SeedSummary(Map<String, Long> rowsPerTable, Instant asOf) {

  public long rows(String table) {
    return rowsPerTable.getOrDefault(table, 0L);
  }

  public long totalRows() {
    return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
  }
}
