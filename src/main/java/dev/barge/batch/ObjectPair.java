package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectInfo;

/**
 * One key of a source/target comparison: the object on each side, or {@code null} where it is
 * absent.
 *
 * @param key the key relative to both listings' prefixes
 * @param source the source object, or {@code null} if only the target has it
 * @param target the target object, or {@code null} if only the source has it
 */
public record ObjectPair(String key, ObjectInfo source, ObjectInfo target) {
    public ObjectPair {
        requireNonNull(key, "key is null");
        if (source == null && target == null) {
            throw new IllegalArgumentException("a pair needs at least one object: " + key);
        }
    }
}
