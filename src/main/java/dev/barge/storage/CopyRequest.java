package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A server-side copy within one store.
 *
 * @param sourceBucket bucket to copy from
 * @param sourceKey key to copy from
 * @param targetBucket bucket to copy to; may be the source bucket
 * @param targetKey key to copy to; may be the source key (to change the storage class or metadata in place)
 * @param replaceMetadata when {@code false} the copy keeps the source's content type and user
 *     metadata; when {@code true} it gets {@code contentType} and {@code userMetadata} instead
 * @param contentType with {@code replaceMetadata}, the new content type, or {@code null}
 * @param userMetadata with {@code replaceMetadata}, the new user metadata
 * @param storageClass storage class of the copy, or {@code null} for the bucket's default
 * @param listedSource the source as a listing (or a stat) just described it, or {@code null}. A
 *     driver may take its size, etag and storage class from it instead of reading them again, so
 *     that a copy is one request; it still reads what a listing does not carry (content type, user
 *     metadata, restore state) when it needs them. The copy is of the object as it is when the
 *     copy runs; callers compare the result with what they listed.
 */
public record CopyRequest(
        String sourceBucket,
        String sourceKey,
        String targetBucket,
        String targetKey,
        boolean replaceMetadata,
        String contentType,
        Map<String, String> userMetadata,
        StorageClass storageClass,
        ObjectInfo listedSource) {

    public CopyRequest {
        requireNonNull(sourceBucket, "sourceBucket is null");
        requireNonNull(sourceKey, "sourceKey is null");
        requireNonNull(targetBucket, "targetBucket is null");
        requireNonNull(targetKey, "targetKey is null");
        userMetadata = PutRequest.lowerCaseNames(requireNonNull(userMetadata, "userMetadata is null"));
        if (!replaceMetadata && (contentType != null || !userMetadata.isEmpty())) {
            throw new IllegalArgumentException("content type and metadata can only be given with replaceMetadata");
        }
        if (listedSource != null && !listedSource.key().equals(sourceKey)) {
            throw new IllegalArgumentException("the listed source is " + listedSource.key() + ", not " + sourceKey);
        }
    }

    /** A copy that keeps the source's content type, metadata and the bucket's default storage class. */
    public static CopyRequest of(String sourceBucket, String sourceKey, String targetBucket, String targetKey) {
        return new CopyRequest(sourceBucket, sourceKey, targetBucket, targetKey, false, null, Map.of(), null, null);
    }

    /** This copy, written in the given storage class. */
    public CopyRequest withStorageClass(StorageClass newStorageClass) {
        return new CopyRequest(sourceBucket, sourceKey, targetBucket, targetKey, replaceMetadata, contentType,
                userMetadata, newStorageClass, listedSource);
    }

    /** This copy, with the source's content type and metadata replaced by the given ones. */
    public CopyRequest withMetadata(String newContentType, Map<String, String> newUserMetadata) {
        return new CopyRequest(sourceBucket, sourceKey, targetBucket, targetKey, true, newContentType,
                newUserMetadata, storageClass, listedSource);
    }

    /** This copy, with what a listing said of the source: lets the driver skip reading it again. */
    public CopyRequest withListedSource(ObjectInfo listed) {
        return new CopyRequest(sourceBucket, sourceKey, targetBucket, targetKey, replaceMetadata, contentType,
                userMetadata, storageClass, requireNonNull(listed, "listed is null"));
    }
}
