package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectInfo;
import dev.barge.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * The writer of every job that does one thing to each listed object in place (archive changes its
 * storage class, restore asks for it to be made readable): the objects of a chunk that the
 * {@link ObjectFilter} takes go through an {@link ObjectAction} concurrently, and the chunk commits
 * once every one of them has an outcome. A job is then a listing, a filter and an action.
 *
 * <ul>
 *   <li>Only keys the listing gave, under the job's prefix, are acted on.</li>
 *   <li>An object the store refuses or has lost since the listing is recorded with its reason and
 *       the job goes on; what no object can get past (credentials, a missing bucket, a feature the
 *       store lacks) stops the step at once with a {@link FatalObjectFailure}.</li>
 *   <li>In a dry run the action is asked what it would do ({@link ObjectAction#wouldDo}) and the
 *       store is not changed.</li>
 * </ul>
 */
public final class ObjectActionWriter implements ItemWriter<ObjectInfo>, StepExecutionListener {

    /** What a job does to one object. */
    public interface ObjectAction {
        /**
         * Does it, or decides there is nothing to do, and says which.
         *
         * @param object the object as listed
         * @throws StorageException when the store refuses or fails
         */
        Outcome apply(ObjectInfo object);

        /** What {@link #apply} would do, without changing anything (a dry run); it may read. */
        Outcome wouldDo(ObjectInfo object);
    }

    private final String prefix;
    private final ObjectFilter filter;
    private final ObjectAction action;
    private final boolean dryRun;
    private final ExecutorService executor;
    private final ExecutionRecords records;
    private final long skipLimit;

    private long jobExecutionId;
    private String stepName;
    private long failures;

    /**
     * @param prefix the prefix the objects were listed under; filters see keys relative to it
     * @param executor where the actions of a chunk run, as many at once as it has threads
     */
    public ObjectActionWriter(String prefix, ObjectFilter filter, ObjectAction action, boolean dryRun,
            ExecutorService executor, ExecutionRecords records, long skipLimit) {
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.filter = requireNonNull(filter, "filter is null");
        this.action = requireNonNull(action, "action is null");
        this.dryRun = dryRun;
        this.executor = requireNonNull(executor, "executor is null");
        this.records = requireNonNull(records, "records is null");
        this.skipLimit = skipLimit;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        jobExecutionId = stepExecution.getJobExecutionId();
        stepName = stepExecution.getStepName();
        failures = records.failureCount(jobExecutionId);
    }

    private record Done(ObjectInfo object, Outcome outcome, StorageException failure) {}

    @Override
    public void write(Chunk<? extends ObjectInfo> chunk) {
        ChunkTally tally = new ChunkTally();
        List<CompletableFuture<Done>> running = new ArrayList<>();
        for (ObjectInfo object : chunk) {
            if (!object.key().startsWith(prefix)) {
                throw new IllegalStateException("the store listed '" + object.key() + "' for the prefix '" + prefix
                        + "'; nothing of this chunk was changed");
            }
            if (!filter.accepts(object.key().substring(prefix.length()), object)) {
                tally.add(Outcome.SKIPPED_FILTERED, object.size());
            } else {
                running.add(CompletableFuture.supplyAsync(() -> act(object), executor));
            }
        }
        FatalObjectFailure fatal = null;
        for (CompletableFuture<Done> future : running) {
            Done done;
            try {
                done = future.join();
            } catch (CompletionException e) {
                // not a StorageException: a bug or a broken store; the chunk does not commit
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            if (done.failure() == null) {
                tally.add(done.outcome(), done.object().size());
                continue;
            }
            FatalObjectFailure stop = FatalObjectFailure.ifFatal(done.object().key(), done.failure());
            if (stop != null) {
                fatal = fatal == null ? stop : fatal;
            } else {
                tally.fail(done.object().key(), done.object().size(), done.failure());
            }
        }
        if (fatal != null) {
            // every action of the chunk has ended: none is left running behind the failed step
            throw fatal;
        }
        failures = tally.record(records, jobExecutionId, stepName, failures, skipLimit);
    }

    private Done act(ObjectInfo object) {
        try {
            return new Done(object, dryRun ? action.wouldDo(object) : action.apply(object), null);
        } catch (StorageException e) {
            return new Done(object, null, e);
        }
    }
}
