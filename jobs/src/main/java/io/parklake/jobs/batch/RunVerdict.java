package io.parklake.jobs.batch;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;

/**
 * How a job made of contained steps ends: every step runs whatever failed before it (each step
 * itself skips what depends on a failure), and the job ends FAILED when any step of this execution
 * failed, COMPLETED otherwise. A restart then reruns only the failed steps, and each of those only
 * its failed parts.
 */
final class RunVerdict implements JobExecutionDecider {
  static final String FAILED = "FAILED";

  @Override
  public FlowExecutionStatus decide(JobExecution job, StepExecution last) {
    boolean failed = job.getStepExecutions().stream().anyMatch(s -> s.getStatus() == BatchStatus.FAILED);
    return failed ? FlowExecutionStatus.FAILED : FlowExecutionStatus.COMPLETED;
  }

  /** A flow running {@code steps} in order whatever each one's outcome, then this verdict. */
  static org.springframework.batch.core.job.flow.Flow flow(String name, org.springframework.batch.core.Step... steps) {
    FlowBuilder<org.springframework.batch.core.job.flow.Flow> b = new FlowBuilder<>(name);
    b.start(steps[0]);
    for (int i = 1; i < steps.length; i++) {
      b.on("*").to(steps[i]);
    }
    RunVerdict verdict = new RunVerdict();
    b.on("*").to(verdict);
    b.from(verdict).on(FAILED).fail();
    b.from(verdict).on("*").end();
    return b.build();
  }
}
