package dev.barge.storage.s3;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The body of a GET: yields exactly {@code length} bytes, turns read failures into
 * {@link IOException}s caused by a {@link StorageException}, reports a body that ends early, and
 * on a close before the end aborts the connection instead of draining the rest of the object.
 */
final class S3ObjectInputStream extends InputStream {
    private final ResponseInputStream<?> in;
    private final String bucket;
    private final String key;
    private final long length;
    private long position;
    private boolean closed;

    S3ObjectInputStream(ResponseInputStream<?> in, String bucket, String key, long length) {
        this.in = in;
        this.bucket = bucket;
        this.key = key;
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        if (position >= length) {
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, length - position));
        } catch (IOException | RuntimeException e) {
            throw failure(S3Errors.map(Operation.GET, bucket, key, e));
        }
        if (n < 0) {
            throw failure(StorageException.builder(ErrorKind.TRANSIENT, Operation.GET).bucket(bucket).key(key)
                    .detail("the response ended after " + position + " of " + length + " bytes").build());
        }
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return closed ? 0 : (int) Math.min(in.available(), length - position);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (position < length) {
            in.abort(); // the rest is not wanted: drop the connection rather than read it to the end
        }
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            // closing after an abort may complain; nothing of the caller's is lost
        }
    }

    private static IOException failure(StorageException cause) {
        return new IOException(cause.getMessage(), cause);
    }
}
