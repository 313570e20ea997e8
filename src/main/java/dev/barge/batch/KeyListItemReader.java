package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The pairs of a comparison for a given list of keys instead of two listings: each key is looked up
 * on both sides ({@link ObjectStore#stat}), so that a job can act on exactly those objects, as
 * {@code barge jobs retry-failed} does with the objects an execution failed on. A key gone from both
 * sides is passed over; a key whose source cannot even be looked up (denied, say) is handed on as
 * recorded, so that the job tries it and records why again. The position is the index into the
 * list, saved at each commit: a restart continues with the next key.
 */
public final class KeyListItemReader implements MarkingItemReader<ObjectPair, Integer> {
    private static final Logger log = LoggerFactory.getLogger(KeyListItemReader.class);
    private static final String INDEX = "keys.index";

    /**
     * One key to look up, relative to both prefixes.
     *
     * @param key the key under both prefixes
     * @param size its size as recorded, or {@code null}: what a source that cannot be looked up is taken to hold
     */
    public record Key(String key, Long size) {
        public Key {
            requireNonNull(key, "key is null");
        }
    }

    private final List<Key> keys;
    private final ObjectStore source;
    private final String sourceBucket;
    private final String sourcePrefix;
    private final ObjectStore target;
    private final String targetBucket;
    private final String targetPrefix;
    private final ListingProgress progress;
    private int next;

    /**
     * @param keys the keys, in the order they are to be read (ascending: the planner and the totals
     *     don't need it, but a person reading the log does)
     * @param progress counts the keys as the listing's total, at once
     */
    public KeyListItemReader(List<Key> keys, ObjectStore source, String sourceBucket, String sourcePrefix,
            ObjectStore target, String targetBucket, String targetPrefix, ListingProgress progress) {
        this.keys = List.copyOf(keys);
        this.source = requireNonNull(source, "source is null");
        this.sourceBucket = requireNonNull(sourceBucket, "sourceBucket is null");
        this.sourcePrefix = requireNonNull(sourcePrefix, "sourcePrefix is null");
        this.target = requireNonNull(target, "target is null");
        this.targetBucket = requireNonNull(targetBucket, "targetBucket is null");
        this.targetPrefix = requireNonNull(targetPrefix, "targetPrefix is null");
        this.progress = progress;
    }

    @Override
    public void open(ExecutionContext context) {
        next = context.containsKey(INDEX) ? context.getInt(INDEX) : 0;
        if (progress != null) {
            progress.listed(keys.subList(next, keys.size()).stream().map(k -> info(k.key(), k.size())).toList());
            progress.completed();
        }
    }

    @Override
    public ObjectPair read() {
        while (next < keys.size()) {
            Key key = keys.get(next++);
            ObjectInfo from = lookUpSource(key);
            ObjectInfo to = lookUpTarget(key);
            if (from == null && to == null) {
                log.info("{} is gone from both sides; nothing to retry", key.key());
                continue;
            }
            return new ObjectPair(key.key(), from, to);
        }
        return null;
    }

    private ObjectInfo lookUpSource(Key key) {
        try {
            return lookUp(source, sourceBucket, sourcePrefix + key.key());
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.INVALID_CREDENTIALS || e.kind() == ErrorKind.BUCKET_NOT_FOUND) {
                throw e;
            }
            // the object's own trouble: the copy meets it again and records it
            return info(sourcePrefix + key.key(), key.size());
        }
    }

    private ObjectInfo lookUpTarget(Key key) {
        try {
            return lookUp(target, targetBucket, targetPrefix + key.key());
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.INVALID_CREDENTIALS || e.kind() == ErrorKind.BUCKET_NOT_FOUND) {
                throw e;
            }
            return null; // as if absent: the copy writes it, or meets the same trouble and records it
        }
    }

    private static ObjectInfo lookUp(ObjectStore store, String bucket, String key) {
        try {
            return store.stat(bucket, key);
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private static ObjectInfo info(String key, Long size) {
        return new ObjectInfo(key, size == null ? 0 : size, Instant.EPOCH, null, StorageClass.STANDARD, null, Map.of(),
                List.of(), RestoreStatus.NONE);
    }

    @Override
    public Integer mark() {
        return next;
    }

    @Override
    public void save(ExecutionContext context, Integer mark) {
        context.putInt(INDEX, mark);
    }

    @Override
    public void close() {
        // nothing held
    }
}
