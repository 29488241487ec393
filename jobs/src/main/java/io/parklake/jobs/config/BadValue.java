package io.parklake.jobs.config;

/**
 * A written value a {@link SettingType} cannot accept. It carries two wordings of the problem: one
 * quoting the value, and one that does not, used when the setting is a secret.
 */
final class BadValue extends IllegalArgumentException {
  private final String withoutValue;

  BadValue(String withValue, String withoutValue) {
    super(withValue);
    this.withoutValue = withoutValue;
  }

  /** {@code 'value' problem}, or {@code the value problem} for a secret. */
  static BadValue of(String value, String problem) {
    return new BadValue("'" + value + "' " + problem, "the value " + problem);
  }

  /** A problem whose wording never contains the value. */
  static BadValue of(String problem) {
    return new BadValue(problem, problem);
  }

  String message(boolean secret) {
    return secret ? withoutValue : getMessage();
  }
}
