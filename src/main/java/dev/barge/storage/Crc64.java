package dev.barge.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-64/ECMA-182 as Aliyun OSS computes it ({@code x-oss-hash-crc64ecma}, {@link Checksum.Algorithm#CRC64_ECMA}):
 * reflected polynomial {@code 0xC96C5795D7870F42}, initial value and final XOR all ones (the
 * "CRC-64/XZ" variant; the check value of {@code "123456789"} is {@code 0x995DC9BBDF1939FA}).
 *
 * <p>Slice-by-16: sixteen bytes per step through sixteen 256-entry tables (32 KiB), about 3.5 times
 * as fast as the byte-at-a-time loop and 1.3 times slice-by-8 ({@code ChecksumSpeed} in the tests). A {@link java.util.zip.Checksum}, so it fits {@link java.util.zip.CheckedInputStream};
 * {@link #getValue()} is the finished CRC. Not thread-safe.
 */
public final class Crc64 implements java.util.zip.Checksum {
    private static final long POLY = 0xC96C5795D7870F42L;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Table k at {@code k * 256}: the CRC of a byte followed by k zero bytes. */
    private static final long[] T = new long[16 * 256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            T[n] = crc;
        }
        for (int k = 1; k < 16; k++) {
            for (int n = 0; n < 256; n++) {
                long previous = T[(k - 1) * 256 + n];
                T[k * 256 + n] = (previous >>> 8) ^ T[(int) (previous & 0xff)];
            }
        }
    }

    private long crc = -1L;

    @Override
    public void update(int b) {
        crc = T[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        long c = crc;
        int i = offset;
        int end = offset + length;
        for (int last16 = end - 16; i <= last16; i += 16) {
            long x = c ^ (long) LONG_LE.get(bytes, i);
            long y = (long) LONG_LE.get(bytes, i + 8);
            c = T[15 * 256 + (int) (x & 0xff)]
                    ^ T[14 * 256 + (int) ((x >>> 8) & 0xff)]
                    ^ T[13 * 256 + (int) ((x >>> 16) & 0xff)]
                    ^ T[12 * 256 + (int) ((x >>> 24) & 0xff)]
                    ^ T[11 * 256 + (int) ((x >>> 32) & 0xff)]
                    ^ T[10 * 256 + (int) ((x >>> 40) & 0xff)]
                    ^ T[9 * 256 + (int) ((x >>> 48) & 0xff)]
                    ^ T[8 * 256 + (int) (x >>> 56)]
                    ^ T[7 * 256 + (int) (y & 0xff)]
                    ^ T[6 * 256 + (int) ((y >>> 8) & 0xff)]
                    ^ T[5 * 256 + (int) ((y >>> 16) & 0xff)]
                    ^ T[4 * 256 + (int) ((y >>> 24) & 0xff)]
                    ^ T[3 * 256 + (int) ((y >>> 32) & 0xff)]
                    ^ T[2 * 256 + (int) ((y >>> 40) & 0xff)]
                    ^ T[256 + (int) ((y >>> 48) & 0xff)]
                    ^ T[(int) (y >>> 56)];
        }
        for (; i < end; i++) {
            c = T[(int) ((c ^ bytes[i]) & 0xff)] ^ (c >>> 8);
        }
        crc = c;
    }

    /** The CRC of everything passed so far (may be called at any time; the sum goes on). */
    @Override
    public long getValue() {
        return ~crc;
    }

    @Override
    public void reset() {
        crc = -1L;
    }

    /** The CRC as OSS writes it: unsigned decimal. */
    public Checksum checksum() {
        return new Checksum(Checksum.Algorithm.CRC64_ECMA, Long.toUnsignedString(getValue()));
    }
}
