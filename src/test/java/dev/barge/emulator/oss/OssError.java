package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OSS error response: HTTP status, error code, message, and the extra elements OSS adds to
 * some errors ({@code Key}, {@code BucketName}, {@code StringToSign}...). Thrown by the
 * operations and turned into the XML body (or, for HEAD, the {@code x-oss-err} header) by the
 * HTTP handler.
 */
final class OssError extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> details = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String ec;

    OssError(int status, String code, String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.status = status;
        this.code = requireNonNull(code, "code is null");
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The {@code EC} (error-code detail) OSS sends with some errors, or {@code null}. */
    String ec() {
        return ec;
    }

    Map<String, String> details() {
        return Collections.unmodifiableMap(details);
    }

    Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    OssError detail(String element, String value) {
        if (value != null) {
            details.put(element, value);
        }
        return this;
    }

    OssError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    OssError ec(String value) {
        this.ec = value;
        return this;
    }

    // The errors used in more than one place.

    static OssError noSuchBucket(String bucket) {
        return new OssError(404, "NoSuchBucket", "The specified bucket does not exist.").detail("BucketName", bucket);
    }

    static OssError noSuchKey(String key) {
        return new OssError(404, "NoSuchKey", "The specified key does not exist.").detail("Key", key).ec("0026-00000001");
    }

    static OssError noSuchUpload(String uploadId) {
        return new OssError(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, "
                + "or the upload may have been aborted or completed.").detail("UploadId", uploadId);
    }

    static OssError invalidArgument(String message, String name, String value) {
        return new OssError(400, "InvalidArgument", message).detail("ArgumentName", name).detail("ArgumentValue", value);
    }

    static OssError malformedXml(String why) {
        return new OssError(400, "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema. (" + why + ")");
    }

    static OssError invalidObjectState(String key) {
        return new OssError(403, "InvalidObjectState", "The operation is not valid for the object's state").detail("Key", key);
    }

    static OssError accessDenied(String message) {
        return new OssError(403, "AccessDenied", message);
    }

    static OssError invalidDigest(String ec) {
        return new OssError(400, "InvalidDigest", "The Content-MD5 you specified was invalid.").ec(ec);
    }
}
