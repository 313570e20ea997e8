package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A multipart upload in progress: what InitiateMultipartUpload fixed (content type, metadata,
 * storage class) and the parts uploaded so far. A part uploaded again replaces the earlier one.
 */
final class OssMultipartUpload {

    private final String uploadId;
    private final String key;
    private final Instant initiated;
    private final String contentType;
    private final Map<String, String> userMetadata;
    private final Map<String, String> systemHeaders;
    private final String storageClass;
    private final ConcurrentSkipListMap<Integer, Part> parts = new ConcurrentSkipListMap<>();

    OssMultipartUpload(String uploadId, String key, Instant initiated, String contentType,
            Map<String, String> userMetadata, Map<String, String> systemHeaders, String storageClass) {
        this.uploadId = requireNonNull(uploadId, "uploadId is null");
        this.key = requireNonNull(key, "key is null");
        this.initiated = requireNonNull(initiated, "initiated is null");
        this.contentType = requireNonNull(contentType, "contentType is null");
        this.userMetadata = Map.copyOf(userMetadata);
        this.systemHeaders = Map.copyOf(systemHeaders);
        this.storageClass = requireNonNull(storageClass, "storageClass is null");
    }

    String uploadId() {
        return uploadId;
    }

    String key() {
        return key;
    }

    Instant initiated() {
        return initiated;
    }

    String contentType() {
        return contentType;
    }

    Map<String, String> userMetadata() {
        return userMetadata;
    }

    Map<String, String> systemHeaders() {
        return systemHeaders;
    }

    String storageClass() {
        return storageClass;
    }

    void putPart(Part part) {
        parts.put(part.number(), part);
    }

    /** Parts by number, ascending; a live view. */
    NavigableMap<Integer, Part> parts() {
        return parts;
    }

    List<Part> partList() {
        return List.copyOf(parts.values());
    }

    /**
     * One uploaded part.
     *
     * @param number 1..10000
     * @param data content
     * @param md5 binary MD5 of the content
     * @param crc64 CRC-64/ECMA of the content
     * @param lastModified when it was uploaded
     */
    record Part(int number, byte[] data, byte[] md5, long crc64, Instant lastModified) {

        Part {
            requireNonNull(data, "data is null");
            requireNonNull(md5, "md5 is null");
            requireNonNull(lastModified, "lastModified is null");
        }

        String etag() {
            return OssCodecs.upperHex(md5);
        }
    }
}
