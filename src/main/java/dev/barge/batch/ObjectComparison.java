package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Checksum;
import dev.barge.storage.ObjectInfo;
import dev.barge.transfer.ObjectTransfer;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether a target object holds the same content as a source object, by a job's
 * {@link IdentityCheck}: the one rule behind "skip, it is already there" and behind "the copy is
 * confirmed, the source may be deleted".
 */
public final class ObjectComparison {
    private final IdentityCheck identityCheck;

    public ObjectComparison(IdentityCheck identityCheck) {
        this.identityCheck = requireNonNull(identityCheck, "identityCheck is null");
    }

    /**
     * @param source the source object, as listed or stat'ed
     * @param target the target object, as listed or stat'ed
     * @param targetMetadata the target's user metadata, asked for only when no checksum both sides
     *     report can decide (listings carry none: the caller may answer with a HEAD request)
     */
    public boolean identical(ObjectInfo source, ObjectInfo target, Supplier<Map<String, String>> targetMetadata) {
        if (source.size() != target.size()) {
            return false;
        }
        return switch (identityCheck) {
            case SIZE_ONLY -> true;
            case SIZE_AND_MTIME -> notOlder(source, target);
            case CHECKSUM -> sameChecksum(source, target, targetMetadata).orElseGet(() -> notOlder(source, target));
        };
    }

    /** The checksum verdict, or empty when nothing comparable exists. */
    private static Optional<Boolean> sameChecksum(ObjectInfo source, ObjectInfo target,
            Supplier<Map<String, String>> targetMetadata) {
        for (Checksum s : source.checksums()) {
            Optional<Checksum> t = target.checksum(s.algorithm());
            if (t.isPresent()) {
                return Optional.of(t.get().equals(s));
            }
        }
        Optional<Checksum> sourceMd5 = source.checksum(Checksum.Algorithm.MD5);
        if (sourceMd5.isEmpty()) {
            return Optional.empty();
        }
        String recorded = targetMetadata.get().get(ObjectTransfer.MD5_METADATA);
        return recorded == null ? Optional.empty() : Optional.of(Checksum.md5Hex(recorded).equals(sourceMd5.get()));
    }

    /**
     * Whether the target was written no earlier than the source was, to the second: S3 and most
     * stores report times in whole seconds, so finer differences (a local file's nanoseconds) say
     * nothing.
     */
    private static boolean notOlder(ObjectInfo source, ObjectInfo target) {
        return !target.lastModified().truncatedTo(ChronoUnit.SECONDS)
                .isBefore(source.lastModified().truncatedTo(ChronoUnit.SECONDS));
    }
}
