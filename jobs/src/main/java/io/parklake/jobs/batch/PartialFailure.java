package io.parklake.jobs.batch;

/**
 * The run's steps did everything they could but some parts (tables, marts, reports) failed or were
 * skipped: thrown by the last step ({@link PipelineSteps#verdict}) so that the run ends FAILED with
 * one message naming every part and its first cause.
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
