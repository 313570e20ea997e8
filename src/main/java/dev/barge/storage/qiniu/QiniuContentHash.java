package dev.barge.storage.qiniu;

import dev.barge.storage.Qetag;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * MD5 and Kodo's qetag ({@link Qetag}) of bytes as they stream by, with their count. Not thread-safe;
 * {@link #finish()} once.
 */
final class QiniuContentHash {

    static final int BLOCK_SIZE = Qetag.BLOCK_SIZE;

    private final MessageDigest md5 = md5();
    private final Qetag qetag = new Qetag();
    private long size;

    void update(byte[] bytes, int offset, int length) {
        md5.update(bytes, offset, length);
        qetag.update(bytes, offset, length);
        size += length;
    }

    long size() {
        return size;
    }

    /** The hashes of everything seen. */
    Hashes finish() {
        return new Hashes(HexFormat.of().formatHex(md5.digest()), qetag.value(), size);
    }

    /** See {@link Qetag#isStandard}. */
    static boolean isStandardQetag(String hash) {
        return Qetag.isStandard(hash);
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    /**
     * @param md5 lower-case hex
     * @param qetag Kodo's hash of the same bytes
     * @param size how many bytes
     */
    record Hashes(String md5, String qetag, long size) {}
}
