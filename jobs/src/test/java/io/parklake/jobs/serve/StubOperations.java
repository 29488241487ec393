package io.parklake.jobs.serve;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What serve's API calls, for tests of the HTTP layer alone: it names the jobs, is ready, and answers
 * the archive endpoints with {@code archive} when given one; starting, restarting or stopping a run,
 * or reading the job repository, fails (those have their own tests against real processes).
 */
record StubOperations(List<String> jobs, Optional<ArchiveApi> archive) implements ApiServer.Operations {

  StubOperations() {
    this(List.of("hourly", "nightly"), Optional.empty());
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public JobProcesses.Launch trigger(String job, Optional<LocalDate> date, Optional<LocalDate> from, Optional<LocalDate> to) {
    throw new UnsupportedOperationException("trigger");
  }

  @Override
  public JobProcesses.Launch restart(long executionId) {
    throw new UnsupportedOperationException("restart");
  }

  @Override
  public Optional<String> stop(long executionId, boolean force) {
    throw new UnsupportedOperationException("stop");
  }

  @Override
  public RunRepository runs() {
    throw new UnsupportedOperationException("runs");
  }

  @Override
  public Schedules schedules() {
    throw new UnsupportedOperationException("schedules");
  }

  @Override
  public int runningChildren() {
    return 0;
  }
}
