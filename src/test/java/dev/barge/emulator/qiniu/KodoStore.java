package dev.barge.emulator.qiniu;

import dev.barge.storage.KeyOrder;
import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * All buckets and objects, in memory. Reads go straight to the concurrent maps; every change takes the
 * store's lock so that check-then-act sequences (insertOnly, force=false, move) are atomic.
 */
final class KodoStore {

    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    private final Map<String, KodoBucketState> buckets = new ConcurrentHashMap<>();
    private final Map<String, String> domains = new ConcurrentHashMap<>();
    private final Clock clock;
    private final boolean restoreImmediately;

    KodoStore(Clock clock, boolean restoreImmediately) {
        this.clock = requireNonNull(clock, "clock is null");
        this.restoreImmediately = restoreImmediately;
    }

    Instant now() {
        return clock.instant();
    }

    // ---- buckets

    synchronized void createBucket(String name, String region) {
        if (!BUCKET_NAME.matcher(name).matches()) {
            throw KodoException.invalidArgument("invalid bucket name");
        }
        if (buckets.containsKey(name)) {
            // guessed wording; the code (614) is Kodo's "already exists"
            throw new KodoException(614, "bucket exists");
        }
        buckets.put(name, new KodoBucketState(name, region, false));
    }

    synchronized void dropBucket(String name) {
        KodoBucketState bucket = bucket(name);
        if (!bucket.objects().isEmpty()) {
            // guessed: Kodo refuses to drop a bucket that still holds files
            throw new KodoException(403, "bucket is not empty");
        }
        buckets.remove(name);
        domains.values().removeIf(name::equals);
    }

    KodoBucketState bucket(String name) {
        KodoBucketState bucket = name == null ? null : buckets.get(name);
        if (bucket == null) {
            throw KodoException.noSuchBucket();
        }
        return bucket;
    }

    boolean hasBucket(String name) {
        return buckets.containsKey(name);
    }

    List<String> bucketNames() {
        List<String> names = new ArrayList<>(buckets.keySet());
        names.sort(KeyOrder.UTF8);
        return names;
    }

    void bindDomain(String domain, String bucket) {
        bucket(bucket);
        domains.put(domain, bucket);
    }

    String bucketForDomain(String domain) {
        return domain == null ? null : domains.get(domain);
    }

    List<String> domainsOf(String bucket) {
        List<String> result = new ArrayList<>();
        domains.forEach((domain, b) -> {
            if (b.equals(bucket)) {
                result.add(domain);
            }
        });
        result.sort(KeyOrder.UTF8);
        return result;
    }

    // ---- objects

    StoredObject stat(String bucket, String key) {
        StoredObject object = bucket(bucket).objects().get(key);
        if (object == null) {
            throw KodoException.noSuchFile();
        }
        return object;
    }

    /**
     * Saves an uploaded object. Kodo's rules: {@code insertOnly} never replaces; a token scoped to the
     * bucket only ({@code overwrite} false) may not replace different content (identical content is a
     * success); a token scoped to {@code bucket:key} replaces.
     */
    synchronized StoredObject save(String bucket, String key, byte[] data, String mimeType, Map<String, String> meta,
            int type, boolean overwrite, boolean insertOnly) {
        KodoBucketState state = bucket(bucket);
        StoredObject object = StoredObject.create(key, data, mimeType, meta, type, now());
        StoredObject existing = state.objects().get(key);
        if (existing != null && (insertOnly || (!overwrite && !existing.hash().equals(object.hash())))) {
            throw KodoException.fileExists();
        }
        if (existing != null && !overwrite && !insertOnly) {
            return existing;
        }
        state.objects().put(key, object);
        return object;
    }

    synchronized void delete(String bucket, String key) {
        if (bucket(bucket).objects().remove(key) == null) {
            throw KodoException.noSuchFile();
        }
    }

    synchronized void copy(String srcBucket, String srcKey, String dstBucket, String dstKey, boolean force) {
        StoredObject source = stat(srcBucket, srcKey);
        KodoBucketState target = bucket(dstBucket);
        if (!force && target.objects().containsKey(dstKey)) {
            throw KodoException.fileExists();
        }
        target.objects().put(dstKey, source.withKey(dstKey, now(), true));
    }

    synchronized void move(String srcBucket, String srcKey, String dstBucket, String dstKey, boolean force) {
        StoredObject source = stat(srcBucket, srcKey);
        KodoBucketState target = bucket(dstBucket);
        if (srcBucket.equals(dstBucket) && srcKey.equals(dstKey)) {
            return;
        }
        if (!force && target.objects().containsKey(dstKey)) {
            throw KodoException.fileExists();
        }
        target.objects().put(dstKey, source.withKey(dstKey, now(), false));
        bucket(srcBucket).objects().remove(srcKey);
    }

    synchronized void changeType(String bucket, String key, int type) {
        if (type < 0 || type > StoredObject.MAX_TYPE) {
            throw KodoException.invalidArgument("invalid file type");
        }
        StoredObject object = stat(bucket, key);
        if (object.type() == type) {
            return;
        }
        if (object.archived() && !object.readable(now())) {
            // Kodo only converts archived files after a restore; status and wording are a guess
            throw new KodoException(403, "archive file is not restored");
        }
        bucket(bucket).objects().put(key, object.withType(type));
    }

    synchronized void restore(String bucket, String key, int days) {
        StoredObject object = stat(bucket, key);
        if (days < 1 || days > 7) {
            throw KodoException.invalidArgument("invalid freeze after days");
        }
        if (!object.archived()) {
            throw new KodoException(403, "the file is not an archive file");
        }
        Integer status = object.restoreStatus(now());
        if (status != null && status == 2) {
            throw KodoException.invalidArgument("archive already restored");
        }
        if (status != null) {
            return; // already restoring: nothing to do
        }
        StoredObject.Restore restore = restoreImmediately
                ? new StoredObject.Restore(true, days, now().plus(Duration.ofDays(days)))
                : new StoredObject.Restore(false, days, null);
        bucket(bucket).objects().put(key, object.withRestore(restore));
    }

    /** Finishes a running restore; false when the object is not being restored. */
    synchronized boolean finishRestore(String bucket, String key) {
        StoredObject object = bucket(bucket).objects().get(key);
        if (object == null || object.restore() == null || object.restore().done()) {
            return false;
        }
        int days = object.restore().days();
        bucket(bucket).objects().put(key, object.withRestore(
                new StoredObject.Restore(true, days, now().plus(Duration.ofDays(days)))));
        return true;
    }

    synchronized int finishAllRestores() {
        int count = 0;
        for (KodoBucketState bucket : buckets.values()) {
            for (StoredObject object : bucket.objects().values()) {
                if (finishRestore(bucket.name(), object.key())) {
                    count++;
                }
            }
        }
        return count;
    }

    synchronized void changeMimeAndMeta(String bucket, String key, String mime, Map<String, String> meta) {
        StoredObject object = stat(bucket, key);
        bucket(bucket).objects().put(key, object.withMimeAndMeta(mime == null ? object.mimeType() : mime, meta));
    }

    synchronized void changeStatus(String bucket, String key, int status) {
        if (status != 0 && status != 1) {
            throw KodoException.invalidArgument("invalid status");
        }
        StoredObject object = stat(bucket, key);
        bucket(bucket).objects().put(key, object.withStatus(status));
    }
}
