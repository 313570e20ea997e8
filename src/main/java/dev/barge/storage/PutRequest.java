package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where and how to write an object: the target, its content type, user metadata, storage
 * class, and checksums the store must verify before the object becomes visible. Used by
 * {@link ObjectStore#put} and {@link ObjectStore#initiateMultipart}.
 *
 * @param bucket target bucket
 * @param key target key
 * @param contentType MIME type, or {@code null} for the store's default
 * @param userMetadata user metadata; names are lower-cased
 * @param storageClass storage class, or {@code null} for the bucket's default
 * @param expectedChecksums checksums of the payload; a mismatch fails the write with
 *     {@link ErrorKind#CHECKSUM_MISMATCH} and leaves no object behind
 */
public record PutRequest(
        String bucket,
        String key,
        String contentType,
        Map<String, String> userMetadata,
        StorageClass storageClass,
        List<Checksum> expectedChecksums) {

    public PutRequest {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        userMetadata = lowerCaseNames(requireNonNull(userMetadata, "userMetadata is null"));
        expectedChecksums = List.copyOf(requireNonNull(expectedChecksums, "expectedChecksums is null"));
    }

    public static Builder builder(String bucket, String key) {
        return new Builder(bucket, key);
    }

    static Map<String, String> lowerCaseNames(Map<String, String> metadata) {
        Map<String, String> lower = new LinkedHashMap<>();
        metadata.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), requireNonNull(value, name)));
        return Map.copyOf(lower);
    }

    public static final class Builder {
        private final String bucket;
        private final String key;
        private String contentType;
        private Map<String, String> userMetadata = Map.of();
        private StorageClass storageClass;
        private List<Checksum> expectedChecksums = List.of();

        private Builder(String bucket, String key) {
            this.bucket = bucket;
            this.key = key;
        }

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder userMetadata(Map<String, String> userMetadata) {
            this.userMetadata = userMetadata;
            return this;
        }

        public Builder storageClass(StorageClass storageClass) {
            this.storageClass = storageClass;
            return this;
        }

        public Builder expectedChecksums(List<Checksum> expectedChecksums) {
            this.expectedChecksums = expectedChecksums;
            return this;
        }

        public PutRequest build() {
            return new PutRequest(bucket, key, contentType, userMetadata, storageClass, expectedChecksums);
        }
    }
}
