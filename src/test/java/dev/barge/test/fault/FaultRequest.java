package dev.barge.test.fault;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A request as fault rules see it: its method and its target, path and query.
 *
 * @param method "GET", "PUT", ...
 * @param uri the request target, path and query as sent ("/bucket/key?partNumber=2&uploadId=...")
 */
public record FaultRequest(String method, String uri) {
    public FaultRequest {
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
    }

    /** The path, without the query. */
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
