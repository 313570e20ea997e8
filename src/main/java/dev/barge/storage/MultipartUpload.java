package dev.barge.storage;

import static java.util.Objects.requireNonNull;

/**
 * A multipart upload in progress, as returned by {@link ObjectStore#initiateMultipart}.
 *
 * @param bucket target bucket
 * @param key target key
 * @param uploadId the store's id of the upload
 */
public record MultipartUpload(String bucket, String key, String uploadId) {
    public MultipartUpload {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        requireNonNull(uploadId, "uploadId is null");
    }
}
