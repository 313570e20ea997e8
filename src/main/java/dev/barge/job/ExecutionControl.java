package dev.barge.job;

import static java.util.Objects.requireNonNull;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.stereotype.Component;

/**
 * Stops and abandons executions, from the command line or the dashboard, with one set of rules:
 * a live execution is asked to stop after its chunk in flight; one whose process is gone is marked
 * failed at once, so that it can be resumed; only a stopped or failed execution is abandoned, and
 * never one that is running. Each action answers with a sentence for the operator, or refuses with
 * one ({@link Refused}).
 */
@Component
public final class ExecutionControl {
    private final JobCatalog catalog;
    private final JobOperator operator;
    private final ExecutionOwnership ownership;
    private final JobRunner runner;

    public ExecutionControl(JobCatalog catalog, JobOperator operator, ExecutionOwnership ownership, JobRunner runner) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.operator = requireNonNull(operator, "operator is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.runner = requireNonNull(runner, "runner is null");
    }

    /**
     * Asks execution {@code id} to stop after its chunk in flight, wherever it runs; an execution left
     * unfinished by a process that is gone is marked failed instead.
     *
     * @return what was done, in a sentence
     * @throws Refused when it is not running, or is just starting
     * @throws JobCatalog.UnknownExecution when there is no such execution
     */
    public String stop(long id) throws Exception {
        JobExecution e = catalog.execution(id);
        if (!ExecutionRecovery.isUnfinished(e)) {
            throw new Refused("execution " + id + " is not running (" + e.getStatus() + ")");
        }
        if (!ownership.isAlive(id)) {
            BatchStatus was = e.getStatus();
            try {
                runner.recovery().recoverIfOrphaned(e);
            } catch (JobRunner.AlreadyRunning starting) {
                throw new Refused("execution " + id + " is starting; stop it again in a moment");
            }
            return "execution " + id + " was left " + was + " by a process that is gone; marked as failed."
                    + " Resume it with 'barge jobs restart " + id + "'";
        }
        if (!e.getStatus().isRunning() || e.getStatus() == BatchStatus.STOPPING) {
            return "execution " + id + " is already stopping; it stops after the chunk in flight";
        }
        operator.stop(e);
        return "asked execution " + id + " to stop; it stops after the chunk in flight";
    }

    /**
     * Marks a stopped or failed execution as never to be resumed: its job's command then starts a new run.
     *
     * @return what was done, in a sentence
     * @throws Refused when it completed, is abandoned already, or is running
     * @throws JobCatalog.UnknownExecution when there is no such execution
     */
    public String abandon(long id) throws Exception {
        JobExecution e = catalog.execution(id);
        if (e.getStatus() == BatchStatus.COMPLETED || e.getStatus() == BatchStatus.ABANDONED) {
            throw new Refused("execution " + id + " is " + e.getStatus() + "; only a stopped or failed"
                    + " execution can be abandoned");
        }
        try {
            e = runner.recovery().recoverIfOrphaned(e);
        } catch (JobRunner.AlreadyRunning running) {
            throw new Refused("execution " + id + " is running; stop it first with 'barge jobs stop " + id + "'");
        }
        operator.abandon(e);
        return "execution " + id + " abandoned; its " + e.getJobInstance().getJobName()
                + " command now starts a new run";
    }

    /** The action was refused; nothing was changed. */
    public static final class Refused extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
