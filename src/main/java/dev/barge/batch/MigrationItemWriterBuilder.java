package dev.barge.batch;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.StorageClass;
import dev.barge.transfer.ObjectTransfer;
import java.util.concurrent.ExecutorService;

/** Builds a {@link MigrationItemWriter}; settings are named after the properties they set. */
public final class MigrationItemWriterBuilder {
    ObjectTransfer transfer;
    ExecutorService executor;
    ExecutorService checks;
    ObjectStore source;
    String sourceBucket;
    String sourcePrefix = "";
    ObjectStore target;
    String targetBucket;
    String targetPrefix = "";
    boolean sameStore;
    StorageClass targetStorageClass;
    MigrationMode mode = MigrationMode.COPY;
    IdentityCheck identityCheck = IdentityCheck.CHECKSUM;
    boolean dryRun;
    ExecutionRecords records;
    long skipLimit = Long.MAX_VALUE;
    int objectAttempts = 3;

    /** Moves single objects. Required. */
    public MigrationItemWriterBuilder transfer(ObjectTransfer transfer) {
        this.transfer = transfer;
        return this;
    }

    /** Runs a chunk's copies; its size is the job's concurrency. Required. */
    public MigrationItemWriterBuilder executor(ExecutorService executor) {
        this.executor = executor;
        return this;
    }

    /**
     * Runs a move's last checks of its sources, in parallel, at the end of each chunk; not the
     * {@link #executor}, whose queue may already hold the next chunk's copies. Optional: without
     * it the checks run one after another.
     */
    public MigrationItemWriterBuilder checkExecutor(ExecutorService checks) {
        this.checks = checks;
        return this;
    }

    public MigrationItemWriterBuilder source(ObjectStore source, String bucket, String prefix) {
        this.source = source;
        this.sourceBucket = bucket;
        this.sourcePrefix = prefix;
        return this;
    }

    public MigrationItemWriterBuilder target(ObjectStore target, String bucket, String prefix) {
        this.target = target;
        this.targetBucket = bucket;
        this.targetPrefix = prefix;
        return this;
    }

    /** Whether source and target are one store, so objects are copied server-side. */
    public MigrationItemWriterBuilder sameStore(boolean sameStore) {
        this.sameStore = sameStore;
        return this;
    }

    /** Storage class of the copies; {@code null} (default) for the target's default. */
    public MigrationItemWriterBuilder targetStorageClass(StorageClass targetStorageClass) {
        this.targetStorageClass = targetStorageClass;
        return this;
    }

    public MigrationItemWriterBuilder mode(MigrationMode mode) {
        this.mode = mode;
        return this;
    }

    /** How a copy is confirmed identical before a move deletes its source; default {@link IdentityCheck#CHECKSUM}. */
    public MigrationItemWriterBuilder identityCheck(IdentityCheck identityCheck) {
        this.identityCheck = identityCheck;
        return this;
    }

    public MigrationItemWriterBuilder dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    /** Where failures and totals go. Required. */
    public MigrationItemWriterBuilder records(ExecutionRecords records) {
        this.records = records;
        return this;
    }

    /** How many objects may fail in one execution before the step fails; default unlimited. */
    public MigrationItemWriterBuilder skipLimit(long skipLimit) {
        this.skipLimit = skipLimit;
        return this;
    }

    /** How many times in all an object is tried when its failure may pass; default 3. */
    public MigrationItemWriterBuilder objectAttempts(int objectAttempts) {
        this.objectAttempts = objectAttempts;
        return this;
    }

    public MigrationItemWriter build() {
        require(transfer != null, "a transfer is required");
        require(executor != null, "an executor is required");
        require(source != null && sourceBucket != null && sourcePrefix != null, "a source store, bucket and prefix are required");
        require(target != null && targetBucket != null && targetPrefix != null, "a target store, bucket and prefix are required");
        require(mode != null, "a mode is required");
        require(identityCheck != null, "an identity check is required");
        require(records != null, "records are required");
        require(skipLimit >= 0, "skipLimit must be >= 0");
        require(objectAttempts >= 1, "objectAttempts must be >= 1");
        return new MigrationItemWriter(this);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
