package dev.barge.storage.oss;

import com.aliyun.oss.ClientErrorCode;
import com.aliyun.oss.ClientException;
import com.aliyun.oss.InconsistentException;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.auth.InvalidCredentialsException;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where {@code aliyun-sdk-oss} failures become {@link StorageException}s: OSS error
 * codes (the SDK does not expose the HTTP status) and client-side failures onto {@link ErrorKind}s.
 * Messages carry OSS's short error message, never the raw response or a secret.
 */
final class OssErrors {

    /** OSS's "slow down" answers: 503 ServerBusy and the QPS and bandwidth limits, 429 QpsLimitExceeded. */
    private static final Set<String> THROTTLING = Set.of(
            "ServerBusy", "ServiceUnavailable", "QpsLimitExceeded", "TotalQpsLimitExceeded",
            "MetaOperationQpsLimitExceeded", "PartitionQpsLimitted", "DownloadTrafficRateLimitExceeded",
            "UploadTrafficRateLimitExceeded", "ActiveRequestLimitExceeded", "CpuLimitExceeded", "SlowDown",
            "TooManyRequests");

    private static final Map<String, ErrorKind> KINDS = Map.ofEntries(
            Map.entry("NoSuchKey", ErrorKind.NOT_FOUND),
            Map.entry("NoSuchUpload", ErrorKind.NOT_FOUND),
            Map.entry("SymlinkTargetNotExist", ErrorKind.NOT_FOUND),
            Map.entry("NoSuchBucket", ErrorKind.BUCKET_NOT_FOUND),
            Map.entry("AccessDenied", ErrorKind.ACCESS_DENIED),
            Map.entry("AccessForbidden", ErrorKind.ACCESS_DENIED),
            Map.entry("UserDisable", ErrorKind.ACCESS_DENIED),
            Map.entry("InvalidAccessKeyId", ErrorKind.INVALID_CREDENTIALS),
            Map.entry("SignatureDoesNotMatch", ErrorKind.INVALID_CREDENTIALS),
            Map.entry("SecurityTokenExpired", ErrorKind.INVALID_CREDENTIALS),
            Map.entry("InvalidSecurityToken", ErrorKind.INVALID_CREDENTIALS),
            // signatures are refused until the clock is right: the user's to fix, as S3's
            Map.entry("RequestTimeTooSkewed", ErrorKind.INVALID_CREDENTIALS),
            Map.entry("BucketAlreadyExists", ErrorKind.CONFLICT),
            Map.entry("BucketNotEmpty", ErrorKind.CONFLICT),
            Map.entry("PositionNotEqualToLength", ErrorKind.CONFLICT),
            Map.entry("ObjectNotAppendable", ErrorKind.CONFLICT),
            Map.entry("FileAlreadyExists", ErrorKind.CONFLICT),
            Map.entry("ObjectAlreadyExists", ErrorKind.CONFLICT),
            Map.entry("RestoreAlreadyInProgress", ErrorKind.CONFLICT),
            Map.entry("FileImmutable", ErrorKind.CONFLICT),
            Map.entry("PreconditionFailed", ErrorKind.PRECONDITION_FAILED),
            Map.entry("NotModified", ErrorKind.PRECONDITION_FAILED),
            Map.entry("InvalidRange", ErrorKind.INVALID_ARGUMENT),
            Map.entry("InvalidArgument", ErrorKind.INVALID_ARGUMENT),
            Map.entry("InvalidBucketName", ErrorKind.INVALID_ARGUMENT),
            Map.entry("InvalidObjectName", ErrorKind.INVALID_ARGUMENT),
            Map.entry("KeyTooLong", ErrorKind.INVALID_ARGUMENT),
            Map.entry("EntityTooSmall", ErrorKind.INVALID_ARGUMENT),
            Map.entry("EntityTooLarge", ErrorKind.INVALID_ARGUMENT),
            Map.entry("InvalidPart", ErrorKind.INVALID_ARGUMENT),
            Map.entry("InvalidPartOrder", ErrorKind.INVALID_ARGUMENT),
            Map.entry("MalformedXML", ErrorKind.INVALID_ARGUMENT),
            Map.entry("MissingArgument", ErrorKind.INVALID_ARGUMENT),
            Map.entry("MissingContentLength", ErrorKind.INVALID_ARGUMENT),
            Map.entry("InvalidTargetType", ErrorKind.INVALID_ARGUMENT),
            Map.entry("OperationNotSupported", ErrorKind.INVALID_ARGUMENT),
            Map.entry("TooManyBuckets", ErrorKind.INVALID_ARGUMENT),
            Map.entry("InvalidObjectState", ErrorKind.ARCHIVED),
            Map.entry("InvalidDigest", ErrorKind.CHECKSUM_MISMATCH),
            Map.entry("BadDigest", ErrorKind.CHECKSUM_MISMATCH),
            Map.entry("InternalError", ErrorKind.TRANSIENT),
            Map.entry("RequestTimeout", ErrorKind.TRANSIENT),
            Map.entry("GatewayTimeout", ErrorKind.TRANSIENT),
            Map.entry("BadGateway", ErrorKind.TRANSIENT),
            Map.entry("InvalidResponse", ErrorKind.TRANSIENT));

    /** What to say beyond OSS's own message, for codes whose fix is not obvious. */
    private static final Map<String, String> HINTS = Map.of(
            "SignatureDoesNotMatch", "check the access key secret, and the region when signing with v4",
            "InvalidAccessKeyId", "OSS does not know this access key id",
            "SecurityTokenExpired", "the STS session token has expired; get a new one",
            "RequestTimeTooSkewed", "this machine's clock is too far from OSS's; synchronise it",
            "InvalidObjectState", "the object is archived: restore it first",
            "BucketNotEmpty", "delete its objects (and unfinished multipart uploads) first",
            "EntityTooLarge", "the object is larger than this store takes; choose a target that takes objects this"
                    + " large");

    private static final Pattern NO_BODY_STATUS = Pattern.compile("http status code (\\d{3})");

    /** The longest key OSS takes, in UTF-8 bytes. */
    private static final int MAX_KEY_BYTES = 1023;

    private OssErrors() {}

    /** The failure of one SDK call, as a {@link StorageException}. */
    static StorageException map(Operation op, String bucket, String key, RuntimeException e) {
        if (e instanceof StorageException se) {
            return se;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageException se) {
                return se;
            }
            if (t instanceof OssPayloadStream.LengthMismatchException mismatch) {
                return StorageException.invalidArgument(op, bucket, key, mismatch.getMessage() + "; nothing was written");
            }
            if (t instanceof InvalidCredentialsException) {
                return StorageException.builder(ErrorKind.INVALID_CREDENTIALS, op).bucket(bucket).key(key)
                        .detail("no usable credentials: configure the remote's credentials or set OSS_ACCESS_KEY_ID "
                                + "and OSS_ACCESS_KEY_SECRET (and OSS_SESSION_TOKEN for STS)")
                        .cause(e).build();
            }
        }
        if (e instanceof OSSException oss) {
            return fromService(op, bucket, key, oss);
        }
        if (e instanceof InconsistentException crc) {
            return StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, op).bucket(bucket).key(key)
                    .detail("CRC-64 of the bytes sent (" + unsigned(crc.getClientChecksum()) + ") differs from what OSS "
                            + "stored (" + unsigned(crc.getServerChecksum()) + ")")
                    .requestId(crc.getRequestId()).cause(e).build();
        }
        if (e instanceof ClientException client) {
            return fromClient(op, bucket, key, client);
        }
        if (e instanceof IllegalArgumentException) {
            // the SDK's own checks of bucket names and keys, before anything is sent
            int keyBytes = key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length;
            String detail = keyBytes > MAX_KEY_BYTES
                    ? "the key '" + key.substring(0, 40) + "...' is " + keyBytes + " UTF-8 bytes, more than the "
                            + MAX_KEY_BYTES + " OSS takes: shorten it"
                    : e.getMessage();
            return StorageException.builder(ErrorKind.INVALID_ARGUMENT, op).bucket(bucket).key(key)
                    .detail(detail).cause(e).build();
        }
        return StorageException.builder(ErrorKind.PERMANENT, op).bucket(bucket).key(key)
                .detail(e.getClass().getSimpleName() + ": " + e.getMessage()).cause(e).build();
    }

    /** Reading the payload of a write failed (Barge's side of the upload, not OSS). */
    static StorageException payload(Operation op, String bucket, String key, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageException se) {
                return se;
            }
            if (t instanceof OssPayloadStream.LengthMismatchException mismatch) {
                return StorageException.invalidArgument(op, bucket, key, mismatch.getMessage() + "; nothing was written");
            }
        }
        return StorageException.builder(ErrorKind.TRANSIENT, op).bucket(bucket).key(key)
                .detail("reading the payload failed: " + e.getClass().getSimpleName() + ": " + e.getMessage())
                .cause(e).build();
    }

    /** A failure while reading a download's body, as the {@link IOException} callers of the stream see. */
    static IOException stream(Operation op, String bucket, String key, IOException e) {
        StorageException cause = StorageException.builder(ErrorKind.TRANSIENT, op).bucket(bucket).key(key)
                .detail("reading the object failed: " + e.getClass().getSimpleName() + ": " + e.getMessage())
                .cause(e).build();
        return new IOException(cause.getMessage(), cause);
    }

    private static StorageException fromService(Operation op, String bucket, String key, OSSException e) {
        String code = e.getErrorCode();
        ErrorKind kind = kindOf(code, e.getErrorMessage());
        String message = e.getErrorMessage() != null ? e.getErrorMessage() : code;
        String hint = HINTS.get(code);
        return StorageException.builder(kind, op).bucket(bucket).key(key)
                .detail(hint == null ? message : message + ": " + hint)
                .vendorCode(code).requestId(e.getRequestId()).cause(e).build();
    }

    static ErrorKind kindOf(String code, String message) {
        if (code == null) {
            return ErrorKind.PERMANENT;
        }
        if (THROTTLING.contains(code) || code.endsWith("LimitExceeded")) {
            return ErrorKind.THROTTLED;
        }
        ErrorKind kind = KINDS.get(code);
        if (kind != null) {
            return kind;
        }
        // a response without a body (HEAD) and without x-oss-err: the SDK keeps only the status
        Matcher status = NO_BODY_STATUS.matcher(message == null ? "" : message);
        if (status.find()) {
            int http = Integer.parseInt(status.group(1));
            if (http == 429 || http == 503) {
                return ErrorKind.THROTTLED;
            }
            if (http >= 500) {
                return ErrorKind.TRANSIENT;
            }
            if (http == 403) {
                return ErrorKind.ACCESS_DENIED;
            }
        }
        return ErrorKind.PERMANENT;
    }

    private static StorageException fromClient(Operation op, String bucket, String key, ClientException e) {
        String code = e.getErrorCode();
        ErrorKind kind;
        if (ClientErrorCode.UNKNOWN_HOST.equals(code) || ClientErrorCode.SSL_EXCEPTION.equals(code)
                || ClientErrorCode.NONREPEATABLE_REQUEST.equals(code)) {
            kind = ErrorKind.PERMANENT;
        } else if (ClientErrorCode.CONNECTION_TIMEOUT.equals(code) || ClientErrorCode.SOCKET_TIMEOUT.equals(code)
                || ClientErrorCode.SOCKET_EXCEPTION.equals(code) || ClientErrorCode.CONNECTION_REFUSED.equals(code)
                || ClientErrorCode.INPUTSTREAM_READING_ABORTED.equals(code) || "RequestTimeout".equals(code)
                || hasIoCause(e)) {
            kind = ErrorKind.TRANSIENT;
        } else {
            kind = ErrorKind.PERMANENT;
        }
        String message = e.getErrorMessage() != null ? e.getErrorMessage() : String.valueOf(e.getCause());
        return StorageException.builder(kind, op).bucket(bucket).key(key)
                .detail("request failed before OSS answered: " + message)
                .vendorCode(code).requestId(e.getRequestId()).cause(e).build();
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String unsigned(Long value) {
        return value == null ? "none" : Long.toUnsignedString(value);
    }
}
