package dev.barge.storage.qiniu;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.Response;

/**
 * The body of a download: exactly {@code length} bytes, after skipping {@code skip} (when the server
 * answered a range with the whole object). A connection that ends early or fails surfaces as an
 * {@link IOException} whose cause is a {@code TRANSIENT} {@link StorageException}. Closing releases
 * the connection.
 */
final class QiniuDownloadStream extends InputStream {
    private static final String META_PREFIX = "x-qn-meta-";

    private final Response response;
    private final InputStream body;
    private final String bucket;
    private final String key;
    private final long length;
    private long toSkip;
    private long remaining;

    QiniuDownloadStream(Response response, long skip, long length, String bucket, String key) {
        this.response = requireNonNull(response, "response is null");
        this.body = requireNonNull(response.body(), "response has no body").byteStream();
        this.toSkip = skip;
        this.length = length;
        this.remaining = length;
        this.bucket = bucket;
        this.key = key;
    }

    /** The object's content type, as the download answered it; {@code null} when it sent none. */
    String contentType() {
        return response.header("Content-Type");
    }

    /** The object's user metadata, from the download's {@code x-qn-meta-*} headers, names in lower case. */
    Map<String, String> userMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String name : response.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(META_PREFIX) && lower.length() > META_PREFIX.length()) {
                metadata.put(lower.substring(META_PREFIX.length()), response.header(name));
            }
        }
        return metadata;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        if (count == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        try {
            if (toSkip > 0) {
                body.skipNBytes(toSkip);
                toSkip = 0;
            }
            int n = body.read(buffer, offset, (int) Math.min(count, remaining));
            if (n < 0) {
                throw failure("the connection ended after " + (length - remaining) + " of " + length + " bytes", null);
            }
            remaining -= n;
            return n;
        } catch (java.io.EOFException e) {
            throw failure("the connection ended before the requested range", e);
        } catch (IOException e) {
            if (e.getCause() instanceof StorageException) {
                throw e;
            }
            throw failure("reading the download failed: " + e, e);
        }
    }

    @Override
    public int available() throws IOException {
        return toSkip > 0 ? 0 : (int) Math.min(body.available(), remaining);
    }

    @Override
    public void close() {
        response.close();
    }

    private IOException failure(String detail, Throwable cause) {
        StorageException e = StorageException.builder(ErrorKind.TRANSIENT, Operation.GET).bucket(bucket).key(key)
                .detail(detail).cause(cause).build();
        return new IOException(e.getMessage(), e);
    }
}
