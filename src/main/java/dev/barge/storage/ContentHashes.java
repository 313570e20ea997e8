package dev.barge.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Checksums of bytes as they stream past, in the algorithms asked for and no others, each in the
 * textual form its vendor reports: only those asked for, each byte hashed once, so that a write that
 * expects nothing hashes nothing. The one implementation behind the multipart engine's expected
 * checksums and a transfer's end-to-end ones. Not thread-safe: feed it bytes in order from one
 * thread, and {@link #finish()} once.
 */
public final class ContentHashes {
    private final MessageDigest md5;
    private final MessageDigest sha256;
    private final Crc64 crc64;
    private final Qetag qetag;

    public ContentHashes(Set<Checksum.Algorithm> algorithms) {
        md5 = algorithms.contains(Checksum.Algorithm.MD5) ? digest("MD5") : null;
        sha256 = algorithms.contains(Checksum.Algorithm.SHA256) ? digest("SHA-256") : null;
        crc64 = algorithms.contains(Checksum.Algorithm.CRC64_ECMA) ? new Crc64() : null;
        qetag = algorithms.contains(Checksum.Algorithm.QETAG) ? new Qetag() : null;
    }

    public void update(byte[] bytes, int offset, int length) {
        if (md5 != null) {
            md5.update(bytes, offset, length);
        }
        if (sha256 != null) {
            sha256.update(bytes, offset, length);
        }
        if (crc64 != null) {
            crc64.update(bytes, offset, length);
        }
        if (qetag != null) {
            qetag.update(bytes, offset, length);
        }
    }

    /** The finished checksums; call once, after the last byte. */
    public List<Checksum> finish() {
        List<Checksum> result = new ArrayList<>(4);
        if (md5 != null) {
            result.add(Checksum.md5Hex(HexFormat.of().formatHex(md5.digest())));
        }
        if (sha256 != null) {
            result.add(new Checksum(Checksum.Algorithm.SHA256, HexFormat.of().formatHex(sha256.digest())));
        }
        if (crc64 != null) {
            result.add(crc64.checksum());
        }
        if (qetag != null) {
            result.add(qetag.checksum());
        }
        return result;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }
}
