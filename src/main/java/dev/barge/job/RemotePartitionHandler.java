package dev.barge.job;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;

/**
 * The manager's side of remote partitions: Spring Batch's partition handler (which sends the
 * requests and polls the job repository until every partition has ended), and beside it, while it
 * waits, a watch for partitions whose worker is gone ({@link ExecutionOwnership#isPartitionLost}).
 * Such a partition would look running forever. It is handed on: set back to STARTING, its owner
 * record forgotten, and its request sent again, so that the next worker to take it resumes the same
 * step execution from its last committed chunk (the reader's position and the counts are the
 * execution's committed context), while the job goes on. After {@value #MAX_TAKEOVERS} hand-offs of
 * one partition (a range that kills its workers) it is ended as FAILED instead, saying which worker
 * was lost, so that the job ends once the others have and its restart (the same command again)
 * resumes it.
 *
 * <p>A worker thought lost that was only silent (a stall of three heartbeats, from another host)
 * would run on beside the new one: its next commit then fails on the step execution's version, which
 * the hand-off raised, and the new worker's run is the one the repository keeps. Copies of the chunk
 * in flight may be made twice; nothing committed is.
 */
public final class RemotePartitionHandler implements PartitionHandler {
    private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);

    /** Hand-offs of one partition to another worker before it is ended as FAILED. */
    static final int MAX_TAKEOVERS = 3;
    /** Where a partition's execution context counts its hand-offs. */
    static final String TAKEOVERS = "barge.partition.takeovers";

    private final PartitionHandler polling;
    private final JobRepository repository;
    private final ExecutionOwnership ownership;
    private final String rangeStepName;
    private final Consumer<StepExecutionRequest> requests;
    private final PartitionNotices notices;

    /**
     * @param polling sends the requests and polls the repository until every partition has ended
     *     (a {@code MessageChannelPartitionHandler} with a job repository)
     * @param rangeStepName the name of the step the partitions run: their step names begin with it
     * @param requests sends a partition's request again, to the queue {@code polling} sends to
     * @param notices told of every hand-off and of every partition ended as lost, for the user's console
     */
    public RemotePartitionHandler(PartitionHandler polling, JobRepository repository, ExecutionOwnership ownership,
            String rangeStepName, Consumer<StepExecutionRequest> requests, PartitionNotices notices) {
        this.polling = requireNonNull(polling, "polling is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.rangeStepName = requireNonNull(rangeStepName, "rangeStepName is null");
        this.requests = requireNonNull(requests, "requests is null");
        this.notices = requireNonNull(notices, "notices is null");
    }

    @Override
    public Collection<StepExecution> handle(StepExecutionSplitter splitter, StepExecution managerStepExecution)
            throws Exception {
        long jobExecutionId = managerStepExecution.getJobExecutionId();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(MigrateJob.threads(
                "barge-lost-partitions"));
        long every = ownership.interval().toMillis();
        watch.scheduleWithFixedDelay(() -> endLostPartitions(jobExecutionId), every, every, TimeUnit.MILLISECONDS);
        try {
            return polling.handle(splitter, managerStepExecution);
        } finally {
            watch.shutdownNow();
        }
    }

    /**
     * Hands on the running partitions of an execution whose worker is gone, or ends them as FAILED
     * after {@value #MAX_TAKEOVERS} hand-offs.
     */
    void endLostPartitions(long jobExecutionId) {
        try {
            JobExecution execution = repository.getJobExecution(jobExecutionId);
            if (execution == null) {
                return;
            }
            for (StepExecution partition : execution.getStepExecutions()) {
                if (partition.getStepName().startsWith(rangeStepName + ":") && partition.getStatus().isRunning()
                        && ownership.isPartitionLost(partition.getId())) {
                    ExecutionOwnership.Owner owner = ownership.partitionOwner(partition.getId());
                    // as last committed, its context whole: the range and the reader's position
                    StepExecution committed = repository.getStepExecution(partition.getId());
                    int takeovers = committed == null ? MAX_TAKEOVERS
                            : committed.getExecutionContext().getInt(TAKEOVERS, 0);
                    if (takeovers < MAX_TAKEOVERS && !committed.getExecutionContext().isEmpty()) {
                        handOn(committed, owner, takeovers + 1);
                    } else {
                        fail(committed == null ? partition : committed, owner, takeovers);
                    }
                }
            }
        } catch (RuntimeException e) {
            // the next round looks again; the wait itself goes on
            log.warn("could not look for partitions of execution {} whose worker is gone: {}", jobExecutionId,
                    e.toString());
        }
    }

    /** Sets a lost partition back to STARTING and sends its request again: the next worker resumes it. */
    private void handOn(StepExecution partition, ExecutionOwnership.Owner owner, int takeover) {
        partition.getExecutionContext().putInt(TAKEOVERS, takeover);
        partition.setStatus(BatchStatus.STARTING);
        partition.setExitStatus(ExitStatus.UNKNOWN);
        // the version rises: a worker thought lost that still runs fails its next commit
        repository.update(partition);
        repository.updateExecutionContext(partition);
        ownership.forgetPartition(partition.getId());
        requests.accept(new StepExecutionRequest(rangeStepName, partition.getId()));
        String handedOn = "partition " + partition.getStepName() + " lost its worker, " + owner
                + ": handed to the next worker, which resumes it from its last committed chunk (hand-off "
                + takeover + " of at most " + MAX_TAKEOVERS + ")";
        log.warn(handedOn);
        notices.tell(partition.getJobExecutionId(), handedOn);
    }

    /** Ends a lost partition as FAILED, saying which worker was lost and what to do. */
    private void fail(StepExecution partition, ExecutionOwnership.Owner owner, int takeovers) {
        String lost = "partition " + partition.getStepName() + " lost its worker, " + owner
                + (takeovers > 0 ? ", after " + takeovers + " hand-offs to other workers" : "")
                + ": ended as FAILED; run the same command again to hand it to another worker, which resumes it"
                + " from its last committed chunk";
        partition.setStatus(BatchStatus.FAILED);
        partition.setExitStatus(ExitStatus.FAILED.addExitDescription(lost));
        partition.setEndTime(LocalDateTime.now());
        repository.update(partition);
        ownership.forgetPartition(partition.getId());
        log.warn(lost);
        notices.tell(partition.getJobExecutionId(), lost);
    }
}
