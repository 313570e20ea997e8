package dev.barge.transfer;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StorageClass;

/**
 * One object to move.
 *
 * @param source the store to read from
 * @param sourceBucket its bucket
 * @param sourceObject the object as listed (key, size, etag and checksums are used)
 * @param target the store to write to
 * @param targetBucket its bucket
 * @param targetKey the key to write
 * @param sameStore whether source and target are one endpoint with one set of credentials, so that a
 *     server-side copy can read the source (the registry decides: two remote names may be one store)
 * @param targetStorageClass the storage class of the copy, or {@code null} for the target's default
 * @param targetAsListed the object the target held at {@code targetKey} when it was listed and
 *     compared, or {@code null} when it held none (or no comparison was made): an object there that
 *     is no longer this version is not overwritten ({@link ObjectTransfer})
 */
public record TransferRequest(
        ObjectStore source,
        String sourceBucket,
        ObjectInfo sourceObject,
        ObjectStore target,
        String targetBucket,
        String targetKey,
        boolean sameStore,
        StorageClass targetStorageClass,
        ObjectInfo targetAsListed) {

    /** A transfer that overwrites whatever the target holds at the key. */
    public TransferRequest(ObjectStore source, String sourceBucket, ObjectInfo sourceObject, ObjectStore target,
            String targetBucket, String targetKey, boolean sameStore, StorageClass targetStorageClass) {
        this(source, sourceBucket, sourceObject, target, targetBucket, targetKey, sameStore, targetStorageClass, null);
    }

    public TransferRequest {
        requireNonNull(source, "source is null");
        requireNonNull(sourceBucket, "sourceBucket is null");
        requireNonNull(sourceObject, "sourceObject is null");
        requireNonNull(target, "target is null");
        requireNonNull(targetBucket, "targetBucket is null");
        requireNonNull(targetKey, "targetKey is null");
    }
}
