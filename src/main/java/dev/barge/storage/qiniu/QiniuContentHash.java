package dev.barge.storage.qiniu;

import com.qiniu.util.UrlSafeBase64;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * MD5 and Kodo's qetag of bytes as they stream by. The qetag cuts the data into 4 MiB blocks: with at
 * most one block it is {@code 0x16 + sha1(data)}, with more {@code 0x96 + sha1(sha1(block1) + ...)},
 * URL-safe base64 encoded. Not thread-safe; {@link #finish()} once.
 */
final class QiniuContentHash {

    static final int BLOCK_SIZE = 4 * 1024 * 1024;
    private static final byte SINGLE_BLOCK = 0x16;
    private static final byte MANY_BLOCKS = (byte) 0x96;

    private final MessageDigest md5 = digest("MD5");
    private final MessageDigest block = digest("SHA-1");
    private final ByteArrayOutputStream blockHashes = new ByteArrayOutputStream();
    private int inBlock;
    private long size;

    void update(byte[] bytes, int offset, int length) {
        md5.update(bytes, offset, length);
        size += length;
        while (length > 0) {
            int n = Math.min(length, BLOCK_SIZE - inBlock);
            block.update(bytes, offset, n);
            inBlock += n;
            offset += n;
            length -= n;
            if (inBlock == BLOCK_SIZE) {
                blockHashes.writeBytes(block.digest());
                inBlock = 0;
            }
        }
    }

    long size() {
        return size;
    }

    /** The hashes of everything seen. */
    Hashes finish() {
        byte[] completed = blockHashes.toByteArray();
        int blocks = completed.length / 20 + (inBlock > 0 ? 1 : 0);
        byte[] tag = new byte[21];
        if (blocks <= 1) {
            tag[0] = SINGLE_BLOCK;
            System.arraycopy(completed.length == 20 ? completed : block.digest(), 0, tag, 1, 20);
        } else {
            MessageDigest outer = digest("SHA-1");
            outer.update(completed);
            if (inBlock > 0) {
                outer.update(block.digest());
            }
            tag[0] = MANY_BLOCKS;
            System.arraycopy(outer.digest(), 0, tag, 1, 20);
        }
        return new Hashes(HexFormat.of().formatHex(md5.digest()), UrlSafeBase64.encodeToString(tag), size);
    }

    /**
     * Whether a Kodo hash is a standard qetag, the hash of the content alone. Kodo gives objects uploaded
     * in resumable-v2 parts that are not 4 MiB a different hash ({@code 0x9e} prefix, from the part
     * layout): that one is an etag, not a checksum of the content.
     */
    static boolean isStandardQetag(String hash) {
        if (hash == null || hash.isEmpty()) {
            return false;
        }
        try {
            byte[] bytes = UrlSafeBase64.decode(hash);
            return bytes.length == 21 && (bytes[0] == SINGLE_BLOCK || bytes[0] == MANY_BLOCKS);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    /**
     * @param md5 lower-case hex
     * @param qetag Kodo's hash of the same bytes
     * @param size how many bytes
     */
    record Hashes(String md5, String qetag, long size) {}
}
