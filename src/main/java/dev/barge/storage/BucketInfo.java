package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A bucket as {@link ObjectStore#listBuckets} reports it.
 *
 * @param name the bucket name
 * @param created when it was created, or {@code null} if the store does not say
 */
public record BucketInfo(String name, Instant created) {
    public BucketInfo {
        requireNonNull(name, "name is null");
    }
}
