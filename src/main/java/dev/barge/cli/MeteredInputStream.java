package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * Counts the bytes read through it, feeds them to a {@link ContentDigest} (when given) and reports
 * each read to a progress consumer. Every byte passes through: {@code skip} reads rather than skips.
 */
final class MeteredInputStream extends FilterInputStream {
    private final ContentDigest digest;
    private final LongConsumer progress;
    private long count;

    /**
     * @param digest what the bytes are hashed with, or {@code null} to only count them
     * @param progress told the size of each read
     */
    MeteredInputStream(InputStream in, ContentDigest digest, LongConsumer progress) {
        super(requireNonNull(in, "in is null"));
        this.digest = digest;
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            if (digest != null) {
                digest.update(b, off, n);
            }
            count += n;
            progress.accept(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        int read = buffer.length == 0 ? 0 : read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readlimit) {
        // not supported: every byte is counted once
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
