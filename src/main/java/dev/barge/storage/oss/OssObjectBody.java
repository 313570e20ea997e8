package dev.barge.storage.oss;

import static java.util.Objects.requireNonNull;

import com.aliyun.oss.model.OSSObject;
import dev.barge.storage.Crc64;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a GET. Reading a whole object checks its CRC-64 ({@link Crc64}) at the end against
 * {@code x-oss-hash-crc64ecma}, so that every reader, {@code barge cat} as well as a transfer, gets
 * checked bytes (the SDK's own CRC check is off: this is the one check of a download); a mismatch or an
 * early end is an {@link IOException} whose cause is a {@link StorageException}. A ranged read is not
 * hashed: OSS reports no checksum of a range. Closing before the end aborts the connection instead of
 * draining it.
 */
final class OssObjectBody extends InputStream {

    private final OSSObject object;
    private final InputStream in;
    private final Crc64 crc;
    private final String bucket;
    private final String key;
    private final long length;
    private final Long expectedCrc;
    private long read;
    private boolean ended;
    private boolean closed;

    /**
     * @param length how many bytes the body holds
     * @param expectedCrc the CRC-64 of the whole object when the whole object is read, else {@code null}
     */
    OssObjectBody(OSSObject object, String bucket, String key, long length, Long expectedCrc) {
        this.object = requireNonNull(object, "object is null");
        this.in = object.getObjectContent();
        this.crc = expectedCrc != null ? new Crc64() : null;
        this.bucket = bucket;
        this.key = key;
        this.length = length;
        this.expectedCrc = expectedCrc;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the object's stream is closed");
        }
        if (len == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw OssErrors.stream(Operation.GET, bucket, key, e);
        }
        if (n == -1) {
            ended = true;
            verifyEnd();
            return -1;
        }
        if (crc != null) {
            crc.update(b, off, n);
        }
        read += n;
        return n;
    }

    private void verifyEnd() throws IOException {
        if (read != length) {
            throw failure(ErrorKind.TRANSIENT, "the download ended after " + read + " of " + length + " bytes");
        }
        if (crc != null && crc.getValue() != expectedCrc) {
            throw failure(ErrorKind.CHECKSUM_MISMATCH, "CRC-64 of the bytes received ("
                    + Long.toUnsignedString(crc.getValue()) + ") differs from OSS's ("
                    + Long.toUnsignedString(expectedCrc) + ")");
        }
    }

    private IOException failure(ErrorKind kind, String detail) {
        StorageException cause = StorageException.builder(kind, Operation.GET).bucket(bucket).key(key)
                .detail(detail).requestId(object.getRequestId()).build();
        return new IOException(cause.getMessage(), cause);
    }

    @Override
    public int available() throws IOException {
        return closed || ended ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (ended || read == length) {
            object.close();
        } else {
            // draining the rest of a large object would read it all: drop the connection
            object.forcedClose();
        }
    }
}
