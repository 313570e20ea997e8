package dev.barge.job;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * The manager's side of remote partitions: Spring Batch's partition handler (which sends the
 * requests and polls the job repository until every partition has ended), and beside it, while it
 * waits, a watch for partitions whose worker is gone ({@link ExecutionOwnership#isPartitionLost}).
 * Such a partition would look running forever; it is ended as FAILED, saying which worker was lost,
 * so that the job ends once the others have, and its restart (the same command again) hands the
 * partition to a live worker, which resumes it from its last committed chunk.
 */
public final class RemotePartitionHandler implements PartitionHandler {
    private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);

    private final PartitionHandler polling;
    private final JobRepository repository;
    private final ExecutionOwnership ownership;
    private final String rangeStepName;

    /**
     * @param polling sends the requests and polls the repository until every partition has ended
     *     (a {@code MessageChannelPartitionHandler} with a job repository)
     * @param rangeStepName the name of the step the partitions run: their step names begin with it
     */
    public RemotePartitionHandler(PartitionHandler polling, JobRepository repository, ExecutionOwnership ownership,
            String rangeStepName) {
        this.polling = requireNonNull(polling, "polling is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.rangeStepName = requireNonNull(rangeStepName, "rangeStepName is null");
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

    /** Ends, as FAILED, the running partitions of an execution whose worker is gone. */
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
                    String lost = "partition " + partition.getStepName() + " lost its worker, " + owner
                            + ": ended as FAILED; run the same command again to hand it to another worker, which"
                            + " resumes it from its last committed chunk";
                    log.warn(lost);
                    partition.setStatus(BatchStatus.FAILED);
                    partition.setExitStatus(ExitStatus.FAILED.addExitDescription(lost));
                    partition.setEndTime(LocalDateTime.now());
                    repository.update(partition);
                    ownership.forgetPartition(partition.getId());
                }
            }
        } catch (RuntimeException e) {
            // the next round looks again; the wait itself goes on
            log.warn("could not look for partitions of execution {} whose worker is gone: {}", jobExecutionId,
                    e.toString());
        }
    }
}
