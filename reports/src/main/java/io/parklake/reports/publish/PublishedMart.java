package io.parklake.reports.publish;

/**
 * What publishing one mart did: the PostgreSQL table it replaced, the Delta version it was copied
 * from, how many rows, and how long loading and swapping took.
 */
public record PublishedMart(String mart, String table, long deltaVersion, long rows, double seconds) {

  public double rowsPerSecond() {
    return seconds > 0 ? rows / seconds : rows;
  }
}
