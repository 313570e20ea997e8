package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.DeleteResult;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StorageException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Deletes a chunk of listed objects under a prefix with the store's batch delete (up to 1,000 keys a
 * request on S3, OSS and Kodo), the objects the {@link ObjectFilter} takes and no others.
 *
 * <ul>
 *   <li>Only keys the listing gave, under the job's prefix, are ever deleted: never a key built from
 *       anything else.</li>
 *   <li>A key the store refuses to delete (denied by a policy, say) is recorded with its reason and
 *       the job goes on; a key already gone counts as deleted, as deleting is idempotent.</li>
 *   <li>What no key can get past (credentials, a missing bucket, a store without deletes) fails the
 *       step at once with a {@link FatalObjectFailure}.</li>
 *   <li>In a dry run nothing is deleted; totals count what would go.</li>
 * </ul>
 */
public final class DeleteItemWriter implements ItemWriter<ObjectInfo>, StepExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(DeleteItemWriter.class);

    private final ObjectStore store;
    private final String bucket;
    private final String prefix;
    private final ObjectFilter filter;
    private final boolean dryRun;
    private final ExecutionRecords records;
    private final long skipLimit;

    private long jobExecutionId;
    private String stepName;
    private long failures;

    /**
     * @param prefix the prefix the objects were listed under; filters see keys relative to it
     */
    public DeleteItemWriter(ObjectStore store, String bucket, String prefix, ObjectFilter filter, boolean dryRun,
            ExecutionRecords records, long skipLimit) {
        this.store = requireNonNull(store, "store is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.filter = requireNonNull(filter, "filter is null");
        this.dryRun = dryRun;
        this.records = requireNonNull(records, "records is null");
        this.skipLimit = skipLimit;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        jobExecutionId = stepExecution.getJobExecutionId();
        stepName = stepExecution.getStepName();
        failures = records.failureCount(jobExecutionId);
    }

    @Override
    public void write(Chunk<? extends ObjectInfo> chunk) {
        ChunkTally tally = new ChunkTally();
        Map<String, Long> sizes = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (ObjectInfo object : chunk) {
            if (!object.key().startsWith(prefix)) {
                throw new IllegalStateException("the store listed '" + object.key() + "' for the prefix '" + prefix
                        + "'; nothing of this chunk was deleted");
            }
            if (!filter.accepts(object.key().substring(prefix.length()), object)) {
                tally.add(Outcome.SKIPPED_FILTERED, object.size());
            } else {
                keys.add(object.key());
                sizes.put(object.key(), object.size());
            }
        }
        if (dryRun) {
            keys.forEach(key -> {
                log.info("dry run: would delete {}/{}", bucket, key);
                tally.add(Outcome.DELETED, sizes.get(key));
            });
        } else if (!keys.isEmpty()) {
            DeleteResult result = store.deleteAll(bucket, keys);
            result.deleted().forEach(key -> tally.add(Outcome.DELETED, sizes.getOrDefault(key, 0L)));
            for (Map.Entry<String, StorageException> f : result.failed().entrySet()) {
                FatalObjectFailure fatal = FatalObjectFailure.ifFatal(f.getKey(), f.getValue());
                if (fatal != null) {
                    throw fatal;
                }
                tally.fail(f.getKey(), sizes.get(f.getKey()), f.getValue());
            }
        }
        failures = tally.record(records, jobExecutionId, stepName, failures, skipLimit);
    }
}
