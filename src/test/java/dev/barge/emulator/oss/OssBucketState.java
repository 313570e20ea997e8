package dev.barge.emulator.oss;

import dev.barge.storage.KeyOrder;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * One bucket held in memory: its objects in key order and its multipart uploads.
 *
 * <p>Reads go to concurrent maps without locking; every write that checks before it acts
 * (append position, restore state, "bucket is empty") runs under {@link #locked}, the bucket's
 * own monitor. Object records are immutable, so a reader always sees a whole object.
 */
final class OssBucketState {

    private final String name;
    private final Instant created;
    private final String storageClass;
    private final ConcurrentSkipListMap<String, OssObject> objects = new ConcurrentSkipListMap<>(OssCodecs.KEY_ORDER);
    private final Map<String, OssMultipartUpload> uploads = new ConcurrentHashMap<>();
    private boolean deleted;

    OssBucketState(String name, Instant created, String storageClass) {
        this.name = requireNonNull(name, "name is null");
        this.created = requireNonNull(created, "created is null");
        this.storageClass = requireNonNull(storageClass, "storageClass is null");
    }

    String name() {
        return name;
    }

    Instant created() {
        return created;
    }

    String storageClass() {
        return storageClass;
    }

    /** Runs {@code action} holding the bucket's lock; fails with NoSuchBucket once the bucket is deleted. */
    synchronized <T> T locked(Supplier<T> action) {
        if (deleted) {
            throw OssError.noSuchBucket(name);
        }
        return action.get();
    }

    /** Marks the bucket deleted if it holds no objects and no uploads; the caller removes it from the store. */
    synchronized void delete() {
        if (!objects.isEmpty() || !uploads.isEmpty()) {
            throw new OssError(409, "BucketNotEmpty", "The bucket you tried to delete is not empty.")
                    .detail("BucketName", name);
        }
        deleted = true;
    }

    /** The stored record, without applying restore transitions. */
    OssObject stored(String key) {
        return objects.get(key);
    }

    void put(OssObject object) {
        objects.put(object.key(), object);
    }

    OssObject remove(String key) {
        return objects.remove(key);
    }

    Collection<OssObject> allObjects() {
        return objects.values();
    }

    Map<String, OssMultipartUpload> uploads() {
        return uploads;
    }

    /**
     * The object as a request sees it now: a restore that the policy says is done is marked done,
     * an expired restored copy is frozen again. {@code head} counts this request as a HEAD that
     * saw an ongoing restore (policy {@link RestorePolicy.AfterHeads}). {@code null} when absent.
     */
    OssObject access(String key, Instant now, RestorePolicy policy, boolean head) {
        OssObject current = objects.get(key);
        if (current == null || current.restore() == null) {
            return current;
        }
        return locked(() -> {
            OssObject object = objects.get(key);
            if (object == null) {
                return null;
            }
            OssObject seen = object.withRestore(effectiveRestore(object.restore(), now, policy));
            OssObject toStore = seen;
            if (head && seen.restore() != null && seen.restore().ongoing() && policy instanceof RestorePolicy.AfterHeads) {
                toStore = seen.withRestore(seen.restore().headSeen());
            }
            if (!toStore.equals(object)) {
                objects.put(key, toStore);
            }
            return seen;
        });
    }

    /** The restore state a request sees at {@code now}, {@code null} when there is none (any more). */
    static OssObject.Restore effectiveRestore(OssObject.Restore restore, Instant now, RestorePolicy policy) {
        if (restore == null) {
            return null;
        }
        if (restore.ongoing()) {
            boolean done;
            if (policy instanceof RestorePolicy.AfterHeads) {
                done = restore.headsLeft() == 0;
            } else if (policy instanceof RestorePolicy.AfterDelay delay) {
                done = !now.isBefore(restore.requestedAt().plus(delay.delay()));
            } else {
                done = false;
            }
            return done ? restore.completed(now) : restore;
        }
        return now.isBefore(restore.expiry()) ? restore : null;
    }

    /** Finishes every running restore in this bucket. */
    int completeRestores(Instant now) {
        return locked(() -> {
            int count = 0;
            for (OssObject object : objects.values()) {
                if (object.restore() != null && object.restore().ongoing()) {
                    objects.put(object.key(), object.withRestore(object.restore().completed(now)));
                    count++;
                }
            }
            return count;
        });
    }

    /**
     * One page of a listing.
     *
     * @param objects the keys of the page, ascending
     * @param commonPrefixes the rolled-up prefixes of the page, ascending
     * @param truncated whether more entries follow
     * @param last the last key or prefix of the page (the next marker), {@code null} on an empty page
     */
    record Page(List<OssObject> objects, List<String> commonPrefixes, boolean truncated, String last) {}

    /**
     * Lists keys starting with {@code prefix} that come strictly after {@code after} (when not
     * {@code null}), rolling keys up to common prefixes at the first {@code delimiter} after the
     * prefix. Keys and prefixes together count against {@code maxKeys}. A common prefix that is
     * not after {@code after} is skipped, so a page that ended on "dir/" continues after
     * everything under "dir/".
     */
    Page list(String prefix, String delimiter, String after, int maxKeys) {
        String start = prefix;
        boolean inclusive = true;
        if (after != null && KeyOrder.UTF8.compare(after, prefix) >= 0) {
            start = after;
            inclusive = false;
        }
        NavigableMap<String, OssObject> tail = objects.tailMap(start, inclusive);
        List<OssObject> keys = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        boolean truncated = false;
        for (OssObject object : tail.values()) {
            String key = object.key();
            if (!key.startsWith(prefix)) {
                if (KeyOrder.UTF8.compare(key, prefix) > 0) {
                    break;
                }
                continue;
            }
            String entry = key;
            boolean isPrefix = false;
            if (delimiter != null && !delimiter.isEmpty()) {
                int at = key.indexOf(delimiter, prefix.length());
                if (at >= 0) {
                    entry = key.substring(0, at + delimiter.length());
                    isPrefix = true;
                    if (entry.equals(last) || (after != null && KeyOrder.UTF8.compare(entry, after) <= 0)) {
                        continue;
                    }
                }
            }
            if (keys.size() + prefixes.size() >= maxKeys) {
                truncated = true;
                break;
            }
            if (isPrefix) {
                prefixes.add(entry);
            } else {
                keys.add(object);
            }
            last = entry;
        }
        return new Page(keys, prefixes, truncated, last);
    }
}
