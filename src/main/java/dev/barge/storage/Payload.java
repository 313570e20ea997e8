package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bytes of a write. A payload is either <em>replayable</em> (bytes in memory, a file), so
 * a failed write may be sent again, or a one-shot stream that can be read only once, which no
 * layer will retry.
 */
public interface Payload {

    /** Length in bytes, or {@value #UNKNOWN_LENGTH} when not known in advance. */
    long length();

    /** Whether {@link #open()} may be called more than once, each time from the first byte. */
    boolean isReplayable();

    /**
     * Opens the bytes from the start. A one-shot payload throws {@link IllegalStateException}
     * when opened a second time.
     */
    InputStream open() throws IOException;

    long UNKNOWN_LENGTH = -1;

    default boolean hasKnownLength() {
        return length() != UNKNOWN_LENGTH;
    }

    /** A replayable payload over an array; the array must not change while in use. */
    static Payload ofBytes(byte[] bytes) {
        return ofBytes(bytes, 0, bytes.length);
    }

    /** A replayable payload over a slice of an array; the array must not change while in use. */
    static Payload ofBytes(byte[] bytes, int offset, int length) {
        requireNonNull(bytes, "bytes is null");
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + bytes.length + " bytes");
        }
        return new Payload() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public boolean isReplayable() {
                return true;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes, offset, length);
            }
        };
    }

    /** A replayable payload over a file; the file must not change while in use. */
    static Payload ofFile(Path file) throws IOException {
        requireNonNull(file, "file is null");
        long size = Files.size(file);
        return new Payload() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public boolean isReplayable() {
                return true;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }

    /**
     * A one-shot payload over a stream of {@code length} bytes, or of unknown length with
     * {@link #UNKNOWN_LENGTH}. The store reads it but does not close it.
     */
    static Payload ofStream(InputStream stream, long length) {
        requireNonNull(stream, "stream is null");
        if (length < UNKNOWN_LENGTH) {
            throw new IllegalArgumentException("length must be >= 0 or UNKNOWN_LENGTH: " + length);
        }
        AtomicBoolean opened = new AtomicBoolean();
        return new Payload() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public boolean isReplayable() {
                return false;
            }

            @Override
            public InputStream open() {
                if (!opened.compareAndSet(false, true)) {
                    throw new IllegalStateException("a stream payload can be read only once");
                }
                return new FilterInputStream(stream) {
                    @Override
                    public void close() {
                        // the caller owns the stream
                    }
                };
            }
        };
    }
}
