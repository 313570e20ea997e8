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
 */
public record CopyRequest(
        String sourceBucket,
        String sourceKey,
        String targetBucket,
        String targetKey,
        boolean replaceMetadata,
        String contentType,
        Map<String, String> userMetadata,
        StorageClass storageClass) {

    public CopyRequest {
        requireNonNull(sourceBucket, "sourceBucket is null");
        requireNonNull(sourceKey, "sourceKey is null");
        requireNonNull(targetBucket, "targetBucket is null");
        requireNonNull(targetKey, "targetKey is null");
        userMetadata = PutRequest.lowerCaseNames(requireNonNull(userMetadata, "userMetadata is null"));
        if (!replaceMetadata && (contentType != null || !userMetadata.isEmpty())) {
            throw new IllegalArgumentException("content type and metadata can only be given with replaceMetadata");
        }
    }

    /** A copy that keeps the source's content type, metadata and the bucket's default storage class. */
    public static CopyRequest of(String sourceBucket, String sourceKey, String targetBucket, String targetKey) {
        return new CopyRequest(sourceBucket, sourceKey, targetBucket, targetKey, false, null, Map.of(), null);
    }

    /** This copy, written in the given storage class. */
    public CopyRequest withStorageClass(StorageClass newStorageClass) {
        return new CopyRequest(sourceBucket, sourceKey, targetBucket, targetKey, replaceMetadata, contentType,
                userMetadata, newStorageClass);
    }

    /** This copy, with the source's content type and metadata replaced by the given ones. */
    public CopyRequest withMetadata(String newContentType, Map<String, String> newUserMetadata) {
        return new CopyRequest(sourceBucket, sourceKey, targetBucket, targetKey, true, newContentType,
                newUserMetadata, storageClass);
    }
}
