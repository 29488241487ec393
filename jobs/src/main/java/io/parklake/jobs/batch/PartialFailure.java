package io.parklake.jobs.batch;

/**
 * A step did everything it could but some of its parts (tables, marts, reports) failed or were
 * skipped: the step ends FAILED so that a restart runs it again, yet the job goes on to the steps
 * after it (see {@link RunVerdict}), and the message names every part with its first cause.
 */
final class PartialFailure extends RuntimeException {
  PartialFailure(String message) {
    super(message);
  }

  /** Parts as {@code name (cause), name (cause)}. */
  static String list(java.util.Map<String, String> parts) {
    return String.join(", ", parts.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList());
  }
}
