package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectInfo;
import dev.barge.storage.StorageClass;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.util.AntPathMatcher;

/**
 * Which source objects a job takes.
 *
 * <p>Globs use {@code *} (within one path segment), {@code **} (any number of segments) and
 * {@code ?}. A glob without {@code /} matches the last segment of the key at any depth
 * ({@code *.jpg} takes {@code a/b.jpg}); a glob with {@code /} matches the whole key relative to
 * the job's source prefix. An object is taken if it matches some include (or there are none) and
 * no exclude.
 *
 * @param includes globs an object must match one of; empty for all
 * @param excludes globs an object must match none of
 * @param minSize smallest size taken, or {@code null}
 * @param maxSize largest size taken, or {@code null}
 * @param modifiedAfter take only objects modified at or after this, or {@code null}
 * @param modifiedBefore take only objects modified before this, or {@code null}
 * @param storageClasses take only these storage class families; empty for all
 */
public record ObjectFilter(
        List<String> includes,
        List<String> excludes,
        Long minSize,
        Long maxSize,
        Instant modifiedAfter,
        Instant modifiedBefore,
        Set<StorageClass.Family> storageClasses) {

    /** Takes everything. */
    public static final ObjectFilter ALL = new ObjectFilter(List.of(), List.of(), null, null, null, null, Set.of());

    private static final AntPathMatcher GLOBS = new AntPathMatcher("/");

    public ObjectFilter {
        includes = List.copyOf(requireNonNull(includes, "includes is null"));
        excludes = List.copyOf(requireNonNull(excludes, "excludes is null"));
        storageClasses = Set.copyOf(requireNonNull(storageClasses, "storageClasses is null"));
        if (minSize != null && maxSize != null && minSize > maxSize) {
            throw new IllegalArgumentException("min size " + minSize + " is above max size " + maxSize);
        }
    }

    /** Whether the object at {@code key} (relative to the source prefix) is taken. */
    public boolean accepts(String key, ObjectInfo object) {
        if (minSize != null && object.size() < minSize) {
            return false;
        }
        if (maxSize != null && object.size() > maxSize) {
            return false;
        }
        if (modifiedAfter != null && object.lastModified().isBefore(modifiedAfter)) {
            return false;
        }
        if (modifiedBefore != null && !object.lastModified().isBefore(modifiedBefore)) {
            return false;
        }
        if (!storageClasses.isEmpty() && !storageClasses.contains(object.storageClass().family())) {
            return false;
        }
        if (!includes.isEmpty() && includes.stream().noneMatch(glob -> matches(glob, key))) {
            return false;
        }
        return excludes.stream().noneMatch(glob -> matches(glob, key));
    }

    private static boolean matches(String glob, String key) {
        if (glob.indexOf('/') < 0) {
            return GLOBS.match(glob, key.substring(key.lastIndexOf('/') + 1));
        }
        return GLOBS.match(glob.startsWith("/") ? glob.substring(1) : glob, key);
    }
}
