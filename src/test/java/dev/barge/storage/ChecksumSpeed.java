package dev.barge.storage;

import java.security.MessageDigest;
import java.util.Random;

/**
 * A quick, JMH-free measure of hashing speed: MB per CPU second (thread CPU time, so that other
 * processes on a shared machine do not skew it) of each algorithm over a 64 MiB buffer fed in
 * 64 KiB pieces, best of eight rounds. Not a test; run by hand:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.barge.storage.ChecksumSpeed}.
 */
public final class ChecksumSpeed {
    private static final int SIZE = 64 << 20;
    private static final int PIECE = 64 << 10;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    interface Hash {
        void update(byte[] b, int off, int len);
    }

    public static void main(String[] args) throws Exception {
        byte[] data = new byte[SIZE];
        new Random(1).nextBytes(data);
        for (String name : args.length > 0 ? args
                : new String[] {"crc64-bytewise", "crc64-sdk", "crc64", "md5", "sha1", "qetag", "sha256"}) {
            double best = 0;
            for (int round = 0; round < 8; round++) {
                Hash h = hash(name);
                long t = CPU.getCurrentThreadCpuTime();
                for (int off = 0; off < SIZE; off += PIECE) {
                    h.update(data, off, PIECE);
                }
                double mbps = SIZE / 1e6 / ((CPU.getCurrentThreadCpuTime() - t) / 1e9);
                best = Math.max(best, mbps);
            }
            System.out.printf("%-16s %8.0f MB per CPU second%n", name, best);
        }
    }

    private static Hash hash(String name) throws Exception {
        return switch (name) {
            case "crc64-bytewise" -> new Hash() {
                private long crc = -1L;
                private static final long[] TABLE = table();

                @Override
                public void update(byte[] b, int off, int len) {
                    long c = crc;
                    for (int i = off; i < off + len; i++) {
                        c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
                    }
                    crc = c;
                }
            };
            case "crc64-sdk" -> {
                com.aliyun.oss.common.utils.CRC64 crc = new com.aliyun.oss.common.utils.CRC64();
                yield crc::update;
            }
            case "crc64" -> new Crc64()::update;
            case "md5" -> MessageDigest.getInstance("MD5")::update;
            case "sha1" -> MessageDigest.getInstance("SHA-1")::update;
            case "sha256" -> MessageDigest.getInstance("SHA-256")::update;
            case "qetag" -> new Qetag()::update;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static long[] table() {
        long[] t = new long[256];
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xC96C5795D7870F42L : crc >>> 1;
            }
            t[n] = crc;
        }
        return t;
    }
}
