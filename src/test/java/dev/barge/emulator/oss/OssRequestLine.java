package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the journal keeps of a request: enough to pick requests by method,
 * bucket, key or sub-resource.
 *
 * @param sequence 1 for the first request the emulator received, then counting up
 * @param method upper-case HTTP method
 * @param uri the raw request URI (path and query)
 * @param bucket the bucket, or {@code null} for service-level requests
 * @param key the decoded key, or {@code null} when the request is not about one object
 * @param parameters decoded query parameters; a bare {@code ?uploads} maps to {@code null}
 */
public record OssRequestLine(long sequence, String method, String uri, String bucket, String key,
        Map<String, String> parameters) {

    public OssRequestLine {
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Whether the query names {@code parameter} (with or without a value), e.g. "uploadId". */
    public boolean hasParameter(String parameter) {
        return parameters.containsKey(parameter);
    }
}
