package dev.barge.emulator.oss;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reading object attributes from request headers and writing them to responses. */
final class OssHeaders {

    static final String META_PREFIX = "x-oss-meta-";

    private OssHeaders() {}

    /** {@code x-oss-meta-*} headers, names lower-cased and stripped of the prefix. */
    static Map<String, String> userMetadata(OssRequest request) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
                metadata.put(name.substring(META_PREFIX.length()), header.getValue());
            }
        }
        return metadata;
    }

    /** The standard headers OSS stores with an object (Cache-Control, Content-Disposition...). */
    static Map<String, String> systemHeaders(OssRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : OssObject.STORED_HEADERS) {
            String value = request.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    static String contentType(OssRequest request) {
        String value = request.header("Content-Type");
        return value == null || value.isBlank() ? "application/octet-stream" : value;
    }

    /** {@code x-oss-storage-class}, or {@code fallback} when absent; an unknown class is InvalidArgument. */
    static String storageClass(OssRequest request, String fallback) {
        String value = request.header("x-oss-storage-class");
        if (value == null) {
            return fallback;
        }
        if (!OssObject.STORAGE_CLASSES.contains(value)) {
            throw OssError.invalidArgument("Invalid storage class " + value
                    + "; expected one of Standard, IA, Archive, ColdArchive, DeepColdArchive.",
                    "x-oss-storage-class", value);
        }
        return value;
    }

    /** Checks {@code Content-MD5} against {@code data} when the request carries one. */
    static void checkContentMd5(OssRequest request, byte[] data) {
        String value = request.header("Content-MD5");
        if (value == null) {
            return;
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw OssError.invalidDigest("0017-00000502").detail("Content-MD5", value);
        }
        if (expected.length != 16) {
            throw OssError.invalidDigest("0017-00000502").detail("Content-MD5", value);
        }
        if (!java.util.Arrays.equals(expected, OssCodecs.md5(data))) {
            throw OssError.invalidDigest("0017-00000503").detail("Content-MD5", value)
                    .detail("CalculatedContentMD5", OssCodecs.base64(OssCodecs.md5(data)));
        }
    }

    /** Fails with FileAlreadyExists when {@code x-oss-forbid-overwrite: true} and the target exists. */
    static void checkForbidOverwrite(OssRequest request, OssObject existing) {
        if (existing != null && "true".equalsIgnoreCase(request.header("x-oss-forbid-overwrite"))) {
            throw new OssError(409, "FileAlreadyExists",
                    "The object you specified already exists and can not be overwritten.").detail("Key", existing.key());
        }
    }

    /** OSS's key rules: 1 to 1023 bytes of UTF-8, not starting with '/' or '\'. */
    static void checkKey(String key) {
        int length = key.getBytes(UTF_8).length;
        if (length == 0) {
            throw new OssError(400, "InvalidObjectName", "The Object name can not be empty.");
        }
        if (length > 1023) {
            throw new OssError(400, "InvalidObjectName", "The Length of Object name must be less than 1024.")
                    .detail("ObjectName", key);
        }
        if (key.startsWith("/") || key.startsWith("\\")) {
            throw new OssError(400, "InvalidObjectName", "The specified object is not valid.").detail("ObjectName", key);
        }
    }

    /** OSS's bucket rules: 3 to 63 of [a-z0-9-], not starting or ending with '-'. */
    static void checkBucketName(String bucket) {
        boolean valid = bucket.length() >= 3 && bucket.length() <= 63
                && bucket.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')
                && !bucket.startsWith("-") && !bucket.endsWith("-");
        if (!valid) {
            throw new OssError(400, "InvalidBucketName", "The specified bucket is not valid.").detail("BucketName", bucket);
        }
    }

    static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    /** Strips quotes (and a W/ prefix) for comparing etags. */
    static String unquoted(String etag) {
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** The headers GET and HEAD return for an object (not Content-Length, not Content-Range). */
    static void writeObjectHeaders(OssResponse response, OssObject object, boolean whole) {
        response.header("Content-Type", object.contentType())
                .header("ETag", quoted(object.etag()))
                .header("Last-Modified", OssCodecs.formatRfc1123(object.lastModified()))
                .header("Accept-Ranges", "bytes")
                .header("x-oss-object-type", object.type().name())
                .header("x-oss-storage-class", object.storageClass())
                .header("x-oss-hash-crc64ecma", Crc64Ecma.format(object.crc64()));
        if (whole) {
            response.header("Content-MD5", object.contentMd5());
        }
        object.systemHeaders().forEach(response::header);
        object.userMetadata().forEach((name, value) -> response.header(META_PREFIX + name, value));
        if (object.restore() != null) {
            response.header("x-oss-restore", object.restore().header());
        }
    }
}
