package dev.barge.storage.oss;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A payload's bytes as the SDK reads them for an upload. With a declared length it fails the read
 * when the payload ends early, and, before handing over the last announced byte, when the payload
 * holds more: either way the request body stays incomplete, so OSS stores nothing. With
 * {@link dev.barge.storage.Payload#UNKNOWN_LENGTH} it only counts. It never closes the payload's
 * stream: the caller owns it.
 */
final class OssPayloadStream extends FilterInputStream {

    private final long declared;
    private long remaining;
    private long count;

    OssPayloadStream(InputStream in, long declared) {
        super(requireNonNull(in, "in is null"));
        if (declared < -1) {
            throw new IllegalArgumentException("declared length must be >= 0 or unknown (-1): " + declared);
        }
        this.declared = declared;
        this.remaining = declared == -1 ? Long.MAX_VALUE : declared;
    }

    /** How many bytes have been read so far. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            checkNothingMore();
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n == -1) {
            if (declared == -1) {
                return -1;
            }
            throw new LengthMismatchException("the payload ended after " + (declared - remaining) + " bytes but "
                    + declared + " were announced");
        }
        remaining -= n;
        count += n;
        if (remaining == 0) {
            checkNothingMore();
        }
        return n;
    }

    private void checkNothingMore() throws IOException {
        if (in.read() != -1) {
            throw new LengthMismatchException("the payload holds more than the " + declared + " bytes announced");
        }
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r == -1) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), remaining);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: the SDK does not retry (retries are off), so it never needs to rewind
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    @Override
    public void close() {
        // the caller owns the payload's stream
    }

    /** The payload's length is not the length announced for it. */
    static final class LengthMismatchException extends IOException {
        private static final long serialVersionUID = 1L;

        LengthMismatchException(String message) {
            super(message);
        }
    }
}
