package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A request for a URL that lets its holder GET or PUT one object without credentials until it expires.
 *
 * @param method what the URL allows
 * @param bucket the bucket
 * @param key the key
 * @param expiry how long the URL stays valid
 */
public record PresignRequest(Method method, String bucket, String key, Duration expiry) {
    public PresignRequest {
        requireNonNull(method, "method is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        requireNonNull(expiry, "expiry is null");
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("expiry must be positive: " + expiry);
        }
    }

    public enum Method {
        GET,
        PUT
    }
}
