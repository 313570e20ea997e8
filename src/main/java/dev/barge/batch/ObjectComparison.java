package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Checksum;
import dev.barge.storage.ObjectInfo;
import dev.barge.transfer.ObjectTransfer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether a target object holds the same content as a source object, by a job's
 * {@link IdentityCheck}: the one rule behind "skip, it is already there", behind "the copy is
 * confirmed, the source may be deleted", and behind {@code verify}'s "matched".
 */
public final class ObjectComparison {
    private final IdentityCheck identityCheck;

    public ObjectComparison(IdentityCheck identityCheck) {
        this.identityCheck = requireNonNull(identityCheck, "identityCheck is null");
    }

    /** What decided a comparison. */
    public enum Basis {
        /** The sizes: they differ, or {@link IdentityCheck#SIZE_ONLY} asks for nothing more. */
        SIZE,
        /** A checksum both sides report, or the MD5 a multipart copy recorded in the target's metadata. */
        CHECKSUM,
        /** The times, as {@link IdentityCheck#SIZE_AND_MTIME} asks. */
        TIME,
        /**
         * The times, because {@link IdentityCheck#CHECKSUM} found no checksum both sides report: the
         * content itself was not compared (a flipped byte of equal size goes unnoticed).
         */
        TIME_WITHOUT_CHECKSUM
    }

    /**
     * A comparison's result.
     *
     * @param identical whether the target is taken to hold the source's content
     * @param basis what decided it
     * @param difference what differs, in words, or {@code null} when identical
     */
    public record Verdict(boolean identical, Basis basis, String difference) {
        public Verdict {
            requireNonNull(basis, "basis is null");
            if (identical != (difference == null)) {
                throw new IllegalArgumentException("a difference is given exactly when the objects are not identical");
            }
        }

        static Verdict same(Basis basis) {
            return new Verdict(true, basis, null);
        }

        static Verdict differ(Basis basis, String difference) {
            return new Verdict(false, basis, difference);
        }
    }

    /**
     * @param source the source object, as listed or stat'ed
     * @param target the target object, as listed or stat'ed
     * @param targetMetadata the target's user metadata, asked for only when no checksum both sides
     *     report can decide (listings carry none: the caller may answer with a HEAD request)
     */
    public boolean identical(ObjectInfo source, ObjectInfo target, Supplier<Map<String, String>> targetMetadata) {
        return compare(source, target, targetMetadata).identical();
    }

    /** {@link #identical}, with what decided it and what differs. */
    public Verdict compare(ObjectInfo source, ObjectInfo target, Supplier<Map<String, String>> targetMetadata) {
        if (source.size() != target.size()) {
            return Verdict.differ(Basis.SIZE, "sizes differ: " + source.size() + " bytes at the source, "
                    + target.size() + " at the target");
        }
        return switch (identityCheck) {
            case SIZE_ONLY -> Verdict.same(Basis.SIZE);
            case SIZE_AND_MTIME -> byTime(source, target, Basis.TIME);
            case CHECKSUM -> byChecksum(source, target, targetMetadata)
                    .orElseGet(() -> byTime(source, target, Basis.TIME_WITHOUT_CHECKSUM));
        };
    }

    /** The checksum verdict, or empty when nothing comparable exists. */
    private static Optional<Verdict> byChecksum(ObjectInfo source, ObjectInfo target,
            Supplier<Map<String, String>> targetMetadata) {
        for (Checksum s : source.checksums()) {
            Optional<Checksum> t = target.checksum(s.algorithm());
            if (t.isPresent()) {
                return Optional.of(t.get().equals(s) ? Verdict.same(Basis.CHECKSUM)
                        : Verdict.differ(Basis.CHECKSUM, s.algorithm() + " differs: " + s.value() + " at the source, "
                                + t.get().value() + " at the target"));
            }
        }
        Optional<Checksum> sourceMd5 = source.checksum(Checksum.Algorithm.MD5);
        if (sourceMd5.isEmpty()) {
            return Optional.empty();
        }
        String recorded = targetMetadata.get().get(ObjectTransfer.MD5_METADATA);
        if (recorded == null) {
            return Optional.empty();
        }
        return Optional.of(Checksum.md5Hex(recorded).equals(sourceMd5.get()) ? Verdict.same(Basis.CHECKSUM)
                : Verdict.differ(Basis.CHECKSUM, "MD5 differs: " + sourceMd5.get().value() + " at the source, "
                        + Checksum.md5Hex(recorded).value() + " recorded in the target's metadata"));
    }

    /**
     * Whether the target was written no earlier than the source was, to the second: S3 and most
     * stores report times in whole seconds, so finer differences (a local file's nanoseconds) say
     * nothing.
     */
    private static Verdict byTime(ObjectInfo source, ObjectInfo target, Basis basis) {
        Instant s = source.lastModified().truncatedTo(ChronoUnit.SECONDS);
        Instant t = target.lastModified().truncatedTo(ChronoUnit.SECONDS);
        return !t.isBefore(s) ? Verdict.same(basis)
                : Verdict.differ(basis, "the target (" + t + ") is older than the source (" + s + ")");
    }
}
