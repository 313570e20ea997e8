package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a store knows about one object.
 *
 * <p>Listings fill what the vendor's listing returns (key, size, lastModified, and usually etag
 * and storage class). Content type and user metadata are only known from {@link ObjectStore#stat}
 * and {@link ObjectStore#get}: in listings {@code contentType} is {@code null} and
 * {@code userMetadata} is empty.
 *
 * @param key the full key
 * @param size size in bytes
 * @param lastModified when the object was last written
 * @param etag the store's etag without quotes, or {@code null} if not reported
 * @param storageClass the storage class; {@link StorageClass#STANDARD} when the store reports none
 * @param contentType the MIME type, or {@code null} when not known
 * @param userMetadata user metadata with lower-case names, never {@code null}
 * @param checksums checksums of the content that the store vouches for
 * @param restore restore state of an archived object; {@link RestoreStatus#NONE} otherwise
 */
public record ObjectInfo(
        String key,
        long size,
        Instant lastModified,
        String etag,
        StorageClass storageClass,
        String contentType,
        Map<String, String> userMetadata,
        List<Checksum> checksums,
        RestoreStatus restore) {

    public ObjectInfo {
        requireNonNull(key, "key is null");
        requireNonNull(lastModified, "lastModified is null");
        requireNonNull(storageClass, "storageClass is null");
        requireNonNull(restore, "restore is null");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        userMetadata = Map.copyOf(requireNonNull(userMetadata, "userMetadata is null"));
        checksums = List.copyOf(requireNonNull(checksums, "checksums is null"));
    }

    /** The checksum of the given algorithm, if the store reported one. */
    public Optional<Checksum> checksum(Checksum.Algorithm algorithm) {
        return checksums.stream().filter(c -> c.algorithm() == algorithm).findFirst();
    }

    /**
     * What tells this answer from an {@code earlier} one about the same object, or empty when
     * nothing does: one object asked for twice, not two copies compared. Its size, its etag and
     * each checksum where both answers carry one, and its modification time. The time is compared
     * to the second when either answer is in whole seconds, as a listing and a HEAD of one S3 object
     * may differ in precision, and exactly otherwise (a local file's nanoseconds, which an in-place
     * rewrite of the same size moves).
     */
    public Optional<String> changesSince(ObjectInfo earlier) {
        if (earlier.size != size) {
            return Optional.of("its size went from " + earlier.size + " to " + size + " bytes");
        }
        if (earlier.etag != null && etag != null && !earlier.etag.equals(etag)) {
            return Optional.of("its etag went from " + earlier.etag + " to " + etag);
        }
        for (Checksum before : earlier.checksums) {
            Optional<Checksum> now = checksum(before.algorithm());
            if (now.isPresent() && !now.get().equals(before)) {
                return Optional.of("its " + before.algorithm() + " went from " + before.value() + " to "
                        + now.get().value());
            }
        }
        boolean wholeSeconds = earlier.lastModified.getNano() == 0 || lastModified.getNano() == 0;
        boolean sameTime = wholeSeconds
                ? earlier.lastModified.getEpochSecond() == lastModified.getEpochSecond()
                : earlier.lastModified.equals(lastModified);
        return sameTime ? Optional.empty()
                : Optional.of("it was modified at " + lastModified + ", not " + earlier.lastModified);
    }

    /** Whether the content can be read now, without first restoring it. */
    public boolean isReadable() {
        return !storageClass.requiresRestore() || restore.state() == RestoreStatus.State.RESTORED;
    }
}
