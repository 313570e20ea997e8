package dev.barge.transfer;

import dev.barge.storage.Checksum;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Computes checksums of bytes as they stream past, in every algorithm Barge compares across
 * stores, each in the textual form its vendor reports ({@link Checksum.Algorithm}).
 * Not thread-safe: feed it bytes in order from one thread.
 */
final class StreamingChecksums {
    private static final int QETAG_BLOCK = 4 << 20;

    private final MessageDigest md5;
    private final MessageDigest sha256;
    private final Crc64 crc64;
    private final QiniuEtag qetag;

    private StreamingChecksums(Set<Checksum.Algorithm> algorithms) {
        md5 = algorithms.contains(Checksum.Algorithm.MD5) ? digest("MD5") : null;
        sha256 = algorithms.contains(Checksum.Algorithm.SHA256) ? digest("SHA-256") : null;
        crc64 = algorithms.contains(Checksum.Algorithm.CRC64_ECMA) ? new Crc64() : null;
        qetag = algorithms.contains(Checksum.Algorithm.QETAG) ? new QiniuEtag() : null;
    }

    /** Checksums in these algorithms; MD5 is always computed. */
    static StreamingChecksums of(Set<Checksum.Algorithm> algorithms) {
        EnumSet<Checksum.Algorithm> all = EnumSet.of(Checksum.Algorithm.MD5);
        all.addAll(algorithms);
        return new StreamingChecksums(all);
    }

    void update(byte[] bytes, int offset, int length) {
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
    List<Checksum> finish() {
        List<Checksum> result = new ArrayList<>(4);
        if (md5 != null) {
            result.add(new Checksum(Checksum.Algorithm.MD5, HexFormat.of().formatHex(md5.digest())));
        }
        if (sha256 != null) {
            result.add(new Checksum(Checksum.Algorithm.SHA256, HexFormat.of().formatHex(sha256.digest())));
        }
        if (crc64 != null) {
            result.add(new Checksum(Checksum.Algorithm.CRC64_ECMA, Long.toUnsignedString(crc64.value())));
        }
        if (qetag != null) {
            result.add(new Checksum(Checksum.Algorithm.QETAG, qetag.value()));
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

    /**
     * CRC-64/ECMA-182 as Aliyun OSS computes it ({@code x-oss-hash-crc64ecma}): reflected
     * polynomial 0xC96C5795D7870F42, initial value and final XOR all ones (the "CRC-64/XZ" variant).
     */
    static final class Crc64 {
        private static final long[] TABLE = new long[256];

        static {
            for (int n = 0; n < 256; n++) {
                long crc = n;
                for (int k = 0; k < 8; k++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xC96C5795D7870F42L : crc >>> 1;
                }
                TABLE[n] = crc;
            }
        }

        private long crc = -1L;

        void update(byte[] bytes, int offset, int length) {
            long c = crc;
            for (int i = offset; i < offset + length; i++) {
                c = TABLE[(int) ((c ^ bytes[i]) & 0xff)] ^ (c >>> 8);
            }
            crc = c;
        }

        long value() {
            return ~crc;
        }
    }

    /**
     * Qiniu's etag: SHA-1 of each 4 MiB block; one block gives {@code 0x16 + sha1(block)}, more
     * give {@code 0x96 + sha1(sha1(block 1) + sha1(block 2) + ...)}; URL-safe base64.
     */
    static final class QiniuEtag {
        private final MessageDigest blocks = digest("SHA-1");
        private MessageDigest block = digest("SHA-1");
        private long inBlock;
        private int blockCount;
        private byte[] firstBlock;

        void update(byte[] bytes, int offset, int length) {
            while (length > 0) {
                int n = (int) Math.min(length, QETAG_BLOCK - inBlock);
                block.update(bytes, offset, n);
                inBlock += n;
                offset += n;
                length -= n;
                if (inBlock == QETAG_BLOCK) {
                    endBlock();
                }
            }
        }

        private void endBlock() {
            byte[] sha1 = block.digest();
            if (blockCount == 0) {
                firstBlock = sha1;
            }
            blocks.update(sha1);
            block = digest("SHA-1");
            inBlock = 0;
            blockCount++;
        }

        String value() {
            byte[] result = new byte[21];
            if (blockCount + (inBlock > 0 ? 1 : 0) <= 1) {
                result[0] = 0x16;
                System.arraycopy(blockCount == 1 ? firstBlock : block.digest(), 0, result, 1, 20);
            } else {
                if (inBlock > 0) {
                    endBlock();
                }
                result[0] = (byte) 0x96;
                System.arraycopy(blocks.digest(), 0, result, 1, 20);
            }
            return java.util.Base64.getUrlEncoder().encodeToString(result);
        }
    }
}
