package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
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
 * Reports a chunk of {@link PlannedCheck}s. The content comparisons among them (MD5 of the bytes of
 * both sides, streamed, never stored) are {@link #start started} on a bounded executor as soon as
 * the key is decided, possibly while an earlier chunk is still being written; {@link #write} waits
 * for the chunk's, then records, in the chunk's transaction, the totals by outcome and each missing
 * or different key with what differs ({@link ChunkTally#report}), to be listed with the execution's
 * failures.
 *
 * <ul>
 *   <li>It only reads: nothing is ever written to or deleted from either store.</li>
 *   <li>A read that may pass (a stream cut off) is tried again, up to {@code objectAttempts} times in all.</li>
 *   <li>An object that cannot be read (vanished since the listing, denied, or anything unexpected) is
 *       recorded as a failure with its reason and the job goes on; past {@code skipLimit} failures in
 *       one execution the step fails. Findings are not failures: they do not count against it.</li>
 *   <li>What no object can get past (credentials refused, a bucket missing) fails the step at once
 *       with a {@link FatalObjectFailure}; the chunk rolls back and is verified again by the next run.</li>
 * </ul>
 */
public final class VerifyItemWriter implements ItemWriter<VerifyItemWriter.Started>, StepExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(VerifyItemWriter.class);
    private static final int BUFFER = 64 * 1024;

    private final ExecutorService executor;
    private final ObjectStore source;
    private final String sourceBucket;
    private final ObjectStore target;
    private final String targetBucket;
    private final ExecutionRecords records;
    private final long skipLimit;
    private final int objectAttempts;

    private long jobExecutionId;
    private String stepName;
    private long failures;

    /**
     * @param executor runs the content comparisons; its size is the job's concurrency
     * @param objectAttempts how many times in all an object is read when its failure may pass
     */
    public VerifyItemWriter(ExecutorService executor, ObjectStore source, String sourceBucket, ObjectStore target,
            String targetBucket, ExecutionRecords records, long skipLimit, int objectAttempts) {
        this.executor = requireNonNull(executor, "executor is null");
        this.source = requireNonNull(source, "source is null");
        this.sourceBucket = requireNonNull(sourceBucket, "sourceBucket is null");
        this.target = requireNonNull(target, "target is null");
        this.targetBucket = requireNonNull(targetBucket, "targetBucket is null");
        this.records = requireNonNull(records, "records is null");
        if (skipLimit < 0 || objectAttempts < 1) {
            throw new IllegalArgumentException("skipLimit must be >= 0 and objectAttempts >= 1");
        }
        this.skipLimit = skipLimit;
        this.objectAttempts = objectAttempts;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        jobExecutionId = stepExecution.getJobExecutionId();
        stepName = stepExecution.getStepName();
        failures = records.failureCount(jobExecutionId);
    }

    /** What the comparison of one pair's content found: a difference, a failure, or neither (they match). */
    private record Compared(String difference, StorageException failure) {}

    /**
     * One decided key with its content comparison, if it needs one, running on the executor.
     */
    public static final class Started {
        private final PlannedCheck check;
        private final Future<Compared> work;

        private Started(PlannedCheck check, Future<Compared> work) {
            this.check = check;
            this.work = work;
        }

        public PlannedCheck check() {
            return check;
        }
    }

    /** Starts a key's content comparison on the executor, if it needs one. Called in listing order. */
    public Started start(PlannedCheck check) {
        return new Started(check, check.decision() == PlannedCheck.Decision.COMPARE_CONTENT
                ? executor.submit(() -> compareContent(check.pair())) : null);
    }

    /** Gives up a comparison started for a key that no chunk will hold (the step ended first). */
    public void abandon(Started started) {
        if (started.work != null) {
            started.work.cancel(true);
        }
    }

    @Override
    public void write(Chunk<? extends Started> chunk) {
        ChunkTally tally = new ChunkTally();
        FatalObjectFailure fatal = null;
        for (Started started : chunk) {
            PlannedCheck check = started.check;
            ObjectPair pair = check.pair();
            String key = pair.source() != null ? pair.source().key() : pair.target().key();
            long size = pair.source() != null ? pair.source().size() : pair.target().size();
            StorageException failure = check.failure();
            switch (check.decision()) {
                case MATCHED, FILTERED -> tally.add(check.decision().outcome(), size);
                case MISSING_AT_TARGET, MISSING_AT_SOURCE, DIFFERENT ->
                        tally.report(key, size, check.decision().outcome(), check.difference());
                case FAILED -> { }
                case COMPARE_CONTENT -> {
                    Compared compared = await(started.work);
                    failure = compared.failure();
                    if (failure == null && compared.difference() == null) {
                        tally.add(Outcome.MATCHED, size);
                    } else if (failure == null) {
                        tally.report(key, size, Outcome.DIFFERENT, compared.difference());
                    }
                }
            }
            if (failure != null) {
                fatal = fatal != null ? fatal : FatalObjectFailure.ifFatal(key, failure);
                tally.fail(key, size, failure);
            }
        }
        if (fatal != null) {
            throw fatal;
        }
        failures = tally.record(records, jobExecutionId, stepName, failures, skipLimit);
    }

    /** Hashes the bytes of both sides (source first) and says whether they differ. */
    private Compared compareContent(ObjectPair pair) {
        ObjectInfo s = pair.source();
        ObjectInfo t = pair.target();
        String sourceMd5;
        String targetMd5;
        try {
            sourceMd5 = md5(source, sourceBucket, s.key());
            targetMd5 = md5(target, targetBucket, t.key());
        } catch (StorageException e) {
            return new Compared(null, e);
        }
        return new Compared(sourceMd5.equals(targetMd5) ? null : "content differs: MD5 " + sourceMd5
                + " of the source's bytes, " + targetMd5 + " of the target's " + targetBucket + "/" + t.key(), null);
    }

    /** The MD5 of an object's bytes as read now, read again while the failure may pass. */
    private String md5(ObjectStore store, String bucket, String key) {
        RetryPolicy policy = RetryPolicy.builder().maxRetries(objectAttempts - 1L).delay(Duration.ofMillis(200))
                .multiplier(2).maxDelay(Duration.ofSeconds(5))
                .predicate(t -> t instanceof StorageException e && e.isRetryable()).build();
        try {
            return new RetryTemplate(policy).execute(() -> readMd5(store, bucket, key));
        } catch (RetryException e) {
            throw e.getCause() instanceof StorageException failure ? failure : unexpected(bucket, key, e.getCause());
        } catch (RuntimeException e) {
            throw unexpected(bucket, key, e);
        }
    }

    private static String readMd5(ObjectStore store, String bucket, String key) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
        try (ObjectContent content = store.get(bucket, key); InputStream in = content.body()) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) != -1; ) {
                md5.update(buffer, 0, n);
            }
        } catch (IOException e) {
            if (e.getCause() instanceof StorageException failure) {
                throw failure;
            }
            throw StorageException.builder(ErrorKind.TRANSIENT, Operation.GET).bucket(bucket).key(key)
                    .detail("reading the object failed: " + e).cause(e).build();
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /** A failure nothing below Barge named: recorded against its object, with the stack trace in the log. */
    private static StorageException unexpected(String bucket, String key, Throwable e) {
        if (e instanceof StorageException failure) {
            return failure;
        }
        log.warn("reading {}/{} failed unexpectedly", bucket, key, e);
        return StorageException.builder(ErrorKind.PERMANENT, Operation.GET).bucket(bucket).key(key)
                .detail("unexpected failure: " + e).cause(e).build();
    }

    private static Compared await(Future<Compared> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while comparing a chunk", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
