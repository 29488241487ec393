package io.parklake.reports.publish;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Points where tests inject a failure or hold a publish still; production uses {@link #NONE}.
 * Kept package-private so that the public surface stays {@link MartPublisher} alone.
 */
interface PublishHooks {
  PublishHooks NONE = new PublishHooks() {};

  /** The staging table is loaded and committed; nothing in the published schema has changed yet. */
  default void afterStaging(String mart, String stagingTable) throws SQLException {}

  /** The swap's statements ran on {@code connection} and hold their locks; the commit comes next. */
  default void beforeSwapCommit(String mart, Connection connection) throws SQLException {}
}
