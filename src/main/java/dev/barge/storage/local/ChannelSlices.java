package dev.barge.storage.local;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads and writes of a heap array through a file channel, in slices of at most {@link #SLICE} bytes.
 * The JDK moves a heap array through a channel by way of a temporary direct buffer as large as the
 * array, and keeps that buffer for the thread's next read or write ({@code sun.nio.ch.Util}, unbounded
 * by default): a 16 MiB part read or written in one call left 16 MiB of native memory behind on every
 * part thread, 256 MiB at 16 part threads, outside the heap and its cap. A slice costs one system call
 * more per {@value #SLICE} bytes, which is nothing beside the copy.
 */
final class ChannelSlices {
    /** The most bytes one read or write hands a channel. */
    static final int SLICE = 256 * 1024;

    private ChannelSlices() {}

    /** {@code out} with every write cut into slices of at most {@link #SLICE} bytes; closing closes {@code out}. */
    static OutputStream slicedWrites(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, SLICE);
                    out.write(b, off, n);
                    off += n;
                    len -= n;
                }
            }
        };
    }
}
