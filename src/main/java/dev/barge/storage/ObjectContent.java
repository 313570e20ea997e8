package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * An open read of an object: its description and a stream of the requested bytes. The caller
 * must close it; closing before the end abandons the rest of the download.
 *
 * <p>Failures while reading the stream surface as {@link java.io.IOException}s whose cause, where
 * the driver can tell, is a {@link StorageException}.
 *
 * @param info the object as it was when the read started
 * @param offset the position in the object of the first byte of {@code body}
 * @param length how many bytes {@code body} yields
 * @param body the bytes
 */
public record ObjectContent(ObjectInfo info, long offset, long length, InputStream body) implements Closeable {

    public ObjectContent {
        requireNonNull(info, "info is null");
        requireNonNull(body, "body is null");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0");
        }
    }

    /** The same read with its stream replaced, e.g. by a counting or throttling wrapper. */
    public ObjectContent withBody(InputStream newBody) {
        return new ObjectContent(info, offset, length, newBody);
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
