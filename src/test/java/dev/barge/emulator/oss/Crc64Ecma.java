package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

/**
 * CRC-64/ECMA-182 as OSS reports it in {@code x-oss-hash-crc64ecma}: the reflected form of
 * polynomial 0x42F0E1EBA9EA3693, initial value and final xor all ones (the variant also called
 * CRC-64/XZ; check value of "123456789" is 0x995DC9BBDF1939FA). OSS prints the value as an
 * unsigned decimal.
 *
 * <p>Values compose: {@code update(of(a), b) == of(a ++ b)}, which is how appends are hashed.
 */
final class Crc64Ecma {

    private static final long REFLECTED_POLY = 0xC96C5795D7870F42L;
    private static final long[] TABLE = buildTable();

    private Crc64Ecma() {}

    /** The CRC of {@code data}. */
    static long of(byte[] data) {
        requireNonNull(data, "data is null");
        return update(0L, data, 0, data.length);
    }

    /** The CRC of the content whose CRC is {@code crc} followed by {@code data[offset, offset+length)}. */
    static long update(long crc, byte[] data, int offset, int length) {
        requireNonNull(data, "data is null");
        long value = ~crc;
        for (int i = offset, end = offset + length; i < end; i++) {
            value = TABLE[(int) ((value ^ data[i]) & 0xFF)] ^ (value >>> 8);
        }
        return ~value;
    }

    /** The header form: an unsigned decimal. */
    static String format(long crc) {
        return Long.toUnsignedString(crc);
    }

    private static long[] buildTable() {
        long[] table = new long[256];
        for (int n = 0; n < 256; n++) {
            long value = n;
            for (int bit = 0; bit < 8; bit++) {
                value = (value & 1) != 0 ? (value >>> 1) ^ REFLECTED_POLY : value >>> 1;
            }
            table[n] = value;
        }
        return table;
    }
}
