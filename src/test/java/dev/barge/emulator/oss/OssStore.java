package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.concurrent.ConcurrentSkipListMap;

/** All buckets of one emulator, plus the settings and clock the operations share. */
final class OssStore {

    /**
     * Settings fixed when the emulator is built.
     *
     * @param region e.g. "cn-hangzhou"; reported as location "oss-cn-hangzhou"
     * @param clock the emulator's time (Last-Modified, restore expiry, signature skew and expiry)
     * @param restorePolicy when restores finish
     * @param minPartSize smallest size of a part that is not the last (OSS: 100 KiB)
     * @param maxObjectSize largest PutObject / AppendObject result (OSS: 5 GiB)
     * @param maxCopyObjectSize largest source of CopyObject (OSS: 1 GiB; bigger needs UploadPartCopy)
     * @param ownerId the owner ID reported in listings and bucket info
     */
    record Settings(String region, Clock clock, RestorePolicy restorePolicy, long minPartSize, long maxObjectSize,
            long maxCopyObjectSize, String ownerId) {

        Settings {
            requireNonNull(region, "region is null");
            requireNonNull(clock, "clock is null");
            requireNonNull(restorePolicy, "restorePolicy is null");
            requireNonNull(ownerId, "ownerId is null");
        }
    }

    private final Settings settings;
    private final ConcurrentSkipListMap<String, OssBucketState> buckets = new ConcurrentSkipListMap<>();

    OssStore(Settings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    Settings settings() {
        return settings;
    }

    /** Now, at the second precision OSS keeps for Last-Modified. */
    Instant now() {
        return settings.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Now, at full precision (restore timing, signature expiry). */
    Instant instant() {
        return settings.clock().instant();
    }

    OssBucketState bucket(String name) {
        OssBucketState bucket = buckets.get(name);
        if (bucket == null) {
            throw OssError.noSuchBucket(name);
        }
        return bucket;
    }

    OssBucketState create(String name, String storageClass) {
        OssBucketState created = new OssBucketState(name, now(), storageClass);
        if (buckets.putIfAbsent(name, created) != null) {
            throw new OssError(409, "BucketAlreadyExists", "The requested bucket name is not available. The bucket "
                    + "namespace is shared by all users of the system. Please select a different name and try again.")
                    .detail("BucketName", name);
        }
        return created;
    }

    void delete(String name) {
        OssBucketState bucket = bucket(name);
        bucket.delete();
        buckets.remove(name, bucket);
    }

    Collection<OssBucketState> buckets() {
        return buckets.values();
    }

    int completeRestores() {
        int count = 0;
        for (OssBucketState bucket : buckets.values()) {
            try {
                count += bucket.completeRestores(instant());
            } catch (OssError deletedMeanwhile) {
                // the bucket was deleted while we walked the buckets: nothing left to restore
            }
        }
        return count;
    }

    void clear() {
        buckets.clear();
    }
}
