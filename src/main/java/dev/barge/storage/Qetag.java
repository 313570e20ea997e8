package dev.barge.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Qiniu Kodo's content hash, the qetag ({@link Checksum.Algorithm#QETAG}), of bytes as they stream by:
 * the SHA-1 of each 4 MiB block; with at most one block the tag is {@code 0x16 + sha1(data)}, with
 * more {@code 0x96 + sha1(sha1(block 1) + sha1(block 2) + ...)}; URL-safe base64 of those 21 bytes.
 * The one implementation in Barge: the Qiniu driver checks uploads with it, the transfer layer
 * compares objects with it. Not thread-safe; {@link #value()} once, after the last byte.
 */
public final class Qetag {
    /** The block the qetag hashes separately: 4 MiB. */
    public static final int BLOCK_SIZE = 4 << 20;
    private static final byte SINGLE_BLOCK = 0x16;
    private static final byte MANY_BLOCKS = (byte) 0x96;

    private final MessageDigest block = sha1();
    private MessageDigest blocks;
    private byte[] firstBlock;
    private int inBlock;

    public void update(byte[] bytes, int offset, int length) {
        while (length > 0) {
            int n = Math.min(length, BLOCK_SIZE - inBlock);
            block.update(bytes, offset, n);
            inBlock += n;
            offset += n;
            length -= n;
            if (inBlock == BLOCK_SIZE) {
                endBlock();
            }
        }
    }

    private void endBlock() {
        byte[] sha1 = block.digest(); // digest() resets the instance for the next block
        if (firstBlock == null && blocks == null) {
            firstBlock = sha1;
        } else {
            if (blocks == null) {
                blocks = sha1();
                blocks.update(firstBlock);
            }
            blocks.update(sha1);
        }
        inBlock = 0;
    }

    /** The qetag of everything passed. */
    public String value() {
        byte[] tag = new byte[21];
        if (blocks == null && (firstBlock == null || inBlock == 0)) {
            tag[0] = SINGLE_BLOCK;
            System.arraycopy(firstBlock != null ? firstBlock : block.digest(), 0, tag, 1, 20);
        } else {
            if (inBlock > 0) {
                endBlock();
            }
            tag[0] = MANY_BLOCKS;
            System.arraycopy(blocks.digest(), 0, tag, 1, 20);
        }
        return Base64.getUrlEncoder().encodeToString(tag);
    }

    /** {@link #value()} as a checksum. */
    public Checksum checksum() {
        return new Checksum(Checksum.Algorithm.QETAG, value());
    }

    /**
     * Whether a hash Kodo reports is a standard qetag, a hash of the content alone. Kodo gives objects
     * uploaded in resumable-v2 parts that are not 4 MiB a different hash ({@code 0x9e} prefix, from the
     * part layout): that one is an etag, not a checksum of the content.
     */
    public static boolean isStandard(String hash) {
        if (hash == null || hash.length() != 28) {
            return false;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(hash);
            return bytes.length == 21 && (bytes[0] == SINGLE_BLOCK || bytes[0] == MANY_BLOCKS);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}
