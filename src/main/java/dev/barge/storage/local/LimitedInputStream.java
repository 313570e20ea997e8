package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Yields at most {@code limit} bytes of the underlying stream, then end of stream. When the last
 * byte has been read (the limit reached, or the underlying stream ended first) it runs its check
 * once, before that read returns: a check that fails fails the read, so a reader never takes a
 * whole object for good without the check having passed, even one that stops reading at the
 * length it was told and never asks for the end.
 */
final class LimitedInputStream extends FilterInputStream {
    /** Runs when the bytes are all read; its exception is the read's. */
    @FunctionalInterface
    interface EndCheck {
        void check() throws IOException;
    }

    private final EndCheck atEnd;
    private long remaining;
    private boolean checked;

    LimitedInputStream(InputStream in, long limit, EndCheck atEnd) {
        super(in);
        this.remaining = limit;
        this.atEnd = requireNonNull(atEnd, "atEnd is null");
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return end(-1);
        }
        int b = super.read();
        if (b < 0) {
            return end(-1);
        }
        remaining--;
        return remaining == 0 ? end(b) : b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return end(-1);
        }
        // at most a slice per read: a channel reads a heap array through a direct buffer of its size
        int n = super.read(b, off, (int) Math.min(Math.min(len, remaining), ChannelSlices.SLICE));
        if (n < 0) {
            return end(-1);
        }
        remaining -= n;
        return remaining == 0 ? end(n) : n;
    }

    private int end(int result) throws IOException {
        if (!checked) {
            checked = true;
            atEnd.check();
        }
        return result;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(super.available(), remaining);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
