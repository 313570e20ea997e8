package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Qiniu's content hash ("qetag"), computed as Kodo defines it: the data is cut into 4 MiB blocks;
 * with at most one block the hash is {@code 0x16 + sha1(data)}, with more it is
 * {@code 0x96 + sha1(sha1(block1) + sha1(block2) + ...)}; the 21 bytes are URL-safe base64 encoded.
 */
public final class QiniuEtag {

    /** Kodo's block size for the hash: 4 MiB. */
    public static final int BLOCK_SIZE = 4 * 1024 * 1024;

    private QiniuEtag() {
    }

    /** The qetag of {@code data}. */
    public static String of(byte[] data) {
        requireNonNull(data, "data is null");
        return of(data, 0, data.length);
    }

    /** The qetag of {@code length} bytes of {@code data} from {@code offset}. */
    public static String of(byte[] data, int offset, int length) {
        requireNonNull(data, "data is null");
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", size " + data.length);
        }
        MessageDigest sha1 = sha1();
        byte[] result = new byte[21];
        if (length <= BLOCK_SIZE) {
            sha1.update(data, offset, length);
            result[0] = 0x16;
            System.arraycopy(sha1.digest(), 0, result, 1, 20);
        } else {
            MessageDigest outer = sha1();
            for (int start = 0; start < length; start += BLOCK_SIZE) {
                sha1.reset();
                sha1.update(data, offset + start, Math.min(BLOCK_SIZE, length - start));
                outer.update(sha1.digest());
            }
            result[0] = (byte) 0x96;
            System.arraycopy(outer.digest(), 0, result, 1, 20);
        }
        return Codec.urlSafeBase64(result);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }
}
