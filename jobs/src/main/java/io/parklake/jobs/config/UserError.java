package io.parklake.jobs.config;

/**
 * A problem the person running ParkLake must fix (bad configuration, bad input), as opposed to an
 * internal failure. The CLI prints its message on one line, without a stack trace, and exits 2.
 */
public class UserError extends RuntimeException {
  private final String setting;

  public UserError(String setting, String message) {
    super(setting == null ? message : setting + ": " + message);
    this.setting = setting;
  }

  public UserError(String message) {
    this(null, message);
  }

  /** The configuration setting or option at fault, when there is one. */
  public String setting() {
    return setting;
  }
}
