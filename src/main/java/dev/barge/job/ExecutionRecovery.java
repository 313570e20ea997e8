package dev.barge.job;

import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Makes an execution that a gone process left unfinished restartable, whatever shape the
 * interruption left it in, and never one whose process is alive.
 *
 * <p>Spring Batch refuses to restart an instance ("A job execution for this job is already
 * running") while any of its executions has a running status (STARTING, STARTED, STOPPING) or the
 * last one has a step in a running status. An interruption can leave every combination: kill -9
 * leaves STARTED with its step STARTED; a stop request ({@link JobOperator#stop}) writes the
 * execution as STOPPED with an end time at once, so a process that dies before its step reaches
 * the chunk boundary leaves STOPPED with its step STARTED; a process that dies while creating the
 * execution leaves it STARTING with no owner record. {@link JobOperator#recover} fixes them all
 * (running steps and the execution become FAILED with an end time), but it checks nothing about
 * the process; this class decides first, from {@link ExecutionOwnership}.
 */
public final class ExecutionRecovery {
    private static final Logger log = LoggerFactory.getLogger(ExecutionRecovery.class);

    private final JobRepository repository;
    private final JobOperator operator;
    private final ExecutionOwnership ownership;

    public ExecutionRecovery(JobRepository repository, JobOperator operator, ExecutionOwnership ownership) {
        this.repository = requireNonNull(repository, "repository is null");
        this.operator = requireNonNull(operator, "operator is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
    }

    /**
     * Whether an execution has not reached its end: a running status, no end time, or a step
     * in a running status or without an end time. COMPLETED and ABANDONED executions are ended;
     * UNKNOWN is left to Spring Batch, which refuses to restart it.
     */
    public static boolean isUnfinished(JobExecution execution) {
        BatchStatus status = execution.getStatus();
        if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED || status == BatchStatus.UNKNOWN) {
            return false;
        }
        if (status.isRunning() || execution.getEndTime() == null) {
            return true;
        }
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isRunning() || step.getEndTime() == null && step.getStatus() != BatchStatus.UNKNOWN) {
                return true;
            }
        }
        return false;
    }

    /**
     * Recovers {@code execution} if it is unfinished and its process is gone.
     *
     * <p>An unfinished execution without an owner record may be one that another process is
     * creating right now: until {@link ExecutionOwnership#ownerRecordDeadline} this waits for the
     * record to appear (then the owner decides), and past it takes the process as gone.
     *
     * @return the execution as the repository now has it: ended and restartable, unless it was
     *     UNKNOWN
     * @throws JobRunner.AlreadyRunning when its process is alive
     */
    public JobExecution recoverIfOrphaned(JobExecution execution) throws JobRunner.AlreadyRunning {
        if (!isUnfinished(execution)) {
            return execution;
        }
        long id = execution.getId();
        if (ownerMayBeAlive(execution)) {
            throw new JobRunner.AlreadyRunning(execution, ownership.owner(id));
        }
        JobExecution current = repository.getJobExecution(id);
        if (current == null || !isUnfinished(current)) {
            return current;
        }
        log.warn("execution {} of {} was left {} (steps {}) by a process that is gone; recovering it", id,
                current.getJobInstance().getJobName(), current.getStatus(),
                current.getStepExecutions().stream().map(s -> s.getStepName() + " " + s.getStatus()).toList());
        operator.recover(current);
        ownership.forget(id);
        JobExecution recovered = repository.getJobExecution(id);
        if (isUnfinished(recovered)) {
            throw new IllegalStateException("execution " + id + " could not be recovered: it is still "
                    + recovered.getStatus());
        }
        return recovered;
    }

    private boolean ownerMayBeAlive(JobExecution execution) {
        long id = execution.getId();
        try {
            // another process may be between creating the execution and recording itself as owner
            ownership.awaitUntil(() -> ownership.owner(id) != null, ownership.ownerRecordDeadline(execution));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return ownership.isAlive(id);
    }
}
