package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.DeleteResult;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.transfer.ObjectTransfer;
import dev.barge.transfer.TransferRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Carries out a chunk of {@link PlannedObject}s: each object's copy (or the check before its delete)
 * is {@link #start started} on a bounded executor as soon as the object is planned, possibly while
 * an earlier chunk is still being written; {@link #write} waits for all of the chunk's work, then
 * deletes what the checks allow, so the chunk commits only what finished.
 *
 * <ul>
 *   <li>A failure that may pass (a checksum mismatch, a stream cut off) is tried again, up to
 *       {@code objectAttempts} times in all, reading the source afresh.</li>
 *   <li>A failure of one object (vanished, unreadable, refused by the target, a key the target
 *       cannot hold, or anything unexpected) is recorded in the failure table with its reason,
 *       and the job goes on; past {@code skipLimit} failures in one execution the step fails.</li>
 *   <li>A failure that no object can get past fails the step at once with a
 *       {@link FatalObjectFailure}: credentials refused, a bucket missing, a feature the store
 *       lacks, or a target that refuses every write. A write refused with ACCESS_DENIED is only
 *       taken for the last when a {@link WriteProbe} under the target prefix is refused too;
 *       otherwise it is that object's failure (a read-only subdirectory, a denied key).</li>
 *   <li>Nothing is deleted on the strength of the listing comparison alone. Before a target-only
 *       object is deleted ({@link PlannedObject.Action#DELETE_EXTRANEOUS}) the source is asked
 *       for its key, and it must be absent; before a source object is deleted in
 *       {@link MigrationMode#MOVE} the target is asked for its copy, and it must be identical by
 *       the job's {@link IdentityCheck}; then, once the chunk's copies are durable and just before
 *       the delete, the source is asked again, and it must still be the version that was listed
 *       ({@link ObjectInfo#changesSince}). A check that does not pass keeps the object and records
 *       why.</li>
 *   <li>In a dry run nothing is written; totals count what would have been done, deletes
 *       included (a target-only object is still checked at the source, which writes nothing).</li>
 * </ul>
 * Totals are written in the chunk's transaction; failures are recorded even if it rolls back.
 */
public final class MigrationItemWriter implements ItemWriter<MigrationItemWriter.Started>, StepExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(MigrationItemWriter.class);
    private static final Set<Operation> WRITES = EnumSet.of(Operation.PUT, Operation.COPY, Operation.APPEND,
            Operation.MULTIPART_INITIATE, Operation.MULTIPART_UPLOAD_PART, Operation.MULTIPART_COMPLETE,
            Operation.SET_STORAGE_CLASS);

    private final ObjectTransfer transfer;
    private final ExecutorService executor;
    private final ExecutorService checks;
    private final ObjectStore source;
    private final String sourceBucket;
    private final String sourcePrefix;
    private final ObjectStore target;
    private final String targetBucket;
    private final String targetPrefix;
    private final boolean sameStore;
    private final StorageClass targetStorageClass;
    private final MigrationMode mode;
    private final ObjectComparison comparison;
    private final boolean dryRun;
    private final ExecutionRecords records;
    private final long skipLimit;
    private final int objectAttempts;

    private long jobExecutionId;
    private String stepName;
    private long failures;

    MigrationItemWriter(MigrationItemWriterBuilder b) {
        this.transfer = b.transfer;
        this.executor = b.executor;
        this.checks = b.checks;
        this.source = b.source;
        this.sourceBucket = b.sourceBucket;
        this.sourcePrefix = b.sourcePrefix;
        this.target = b.target;
        this.targetBucket = b.targetBucket;
        this.targetPrefix = b.targetPrefix;
        this.sameStore = b.sameStore;
        this.targetStorageClass = b.targetStorageClass;
        this.mode = b.mode;
        this.comparison = new ObjectComparison(b.identityCheck);
        this.dryRun = b.dryRun;
        this.records = b.records;
        this.skipLimit = b.skipLimit;
        this.objectAttempts = b.objectAttempts;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        jobExecutionId = stepExecution.getJobExecutionId();
        stepName = stepExecution.getStepName();
        failures = records.failureCount(jobExecutionId);
    }

    /**
     * What became of one item's work.
     *
     * @param copied whether its bytes now are at the target
     * @param deletable whether the check before its delete passed (the delete is still to be done)
     * @param failure why the item failed, or {@code null}
     */
    private record Done(PlannedObject item, boolean copied, boolean deletable, StorageException failure) {
        static Done failed(PlannedObject item, StorageException failure) {
            return new Done(item, false, false, failure);
        }
    }

    /**
     * One planned object with its work started: the copy or the check before a delete, running on
     * the executor; {@code null} for an object with nothing to do but count.
     */
    public static final class Started {
        private final PlannedObject item;
        private final Future<Done> work;

        private Started(PlannedObject item, Future<Done> work) {
            this.item = item;
            this.work = work;
        }

        public PlannedObject item() {
            return item;
        }
    }

    /**
     * Starts an object's work on the executor (a copy, or the check before a delete), to be awaited
     * by {@link #write}; nothing is deleted before then. Called in listing order.
     */
    public Started start(PlannedObject item) {
        return new Started(item, switch (item.action()) {
            case SKIP_FILTERED, KEEP_EXTRANEOUS -> null;
            case DELETE_EXTRANEOUS -> executor.submit(() -> confirmAbsentAtSource(item));
            case SKIP_IDENTICAL -> mode == MigrationMode.MOVE && !dryRun
                    ? executor.submit(() -> confirmCopied(item, false)) : null;
            case COPY -> dryRun ? null : executor.submit(() -> copy(item));
        });
    }

    /** Gives up work started for an object that no chunk will hold (the step ended first). */
    public void abandon(Started started) {
        if (started.work != null) {
            started.work.cancel(true);
        }
    }

    /** Waits for the chunk's work, then deletes what its checks allow and records the totals and failures. */
    @Override
    public void write(Chunk<? extends Started> chunk) {
        ChunkTally tally = new ChunkTally();
        List<String> sourceDeletes = new ArrayList<>();
        List<String> targetDeletes = new ArrayList<>();
        List<Future<Done>> work = new ArrayList<>();
        for (Started started : chunk) {
            PlannedObject item = started.item;
            ObjectInfo s = item.pair().source();
            if (started.work != null) {
                work.add(started.work);
            }
            switch (item.action()) {
                case SKIP_FILTERED -> tally.add(Outcome.SKIPPED_FILTERED, s.size());
                case KEEP_EXTRANEOUS, DELETE_EXTRANEOUS -> { }
                case SKIP_IDENTICAL -> {
                    tally.add(Outcome.SKIPPED_IDENTICAL, s.size());
                    if (mode == MigrationMode.MOVE && dryRun) {
                        sourceDeletes.add(s.key());
                    }
                }
                case COPY -> {
                    if (dryRun) {
                        log.info("dry run: would copy {}/{} ({} bytes)", sourceBucket, s.key(), s.size());
                        tally.add(Outcome.COPIED, s.size());
                        if (mode == MigrationMode.MOVE) {
                            sourceDeletes.add(s.key());
                        }
                    }
                }
            }
        }
        List<Done> finished = new ArrayList<>(work.size());
        for (Future<Done> future : work) {
            finished.add(await(future));
        }
        if (!dryRun) {
            // the chunk's copies are durable before a move deletes their sources and before the chunk commits
            target.sync();
        }
        if (mode == MigrationMode.MOVE && !dryRun) {
            finished = recheckSources(finished);
        }
        FatalFailures fatalFailures = new FatalFailures();
        FatalObjectFailure fatal = null;
        for (Done done : finished) {
            PlannedObject item = done.item();
            if (done.failure() != null) {
                String key = fullKey(item);
                fatal = fatal != null ? fatal : fatalFailures.fatal(key, done.failure());
                tally.fail(key, size(item), done.failure());
                continue;
            }
            if (done.copied()) {
                tally.add(Outcome.COPIED, item.pair().source().size());
            }
            if (done.deletable()) {
                (item.action() == PlannedObject.Action.DELETE_EXTRANEOUS ? targetDeletes : sourceDeletes)
                        .add(fullKey(item));
            }
        }
        if (fatal != null) {
            throw fatal;
        }
        delete(target, targetBucket, targetDeletes, tally, fatalFailures);
        delete(source, sourceBucket, sourceDeletes, tally, fatalFailures);
        failures = tally.record(records, jobExecutionId, stepName, failures, skipLimit);
    }

    private Done copy(PlannedObject item) {
        ObjectInfo s = item.pair().source();
        String targetKey = targetPrefix + item.pair().key();
        // an object the target held when listed is overwritten only while it is still that version
        TransferRequest request = new TransferRequest(source, sourceBucket, s, target, targetBucket, targetKey,
                sameStore, targetStorageClass, item.pair().target());
        RetryPolicy policy = RetryPolicy.builder().maxRetries(objectAttempts - 1L).delay(Duration.ofMillis(200))
                .multiplier(2).maxDelay(Duration.ofSeconds(5))
                .predicate(t -> t instanceof StorageException e && e.isRetryable()).build();
        try {
            new RetryTemplate(policy).execute(() -> transfer.transfer(request));
        } catch (RetryException e) {
            return Done.failed(item, e.getCause() instanceof StorageException failure ? failure
                    : unexpected(s.key(), e.getCause()));
        } catch (RuntimeException e) {
            return Done.failed(item, unexpected(s.key(), e));
        }
        return mode == MigrationMode.MOVE ? confirmCopied(item, true) : new Done(item, true, false, null);
    }

    /** A failure nothing below Barge named: recorded against its object, with the stack trace in the log. */
    private StorageException unexpected(String key, Throwable e) {
        log.warn("copying {}/{} failed unexpectedly", sourceBucket, key, e);
        return StorageException.builder(ErrorKind.PERMANENT, Operation.COPY).bucket(sourceBucket).key(key)
                .detail("unexpected failure: " + e).cause(e).build();
    }

    /**
     * Before a source object is deleted in a move: its copy must be at the target, and identical
     * by the job's identity check (size, and the checksums both report).
     */
    private Done confirmCopied(PlannedObject item, boolean copiedNow) {
        ObjectInfo s = item.pair().source();
        String targetKey = targetPrefix + item.pair().key();
        ObjectInfo copy;
        try {
            copy = target.stat(targetBucket, targetKey);
        } catch (StorageException e) {
            return Done.failed(item, keptBecause(e, sourceBucket, s.key(), "the source was kept: its copy "
                    + targetBucket + "/" + targetKey + " could not be confirmed: " + e.getMessage()));
        }
        if (!comparison.identical(s, copy, copy::userMetadata)) {
            return Done.failed(item, StorageException.builder(ErrorKind.PRECONDITION_FAILED, Operation.DELETE)
                    .bucket(sourceBucket).key(s.key())
                    .detail("the source was kept: its copy " + targetBucket + "/" + targetKey + " is not identical"
                            + " to it (" + s.size() + " bytes, the copy " + copy.size() + ")")
                    .build());
        }
        return new Done(item, copiedNow, true, null);
    }

    /**
     * Last before a move deletes its sources: each source must still be the version that was listed
     * and copied. One written since (a file rewritten while its copy ran, an object replaced after
     * its copy was confirmed) is kept, and the next run copies it again; one gone already needs no
     * delete. The stats run in parallel on {@link #checks}, or here without it; the chunk's copies
     * are already durable, so the window left between the stat and the delete is one request.
     */
    private List<Done> recheckSources(List<Done> finished) {
        List<Future<Done>> rechecked = new ArrayList<>(finished.size());
        for (Done done : finished) {
            boolean deletesSource = done.deletable() && done.item().action() != PlannedObject.Action.DELETE_EXTRANEOUS;
            if (!deletesSource) {
                rechecked.add(CompletableFuture.completedFuture(done));
            } else if (checks != null) {
                rechecked.add(checks.submit(() -> recheckSource(done)));
            } else {
                rechecked.add(CompletableFuture.completedFuture(recheckSource(done)));
            }
        }
        List<Done> result = new ArrayList<>(finished.size());
        for (Future<Done> future : rechecked) {
            result.add(await(future));
        }
        return result;
    }

    private Done recheckSource(Done done) {
        PlannedObject item = done.item();
        ObjectInfo listed = item.pair().source();
        ObjectInfo now;
        try {
            now = source.stat(sourceBucket, listed.key());
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return new Done(item, done.copied(), false, null); // deleted by someone else: nothing to delete
            }
            return Done.failed(item, keptBecause(e, sourceBucket, listed.key(), "the source was kept: could not"
                    + " confirm that it is still the version that was copied: " + e.getMessage()));
        }
        return now.changesSince(listed)
                .map(change -> Done.failed(item, StorageException.builder(ErrorKind.PRECONDITION_FAILED,
                                Operation.DELETE).bucket(sourceBucket).key(listed.key())
                        .detail("the source was kept: it changed after it was listed (" + change + "), so its copy"
                                + " may not hold what it holds now; the next run copies it again").build()))
                .orElse(done);
    }

    /** Before a target-only object is deleted: the source must not hold its key. */
    private Done confirmAbsentAtSource(PlannedObject item) {
        String sourceKey = sourcePrefix + item.pair().key();
        String targetKey = item.pair().target().key();
        try {
            source.stat(sourceBucket, sourceKey);
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return new Done(item, false, true, null);
            }
            return Done.failed(item, keptBecause(e, targetBucket, targetKey, "not deleted: could not confirm that the"
                    + " source lacks " + sourceBucket + "/" + sourceKey + ": " + e.getMessage()));
        }
        return Done.failed(item, StorageException.builder(ErrorKind.PRECONDITION_FAILED, Operation.DELETE)
                .bucket(targetBucket).key(targetKey)
                .detail("not deleted: the source holds " + sourceBucket + "/" + sourceKey + ", though its listing did"
                        + " not show it (written since, or a listing that missed it); the next run compares it again")
                .build());
    }

    private static StorageException keptBecause(StorageException e, String bucket, String key, String detail) {
        return StorageException.builder(e.kind(), Operation.DELETE).bucket(bucket).key(key).detail(detail)
                .vendorCode(e.vendorCode()).requestId(e.requestId()).cause(e).build();
    }

    private void delete(ObjectStore store, String bucket, List<String> keys, ChunkTally tally,
            FatalFailures fatalFailures) {
        if (keys.isEmpty()) {
            return;
        }
        if (dryRun) {
            keys.forEach(key -> log.info("dry run: would delete {}/{}", bucket, key));
            tally.add(Outcome.DELETED, 0, keys.size());
            return;
        }
        DeleteResult result = store.deleteAll(bucket, keys);
        tally.add(Outcome.DELETED, 0, result.deleted().size());
        FatalObjectFailure fatal = null;
        for (Map.Entry<String, StorageException> f : result.failed().entrySet()) {
            fatal = fatal != null ? fatal : fatalFailures.fatal(f.getKey(), f.getValue());
            tally.fail(f.getKey(), null, f.getValue());
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    /**
     * Decides, once per chunk, whether a failure is one that no object can get past; for a write
     * refused with ACCESS_DENIED it asks the target with one {@link WriteProbe}, at most once.
     */
    private final class FatalFailures {
        private WriteProbe.Result probe;

        FatalObjectFailure fatal(String key, StorageException e) {
            return switch (e.kind()) {
                case INVALID_CREDENTIALS -> new FatalObjectFailure(key, e, "check the remote's credentials");
                case BUCKET_NOT_FOUND -> new FatalObjectFailure(key, e, "create the bucket, or check its name");
                case UNSUPPORTED -> new FatalObjectFailure(key, e, null);
                case ACCESS_DENIED -> WRITES.contains(e.operation()) && refusesEveryWrite()
                        ? new FatalObjectFailure(key, e, "the target refuses every write: a test write under "
                                + targetBucket + "/" + targetPrefix + " was refused too (" + probe.refusal().kind()
                                + "); grant the credentials write permission")
                        : null;
                default -> null;
            };
        }

        private boolean refusesEveryWrite() {
            if (probe == null) {
                probe = WriteProbe.probe(target, targetBucket, targetPrefix);
            }
            return !probe.writable();
        }
    }

    /** The full key an item's failure is recorded under: the source's, or the target's for a target-only key. */
    private static String fullKey(PlannedObject item) {
        ObjectPair pair = item.pair();
        return item.action() == PlannedObject.Action.DELETE_EXTRANEOUS ? pair.target().key() : pair.source().key();
    }

    private static Long size(PlannedObject item) {
        ObjectPair pair = item.pair();
        return pair.source() != null ? pair.source().size() : pair.target().size();
    }

    private static Done await(Future<Done> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying a chunk", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

}
