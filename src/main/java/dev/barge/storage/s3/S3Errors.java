package dev.barge.storage.s3;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where failures of the AWS SDK become {@link StorageException}s: the S3 error
 * code decides when there is one, the HTTP status otherwise (a HEAD response has no body, so no
 * code), and client-side failures (connection reset, timeout) are transient. Messages carry the
 * status, the vendor's code and message and the request id, never credentials.
 */
final class S3Errors {
    /**
     * Why a call without credentials failed, in place of the SDK's account of every provider of its
     * chain (a page long): only the default chain is asked when a remote gives no keys.
     */
    static final String NO_CREDENTIALS = "the remote has no credentials: none were given and the AWS default"
            + " chain found none (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, web identity,"
            + " container or instance role); set the remote's access-key-id and secret-access-key"
            + " (BARGE_REMOTE_<NAME>_ACCESS_KEY_ID and BARGE_REMOTE_<NAME>_SECRET_ACCESS_KEY), or configure the"
            + " default chain";

    private S3Errors() {}

    /** Maps any failure of an SDK call made for {@code op} on {@code bucket}/{@code key}. */
    static StorageException map(Operation op, String bucket, String key, Throwable failure) {
        if (failure instanceof StorageException e) {
            return e;
        }
        if (failure instanceof AwsServiceException e) {
            return service(op, bucket, key, e);
        }
        if (failure instanceof IllegalArgumentException || failure instanceof NullPointerException) {
            // the SDK validates some arguments before sending (presign expiry, bucket names)
            String message = String.valueOf(failure.getMessage());
            String detail = bucket != null && message.contains("ucket name")
                    ? "the bucket name '" + bucket + "' is not valid on S3: " + message
                            + " (lower-case letters, digits, dots and hyphens)"
                    : message;
            return StorageException.builder(ErrorKind.INVALID_ARGUMENT, op).bucket(bucket).key(key)
                    .detail(detail).cause(failure).build();
        }
        return client(op, bucket, key, failure);
    }

    private static StorageException service(Operation op, String bucket, String key, AwsServiceException e) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
        String message = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
        if (code != null && code.isBlank()) {
            code = null;
        }
        ErrorKind kind = kind(op, key, status, code);
        StringBuilder detail = new StringBuilder("HTTP ").append(status);
        if (code != null) {
            detail.append(' ').append(code);
        }
        if (message != null && !message.isBlank()) {
            detail.append(": ").append(message);
        } else if (status == 404) {
            detail.append(": ").append(kind == ErrorKind.BUCKET_NOT_FOUND ? "no such bucket" : "no such object");
        }
        String hint = hint(op, kind, code);
        if (hint != null) {
            detail.append("; ").append(hint);
        }
        return StorageException.builder(kind, op).bucket(bucket).key(key).detail(detail.toString())
                .vendorCode(code).requestId(requestId(e.requestId())).cause(e).build();
    }

    /** The request id the SDK read ({@code x-amz-request-id}), or {@code null} where it says "UNKNOWN". */
    static String requestId(String sdkRequestId) {
        return sdkRequestId == null || sdkRequestId.isBlank() || sdkRequestId.equals("UNKNOWN") ? null : sdkRequestId;
    }

    /**
     * The kind of an S3 error, from its code when there is one and its HTTP status otherwise.
     * Also used for the per-key errors of a batch delete, which carry a code and no status (0).
     */
    static ErrorKind kind(Operation op, String key, int status, String code) {
        if (code != null) {
            ErrorKind byCode = byCode(op, code);
            if (byCode != null) {
                return byCode;
            }
        }
        return byStatus(op, key, status);
    }

    private static ErrorKind byCode(Operation op, String code) {
        switch (code) {
            case "NoSuchKey", "NoSuchUpload", "NoSuchVersion":
                return ErrorKind.NOT_FOUND;
            case "NoSuchBucket":
                return ErrorKind.BUCKET_NOT_FOUND;
            case "AccessDenied", "AllAccessDisabled", "AccountProblem", "InvalidPayer", "InvalidSecurity":
                return ErrorKind.ACCESS_DENIED;
            case "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
                    "RequestTimeTooSkewed", "AuthorizationHeaderMalformed", "MissingSecurityHeader", "Unauthorized":
                return ErrorKind.INVALID_CREDENTIALS;
            case "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
                    "TooManyRequestsException", "RequestThrottled", "ServiceUnavailable":
                return ErrorKind.THROTTLED;
            case "InternalError", "RequestTimeout", "OperationAborted", "IncompleteBody":
                return ErrorKind.TRANSIENT;
            case "BadDigest", "XAmzContentSHA256Mismatch", "XAmzContentChecksumMismatch", "InvalidChecksum":
                return ErrorKind.CHECKSUM_MISMATCH;
            case "InvalidObjectState":
                // on a read or a copy the object is archived; on a restore it is not archived at all
                return op == Operation.RESTORE ? ErrorKind.INVALID_ARGUMENT : ErrorKind.ARCHIVED;
            case "PreconditionFailed":
                return ErrorKind.PRECONDITION_FAILED;
            case "BucketAlreadyExists", "BucketAlreadyOwnedByYou", "BucketNotEmpty", "RestoreAlreadyInProgress",
                    "ConditionalRequestConflict", "InvalidBucketState":
                return ErrorKind.CONFLICT;
            case "InvalidRange", "EntityTooSmall", "EntityTooLarge", "InvalidPart", "InvalidPartOrder",
                    "InvalidArgument", "InvalidRequest", "InvalidBucketName", "KeyTooLongError", "MalformedXML",
                    "InvalidStorageClass", "InvalidDigest", "InvalidLocationConstraint",
                    "IllegalLocationConstraintException", "PermanentRedirect", "InvalidURI", "MetadataTooLarge",
                    "MaxMessageLengthExceeded", "InvalidTargetBucketForLogging", "TooManyParts":
                return ErrorKind.INVALID_ARGUMENT;
            case "NotImplemented":
                return ErrorKind.UNSUPPORTED;
            default:
                return null;
        }
    }

    private static ErrorKind byStatus(Operation op, String key, int status) {
        switch (status) {
            case 400:
            case 405:
            case 411:
            case 413:
            case 414:
            case 416:
                return ErrorKind.INVALID_ARGUMENT;
            case 401:
                return ErrorKind.INVALID_CREDENTIALS;
            case 403:
                // a HEAD's 403 has no code: a wrong secret and a missing permission look the same
                return ErrorKind.ACCESS_DENIED;
            case 404:
                // without a code (a HEAD): an object call means the key; bucket calls the bucket
                return key == null || op == Operation.LIST ? ErrorKind.BUCKET_NOT_FOUND : ErrorKind.NOT_FOUND;
            case 408:
                return ErrorKind.TRANSIENT;
            case 409:
                return ErrorKind.CONFLICT;
            case 412:
                return ErrorKind.PRECONDITION_FAILED;
            case 429:
            case 503:
                return ErrorKind.THROTTLED;
            case 501:
                return ErrorKind.UNSUPPORTED;
            default:
                return status >= 500 ? ErrorKind.TRANSIENT : ErrorKind.PERMANENT;
        }
    }

    private static String hint(Operation op, ErrorKind kind, String code) {
        if ("PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)
                || "IllegalLocationConstraintException".equals(code)) {
            return "the bucket is in another region or needs another endpoint: check the remote's region and endpoint";
        }
        if ("RequestTimeTooSkewed".equals(code)) {
            return "this machine's clock is off: fix it (NTP) and try again";
        }
        if (kind == ErrorKind.INVALID_CREDENTIALS) {
            return "check the remote's access-key-id, secret-access-key and session-token";
        }
        if (kind == ErrorKind.ARCHIVED) {
            return "the object is archived: restore it first";
        }
        if (kind == ErrorKind.INVALID_ARGUMENT && op == Operation.RESTORE && "InvalidObjectState".equals(code)) {
            return "the object is not in an archive storage class, so there is nothing to restore";
        }
        return null;
    }

    private static StorageException client(Operation op, String bucket, String key, Throwable failure) {
        ErrorKind kind = clientKind(failure);
        String detail = kind == ErrorKind.INVALID_CREDENTIALS ? NO_CREDENTIALS
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return StorageException.builder(kind, op).bucket(bucket).key(key).detail(detail).cause(failure).build();
    }

    private static ErrorKind clientKind(Throwable failure) {
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return ErrorKind.TRANSIENT;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException || t instanceof SSLPeerUnverifiedException
                    || t instanceof CertificateException) {
                return ErrorKind.PERMANENT; // a certificate that does not verify will not start to
            }
            if (t instanceof IOException || t instanceof UncheckedIOException
                    || t instanceof javax.xml.stream.XMLStreamException) {
                return ErrorKind.TRANSIENT; // a connection that broke, or an answer damaged on the way
            }
            if (t.getCause() == t) {
                break;
            }
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (failure instanceof SdkException) {
            if (message.contains("unable to load credentials") || message.contains("unable to load region")) {
                return message.contains("credentials") ? ErrorKind.INVALID_CREDENTIALS : ErrorKind.INVALID_ARGUMENT;
            }
            if (message.contains("could not parse xml response") || message.contains("unable to unmarshall")) {
                return ErrorKind.TRANSIENT; // an answer cut short or damaged on the way: sending again may help
            }
            if (message.contains("checksum")) {
                return ErrorKind.CHECKSUM_MISMATCH; // the SDK's own response checksum validation
            }
        }
        return ErrorKind.PERMANENT;
    }
}
