package dev.barge.storage.qiniu;

import static java.util.Objects.requireNonNull;

import com.qiniu.util.Json;
import com.qiniu.util.StringMap;
import com.qiniu.util.UrlSafeBase64;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The upload id Barge hands out for a multipart upload. Kodo's resumable upload v2 takes the content
 * type, metadata and storage type only when the upload completes, but Barge's caller gives them when it
 * starts; they travel in the id ({@code <Kodo upload id>.<base64 JSON>}) so that any store instance, on
 * any worker, can complete the upload.
 *
 * @param kodoId Kodo's uploadId
 * @param contentType the content type, or {@code null}
 * @param fileType Kodo's storage type
 * @param metadata user metadata
 */
record QiniuUploadId(String kodoId, String contentType, int fileType, Map<String, String> metadata) {

    QiniuUploadId {
        requireNonNull(kodoId, "kodoId is null");
        metadata = Map.copyOf(requireNonNull(metadata, "metadata is null"));
    }

    String encode() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (contentType != null) {
            attributes.put("m", contentType);
        }
        attributes.put("t", fileType);
        attributes.put("x", new LinkedHashMap<>(metadata));
        return kodoId + "." + UrlSafeBase64.encodeToString(Json.encode(attributes));
    }

    /** The id's parts, or {@code null} when this driver did not issue it. */
    static QiniuUploadId decode(String uploadId) {
        int dot = uploadId.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            StringMap attributes = Json.decode(new String(UrlSafeBase64.decode(uploadId.substring(dot + 1)),
                    StandardCharsets.UTF_8));
            Map<String, String> metadata = new LinkedHashMap<>();
            if (attributes.get("x") instanceof Map<?, ?> x) {
                x.forEach((name, value) -> metadata.put(String.valueOf(name), String.valueOf(value)));
            }
            Object type = attributes.get("t");
            return new QiniuUploadId(uploadId.substring(0, dot), (String) attributes.get("m"),
                    type instanceof Number n ? n.intValue() : 0, metadata);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
