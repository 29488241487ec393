package io.parklake.pipelines.extract;

/**
 * Named points inside an extraction where a test can make the run die, the way a kill would: after
 * the source read, after each lake commit, before and after the watermark moves. Production uses
 * {@link #NONE}.
 */
@FunctionalInterface
public interface FaultInjector {
  FaultInjector NONE = point -> {};

  /** Called when the extraction reaches {@code point} (e.g. {@code "bronze:bookings"}); may throw. */
  void reached(String point);
}
