package dev.barge.transfer;

import dev.barge.storage.Checksum;
import dev.barge.storage.ContentHashes;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which checksums a transfer computes ({@link #needed}) and, through {@link ContentHashes}, the
 * checksums of its bytes as they stream past, in those algorithms and no others. Not thread-safe:
 * feed it bytes in order from one thread.
 */
final class StreamingChecksums {
    /**
     * Cheapest first, by CPU per byte. Measured here ({@code dev.barge.storage.ChecksumSpeed}, JDK 17, MB
     * per CPU second): CRC-64 1,700, SHA-1 (qetag) 1,200, SHA-256 1,200, MD5 770. SHA-256 is that fast only
     * on CPUs with SHA extensions; elsewhere it is the slowest.
     */
    private static final List<Checksum.Algorithm> BY_COST = List.of(Checksum.Algorithm.CRC64_ECMA,
            Checksum.Algorithm.QETAG, Checksum.Algorithm.MD5, Checksum.Algorithm.SHA256);

    private final ContentHashes hashes;

    private StreamingChecksums(Set<Checksum.Algorithm> algorithms) {
        hashes = new ContentHashes(algorithms);
    }

    /** Checksums in exactly these algorithms (none: the bytes are only counted). */
    static StreamingChecksums of(Set<Checksum.Algorithm> algorithms) {
        return new StreamingChecksums(algorithms);
    }

    /**
     * The fewest algorithms that check a streamed copy end to end:
     *
     * <ul>
     *   <li>one the source reports, so that the bytes read are the source's (when it reports any);</li>
     *   <li>one the target will report for this kind of write, so that what it stored is what was sent
     *       (when it reports any): one algorithm both report does both;</li>
     *   <li>MD5 when a multipart write records the source's MD5 ({@link ObjectTransfer#MD5_METADATA}):
     *       the value recorded is then one the bytes were checked against;</li>
     *   <li>if still none, the cheapest the target reports at all (the local driver reports the MD5 of a
     *       multipart object; S3 reports none, so this MD5 is then computed in vain: the SPI does not say
     *       which stores report what after a multipart upload).</li>
     * </ul>
     *
     * Among candidates, a single put takes MD5 first when the target reports it: every driver verifies an
     * announced MD5 before the object becomes visible at no extra hashing (Content-MD5 on S3 and OSS; the
     * local and Qiniu drivers hash MD5 anyway), where an announced CRC-64 would make the OSS driver hold and
     * hash the bytes again. Otherwise the cheapest ({@link #BY_COST}).
     *
     * @param source what the source reports for the object
     * @param target what the target reports ({@code Capabilities.checksums()})
     * @param multipart whether the copy is a multipart upload, whose etag is no MD5 on any vendor: a
     *     target's MD5 does not count for it
     */
    static Set<Checksum.Algorithm> needed(Set<Checksum.Algorithm> source, Set<Checksum.Algorithm> target,
            boolean multipart) {
        Set<Checksum.Algorithm> targetWill = EnumSet.noneOf(Checksum.Algorithm.class);
        targetWill.addAll(target);
        if (multipart) {
            targetWill.remove(Checksum.Algorithm.MD5);
        }
        boolean md5First = !multipart && target.contains(Checksum.Algorithm.MD5);
        Set<Checksum.Algorithm> result = EnumSet.noneOf(Checksum.Algorithm.class);
        if (multipart && source.contains(Checksum.Algorithm.MD5)) {
            result.add(Checksum.Algorithm.MD5);
        }
        boolean checksSource = source.isEmpty() || !java.util.Collections.disjoint(result, source);
        boolean checksTarget = targetWill.isEmpty() || !java.util.Collections.disjoint(result, targetWill);
        Set<Checksum.Algorithm> both = EnumSet.noneOf(Checksum.Algorithm.class);
        both.addAll(source);
        both.retainAll(targetWill);
        if (!checksSource && !checksTarget && !both.isEmpty()) {
            result.add(best(both, md5First));
        } else {
            if (!checksSource) {
                result.add(best(source, md5First));
            }
            if (!checksTarget) {
                result.add(best(targetWill, md5First));
            }
        }
        if (result.isEmpty() && !target.isEmpty()) {
            result.add(best(target, md5First));
        }
        return result;
    }

    private static Checksum.Algorithm best(Set<Checksum.Algorithm> candidates, boolean md5First) {
        if (md5First && candidates.contains(Checksum.Algorithm.MD5)) {
            return Checksum.Algorithm.MD5;
        }
        for (Checksum.Algorithm algorithm : BY_COST) {
            if (candidates.contains(algorithm)) {
                return algorithm;
            }
        }
        return candidates.iterator().next();
    }

    void update(byte[] bytes, int offset, int length) {
        hashes.update(bytes, offset, length);
    }

    /** The finished checksums; call once, after the last byte. */
    List<Checksum> finish() {
        return hashes.finish();
    }
}
