package dev.barge.storage.qiniu;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * A part's bytes streamed from the payload: exactly {@code length} of them, hashed on the way, sent
 * once. A payload shorter or longer than announced fails the part with INVALID_ARGUMENT; a payload
 * whose stream fails fails it with that stream's failure.
 *
 * <p>When the body fails half-sent, its call is cancelled, which closes the connection: OkHttp 3 would
 * otherwise return it to the pool, and the next request on it would finish this body.
 */
final class QiniuPartBody extends RequestBody {
    private static final MediaType OCTET_STREAM = MediaType.get(QiniuUploads.OCTET_STREAM);
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final long length;
    private final MessageDigest md5;
    private final String bucket;
    private final String key;
    private volatile Call call;

    QiniuPartBody(InputStream in, long length, MessageDigest md5, String bucket, String key) {
        this.in = requireNonNull(in, "in is null");
        this.length = length;
        this.md5 = requireNonNull(md5, "md5 is null");
        this.bucket = bucket;
        this.key = key;
    }

    /** The call sending this body, cancelled if the body fails. */
    void attach(Call sending) {
        this.call = sending;
    }

    @Override
    public MediaType contentType() {
        return OCTET_STREAM;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public boolean isOneShot() {
        return true;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        try {
            byte[] buffer = new byte[BUFFER];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw invalid("the payload ended after " + (length - left) + " of the " + length
                            + " bytes announced");
                }
                md5.update(buffer, 0, n);
                sink.write(buffer, 0, n);
                left -= n;
            }
            if (in.read() != -1) {
                throw invalid("the payload holds more than the " + length + " bytes announced");
            }
        } catch (IOException | RuntimeException e) {
            Call sending = call;
            if (sending != null) {
                sending.cancel();
            }
            throw e;
        }
    }

    private IOException invalid(String detail) {
        return new QiniuUploads.PayloadException(
                StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, bucket, key, detail));
    }
}
