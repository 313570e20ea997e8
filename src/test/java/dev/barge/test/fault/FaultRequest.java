package dev.barge.test.fault;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A request as fault rules see it: its method, its target (path and query, as sent), and the bucket
 * and object key it is about where the server can tell. The OSS emulator parses both addressing
 * styles; the {@link FaultProxy} reads S3's and OSS's path-style addresses ({@code /bucket/key}, the
 * only kind a 127.0.0.1 endpoint gets); Kodo names objects in base64 entries and upload tokens, so
 * its requests have neither (pick them by {@link #path()}).
 *
 * @param method "GET", "PUT", ...
 * @param uri the request target, path and query as sent ("/bucket/key?partNumber=2&uploadId=...")
 * @param bucket the bucket, or {@code null} when the request is about none or the server cannot tell
 * @param key the decoded key, or {@code null} when the request is not about one object or the server
 *     cannot tell
 */
public record FaultRequest(String method, String uri, String bucket, String key) {
    public FaultRequest {
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
    }

    /** A request whose bucket and key the server does not tell. */
    public FaultRequest(String method, String uri) {
        this(method, uri, null, null);
    }

    /** The path, without the query, still percent-encoded. */
    public String path() {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** Whether the query names {@code parameter}, with or without a value. */
    public boolean hasParameter(String parameter) {
        int q = uri.indexOf('?');
        return q >= 0 && Arrays.stream(uri.substring(q + 1).split("&"))
                .anyMatch(p -> p.equals(parameter) || p.startsWith(parameter + "="));
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }
}
