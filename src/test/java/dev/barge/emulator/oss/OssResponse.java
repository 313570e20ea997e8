package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response before it goes on the wire. Header names are written exactly as given (OSS's
 * SDK only sees lower-case {@code x-oss-meta-*}). {@code Content-Length} is set by the handler
 * from the body, or from {@link #contentLength} for HEAD.
 */
final class OssResponse {

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private int offset;
    private int length;
    private long contentLength = -1;

    private OssResponse(int status) {
        this.status = status;
    }

    static OssResponse status(int status) {
        return new OssResponse(status);
    }

    static OssResponse xml(int status, byte[] xml) {
        return new OssResponse(status).header("Content-Type", "application/xml").body(xml);
    }

    OssResponse header(String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }

    OssResponse body(byte[] bytes) {
        return body(bytes, 0, bytes.length);
    }

    OssResponse body(byte[] bytes, int from, int count) {
        this.body = requireNonNull(bytes, "bytes is null");
        this.offset = from;
        this.length = count;
        return this;
    }

    /** For HEAD: the length of the body a GET would have sent. */
    OssResponse contentLength(long value) {
        this.contentLength = value;
        return this;
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    byte[] bodyArray() {
        return body;
    }

    int bodyOffset() {
        return offset;
    }

    int bodyLength() {
        return length;
    }

    long declaredContentLength() {
        return contentLength >= 0 ? contentLength : length;
    }
}
