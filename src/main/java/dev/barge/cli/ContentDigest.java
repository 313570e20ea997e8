package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Checksum;
import dev.barge.storage.Crc64;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.Qetag;
import dev.barge.transfer.ObjectTransfer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One checksum of bytes as they stream past, in one of the algorithms stores report, so that a copy
 * between an object and this machine (which {@code ObjectTransfer} does not do) is checked as a
 * migration's copies are. Not thread-safe.
 */
final class ContentDigest {
    /** The algorithms this machine can check, in the order a check prefers them. */
    private static final List<Checksum.Algorithm> PREFERRED = List.of(Checksum.Algorithm.MD5,
            Checksum.Algorithm.CRC64_ECMA, Checksum.Algorithm.SHA256, Checksum.Algorithm.QETAG);

    private final Checksum.Algorithm algorithm;
    private final MessageDigest digest;
    private final Crc64 crc64;
    private final Qetag qetag;

    private ContentDigest(Checksum.Algorithm algorithm) {
        this.algorithm = requireNonNull(algorithm, "algorithm is null");
        this.digest = switch (algorithm) {
            case MD5 -> messageDigest("MD5");
            case SHA256 -> messageDigest("SHA-256");
            default -> null;
        };
        this.crc64 = algorithm == Checksum.Algorithm.CRC64_ECMA ? new Crc64() : null;
        this.qetag = algorithm == Checksum.Algorithm.QETAG ? new Qetag() : null;
    }

    static ContentDigest of(Checksum.Algorithm algorithm) {
        return new ContentDigest(algorithm);
    }

    static ContentDigest md5() {
        return of(Checksum.Algorithm.MD5);
    }

    /**
     * What an object's bytes can be checked against: the first of the checksums its store reports
     * in the preferred order (a Kodo hash only when it is a standard qetag), else the MD5 a multipart copy recorded in its metadata
     * ({@link ObjectTransfer#MD5_METADATA}); empty when there is none (only the size is checked).
     */
    static Optional<Checksum> expected(ObjectInfo object) {
        for (Checksum.Algorithm algorithm : PREFERRED) {
            Optional<Checksum> reported = object.checksum(algorithm);
            if (reported.isPresent() && (algorithm != Checksum.Algorithm.QETAG
                    || Qetag.isStandard(reported.get().value()))) {
                return reported;
            }
        }
        String recorded = object.userMetadata().get(ObjectTransfer.MD5_METADATA);
        return recorded == null || !recorded.matches("[0-9a-fA-F]{32}") ? Optional.empty()
                : Optional.of(Checksum.md5Hex(recorded));
    }

    Checksum.Algorithm algorithm() {
        return algorithm;
    }

    void update(byte[] bytes, int offset, int length) {
        if (digest != null) {
            digest.update(bytes, offset, length);
        } else if (crc64 != null) {
            crc64.update(bytes, offset, length);
        } else {
            qetag.update(bytes, offset, length);
        }
    }

    /** The checksum of the bytes so far; call once, at the end. */
    Checksum finish() {
        if (digest != null) {
            return new Checksum(algorithm, HexFormat.of().formatHex(digest.digest()));
        }
        return crc64 != null ? crc64.checksum() : qetag.checksum();
    }

    private static MessageDigest messageDigest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is missing from this JDK", e);
        }
    }
}
