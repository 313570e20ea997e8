package dev.barge.storage.qiniu;

import com.qiniu.common.QiniuException;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.util.Locale;

/**
 * The one place where Kodo's answers become {@link StorageException}s. Kodo puts its own codes on the
 * HTTP status line (612 no such file, 614 exists, 631 no such bucket, 573 too many requests, 298 partial
 * batch...) with a JSON body {@code {"error": "..."}} and an {@code X-Reqid} header; the same mapping
 * serves the SDK's {@link QiniuException}s and the driver's own OkHttp calls.
 */
final class QiniuErrors {

    private QiniuErrors() {}

    /** A failure reported by the SDK for a request sent to {@code host}. */
    static StorageException of(Operation op, String bucket, String key, QiniuException e, QiniuHosts.Host host) {
        if (e.response == null) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                return io(op, bucket, key, io, host);
            }
            return StorageException.builder(ErrorKind.PERMANENT, op).bucket(bucket).key(key)
                    .detail("the Qiniu SDK refused the request: " + e.getMessage()).cause(e).build();
        }
        if (e.code() >= 200 && e.code() < 300) {
            // an answer that began as a success and broke off, or could not be read: damaged in transit
            return unreadableAnswer(op, bucket, key, e, host);
        }
        return status(op, bucket, key, e.code(), e.error(), e.response.reqId, e);
    }

    /**
     * An answer from {@code host} that began as a success but could not be read whole (its body cut
     * off, reset, or not the JSON it should be): damaged on the way, so worth sending again.
     */
    static StorageException unreadableAnswer(Operation op, String bucket, String key, Exception e,
            QiniuHosts.Host host) {
        String reqId = e instanceof QiniuException q && q.response != null ? q.response.reqId : null;
        String what = e instanceof QiniuException q && q.response != null && q.response.error != null
                ? q.response.error : e.getClass().getSimpleName() + ": " + e.getMessage();
        return StorageException.builder(ErrorKind.TRANSIENT, op).bucket(bucket).key(key).host(host.host())
                .detail("Kodo at " + host.host() + " (" + host.role() + ") answered, but its answer could not be read"
                        + " whole: " + what)
                .requestId(reqId == null || reqId.isEmpty() ? null : reqId).cause(e).build();
    }

    /** An error answer: Kodo's status code, its {@code error} text and its request id. */
    static StorageException status(Operation op, String bucket, String key, int status, String error, String reqId,
            Throwable cause) {
        String text = error == null || error.isBlank() ? "no error text" : error.strip();
        ErrorKind kind = kindOf(status, text);
        return StorageException.builder(kind, op).bucket(bucket).key(key)
                .detail(describe(status, text, kind))
                .vendorCode(Integer.toString(status))
                .requestId(reqId == null || reqId.isEmpty() ? null : reqId)
                .cause(cause)
                .build();
    }

    /** A failure reading the data to send, or another local stream: no request failed. */
    static StorageException io(Operation op, String bucket, String key, IOException e) {
        if (e.getCause() instanceof StorageException source) {
            return StorageException.builder(source.kind(), op).bucket(bucket).key(key)
                    .detail("reading the data to send failed: " + source.detail()).cause(e).build();
        }
        return StorageException.builder(ErrorKind.TRANSIENT, op).bucket(bucket).key(key)
                .detail(e.getClass().getSimpleName() + ": " + e.getMessage()).cause(e).build();
    }

    /**
     * A failure without an answer from {@code host}: connection refused or reset, timeout, unknown host.
     * The message names the host as the remote knows it (the exception may show only an IP address and
     * port) and what to check.
     */
    static StorageException io(Operation op, String bucket, String key, IOException e, QiniuHosts.Host host) {
        if (e.getCause() instanceof StorageException) {
            // the payload's own stream failed (e.g. the download feeding this upload): keep its kind
            return io(op, bucket, key, e);
        }
        // the SDK wraps OkHttp's exception in another IOException: name the one that says what happened
        Throwable failure = e;
        while (failure.getCause() instanceof IOException inner && failure.getCause() != failure) {
            failure = inner;
        }
        return StorageException.builder(ErrorKind.TRANSIENT, op).bucket(bucket).key(key).host(host.host())
                .detail("Kodo at " + host.host() + " (" + host.role() + ") did not answer: "
                        + failure.getClass().getSimpleName() + ": " + failure.getMessage() + "; " + host.check())
                .cause(e).build();
    }

    static ErrorKind kindOf(int status, String error) {
        String text = error.toLowerCase(Locale.ROOT);
        return switch (status) {
            case 612, 404 -> ErrorKind.NOT_FOUND;
            case 631 -> ErrorKind.BUCKET_NOT_FOUND;
            case 614 -> ErrorKind.CONFLICT;
            case 401 -> ErrorKind.INVALID_CREDENTIALS;
            case 403 -> {
                if (text.contains("archive") || text.contains("restore") || text.contains("frozen")) {
                    yield ErrorKind.ARCHIVED;
                }
                yield text.contains("not empty") ? ErrorKind.CONFLICT : ErrorKind.ACCESS_DENIED;
            }
            case 573, 429 -> ErrorKind.THROTTLED;
            case 400, 413, 416, 640 -> ErrorKind.INVALID_ARGUMENT;
            // 406: the CRC32 of a form upload did not match the bytes that arrived
            case 406 -> ErrorKind.CHECKSUM_MISMATCH;
            // 608: the file changed under a conditional operation
            case 608 -> ErrorKind.PRECONDITION_FAILED;
            // 579: the upload was stored but its callback failed (the driver sets no callbacks)
            case 579 -> ErrorKind.PERMANENT;
            default -> status >= 500 && status < 600 ? ErrorKind.TRANSIENT : ErrorKind.PERMANENT;
        };
    }

    private static String describe(int status, String error, ErrorKind kind) {
        String hint = switch (kind) {
            case INVALID_CREDENTIALS -> "; check the remote's access key and secret key (an expired token can also"
                    + " mean this machine's clock is wrong)";
            case BUCKET_NOT_FOUND -> "; no such bucket";
            case ARCHIVED -> "; restore the object first";
            case THROTTLED -> "; Kodo asks to slow down";
            default -> "";
        };
        return "Kodo answered " + status + " \"" + error + "\"" + hint;
    }
}
