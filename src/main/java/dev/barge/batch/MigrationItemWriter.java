package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.DeleteResult;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.transfer.ObjectTransfer;
import dev.barge.transfer.TransferRequest;
import dev.barge.transfer.TransferResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Carries out a chunk of {@link PlannedObject}s: the chunk's copies run at once on a bounded
 * executor, and the writer returns when all are done, so the chunk commits only what finished.
 *
 * <ul>
 *   <li>A failure that may pass (a checksum mismatch, a stream cut off) is tried again, up to
 *       {@code objectAttempts} times in all, reading the source afresh.</li>
 *   <li>A failure of one object that will not pass (vanished, denied, refused by the target) is
 *       recorded in the failure table with its reason, and the job goes on; past
 *       {@code skipLimit} failures in one execution the step fails.</li>
 *   <li>A failure that no object can get past (credentials refused, a bucket missing, the target
 *       refusing writes, an unsupported storage class) fails the step at once.</li>
 *   <li>In {@link MigrationMode#MOVE}, a source object is deleted only after its copy succeeded
 *       (checked by size and every checksum both sides offer) or was already identical.</li>
 *   <li>In a dry run nothing is written; totals count what would have been done.</li>
 * </ul>
 * Totals are written in the chunk's transaction; failures are recorded even if it rolls back.
 */
public final class MigrationItemWriter implements ItemWriter<PlannedObject>, StepExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(MigrationItemWriter.class);
    private static final Set<Operation> WRITES = EnumSet.of(Operation.PUT, Operation.COPY, Operation.APPEND,
            Operation.MULTIPART_INITIATE, Operation.MULTIPART_UPLOAD_PART, Operation.MULTIPART_COMPLETE,
            Operation.DELETE, Operation.DELETE_BATCH, Operation.SET_STORAGE_CLASS);

    private final ObjectTransfer transfer;
    private final ExecutorService executor;
    private final ObjectStore source;
    private final String sourceBucket;
    private final String sourcePrefix;
    private final ObjectStore target;
    private final String targetBucket;
    private final String targetPrefix;
    private final boolean sameStore;
    private final StorageClass targetStorageClass;
    private final MigrationMode mode;
    private final boolean dryRun;
    private final JobRecords records;
    private final long skipLimit;
    private final int objectAttempts;

    private long jobExecutionId;
    private String stepName;
    private long failures;

    MigrationItemWriter(MigrationItemWriterBuilder b) {
        this.transfer = b.transfer;
        this.executor = b.executor;
        this.source = b.source;
        this.sourceBucket = b.sourceBucket;
        this.sourcePrefix = b.sourcePrefix;
        this.target = b.target;
        this.targetBucket = b.targetBucket;
        this.targetPrefix = b.targetPrefix;
        this.sameStore = b.sameStore;
        this.targetStorageClass = b.targetStorageClass;
        this.mode = b.mode;
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

    private record Done(PlannedObject item, TransferResult result, StorageException failure) {}

    /** An object given up on: its full key, its size if known, and why. */
    private record Failed(String key, Long size, StorageException failure) {}

    @Override
    public void write(Chunk<? extends PlannedObject> chunk) {
        Map<Outcome, JobRecords.Total> totals = new EnumMap<>(Outcome.class);
        List<String> sourceDeletes = new ArrayList<>();
        List<String> targetDeletes = new ArrayList<>();
        List<Future<Done>> copies = new ArrayList<>();
        for (PlannedObject item : chunk) {
            ObjectInfo s = item.pair().source();
            switch (item.action()) {
                case SKIP_FILTERED -> add(totals, Outcome.SKIPPED_FILTERED, s.size());
                case KEEP_EXTRANEOUS -> { }
                case DELETE_EXTRANEOUS -> targetDeletes.add(targetPrefix + item.pair().key());
                case SKIP_IDENTICAL -> {
                    add(totals, Outcome.SKIPPED_IDENTICAL, s.size());
                    if (mode == MigrationMode.MOVE) {
                        sourceDeletes.add(sourcePrefix + item.pair().key());
                    }
                }
                case COPY -> {
                    if (dryRun) {
                        log.info("dry run: would copy {}/{} ({} bytes)", sourceBucket, s.key(), s.size());
                        add(totals, Outcome.COPIED, s.size());
                    } else {
                        copies.add(executor.submit(() -> copy(item)));
                    }
                }
            }
        }
        StorageException fatal = null;
        List<Failed> failed = new ArrayList<>();
        for (Future<Done> future : copies) {
            Done done = await(future);
            if (done.failure() == null) {
                add(totals, Outcome.COPIED, done.item().pair().source().size());
                if (mode == MigrationMode.MOVE) {
                    sourceDeletes.add(sourcePrefix + done.item().pair().key());
                }
            } else if (isFatal(done.failure())) {
                fatal = fatal == null ? done.failure() : fatal;
            } else {
                ObjectInfo s = done.item().pair().source();
                failed.add(new Failed(s.key(), s.size(), done.failure()));
            }
        }
        if (fatal != null) {
            throw fatal;
        }
        delete(target, targetBucket, targetDeletes, totals, failed);
        delete(source, sourceBucket, sourceDeletes, totals, failed);
        for (Failed f : failed) {
            records.recordFailure(jobExecutionId, stepName, f.key(), f.size(), f.failure());
            add(totals, Outcome.FAILED, f.size() != null ? f.size() : 0);
            log.warn("skipped {}: {}", f.key(), f.failure().getMessage());
        }
        records.addTotals(jobExecutionId, totals);
        failures += failed.size();
        if (failures > skipLimit) {
            throw new SkipLimitExceeded(failures, skipLimit, jobExecutionId);
        }
    }

    private Done copy(PlannedObject item) {
        ObjectInfo s = item.pair().source();
        TransferRequest request = new TransferRequest(source, sourceBucket, s, target, targetBucket,
                targetPrefix + item.pair().key(), sameStore, targetStorageClass);
        RetryPolicy policy = RetryPolicy.builder().maxRetries(objectAttempts - 1L).delay(Duration.ofMillis(200))
                .multiplier(2).maxDelay(Duration.ofSeconds(5))
                .predicate(t -> t instanceof StorageException e && e.isRetryable()).build();
        try {
            return new Done(item, new RetryTemplate(policy).execute(() -> transfer.transfer(request)), null);
        } catch (RetryException e) {
            if (e.getCause() instanceof StorageException failure) {
                return new Done(item, null, failure);
            }
            throw new IllegalStateException("copying " + s.key() + " failed unexpectedly", e.getCause());
        }
    }

    private void delete(ObjectStore store, String bucket, List<String> keys, Map<Outcome, JobRecords.Total> totals,
            List<Failed> failed) {
        if (keys.isEmpty()) {
            return;
        }
        if (dryRun) {
            keys.forEach(key -> log.info("dry run: would delete {}/{}", bucket, key));
            add(totals, Outcome.DELETED, 0, keys.size());
            return;
        }
        DeleteResult result = store.deleteAll(bucket, keys);
        add(totals, Outcome.DELETED, 0, result.deleted().size());
        result.failed().forEach((key, e) -> {
            if (isFatal(e)) {
                throw e;
            }
            failed.add(new Failed(key, null, e));
        });
    }

    private static boolean isFatal(StorageException e) {
        return switch (e.kind()) {
            case INVALID_CREDENTIALS, BUCKET_NOT_FOUND, UNSUPPORTED -> true;
            case ACCESS_DENIED -> WRITES.contains(e.operation());
            default -> false;
        };
    }

    private static void add(Map<Outcome, JobRecords.Total> totals, Outcome outcome, long bytes) {
        add(totals, outcome, bytes, 1);
    }

    private static void add(Map<Outcome, JobRecords.Total> totals, Outcome outcome, long bytes, long objects) {
        totals.merge(outcome, new JobRecords.Total(objects, bytes), (a, b) -> a.plus(b.objects(), b.bytes()));
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

    /** More objects failed in one execution than the job allows. */
    public static final class SkipLimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SkipLimitExceeded(long failures, long limit, long jobExecutionId) {
            super(failures + " objects failed, more than the skip limit of " + limit
                    + "; the reasons are recorded for execution " + jobExecutionId);
        }
    }
}
