package dev.barge.batch;

import dev.barge.storage.StorageException;
import java.util.Map;

/**
 * What the batch blocks write about the execution they run in, beside Spring Batch's own tables:
 * totals by outcome, per-object failures and per-object findings. The job layer keeps them
 * ({@link dev.barge.job.ExecutionRecords}, over JDBC); the blocks only write through this.
 */
public interface ExecutionRecords {

    /** Objects and bytes of one outcome. */
    record Total(long objects, long bytes) {
        public Total plus(long moreObjects, long moreBytes) {
            return new Total(objects + moreObjects, bytes + moreBytes);
        }
    }

    /** Adds a chunk's totals, in the chunk's transaction: they count exactly the committed work. */
    void addTotals(long jobExecutionId, Map<Outcome, Total> totals);

    /**
     * Records an object the job gave up on, with the reason, in a transaction of its own: the reason
     * survives a chunk that rolls back.
     */
    void recordFailure(long jobExecutionId, String step, String key, Long size, StorageException e);

    /**
     * Records what a comparison found about one key ({@link Outcome#MISSING_AT_TARGET}, say), in the
     * chunk's transaction, so that a chunk done again after a restart reports each key once.
     */
    void recordFinding(long jobExecutionId, String step, String key, Long size, Outcome outcome, String message);

    /** The objects an execution gave up on, findings not counted: what its skip limit counts. */
    long failureCount(long jobExecutionId);
}
