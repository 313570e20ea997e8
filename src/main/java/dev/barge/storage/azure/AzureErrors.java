package dev.barge.storage.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.storage.blob.models.BlobStorageException;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The one place where failures of the Azure SDK become {@link StorageException}s. The service's
 * error code ({@code x-ms-error-code}, sent on HEAD responses too) decides; the HTTP status where
 * there is none; client-side failures (connection reset, timeout) are transient. Messages carry the
 * status, code, the service's message and request id, never keys, SAS tokens or signatures.
 */
final class AzureErrors {
    private final String host;

    /** @param host the endpoint's {@code host[:port]}, named in failures that got no answer */
    AzureErrors(String host) {
        this.host = host;
    }

    StorageException map(Operation op, String bucket, String key, Throwable failure) {
        if (failure instanceof StorageException e) {
            return e;
        }
        if (failure instanceof BlobStorageException e) {
            String code = e.getErrorCode() == null ? null : e.getErrorCode().toString();
            return service(op, bucket, key, e.getStatusCode(), code, serviceMessage(e), requestId(e), e);
        }
        if (failure instanceof HttpResponseException e && e.getResponse() != null) {
            String code = e.getResponse().getHeaderValue("x-ms-error-code");
            return service(op, bucket, key, e.getResponse().getStatusCode(), code, null, requestId(e), e);
        }
        return client(op, bucket, key, failure);
    }

    /** The service's own {@code <Message>}, not the SDK's advice on logging the string to sign. */
    private static String serviceMessage(BlobStorageException e) {
        String text = e.getMessage();
        int start = text == null ? -1 : text.indexOf("<Message>");
        int end = start < 0 ? -1 : text.indexOf("</Message>", start);
        if (end > start) {
            return text.substring(start + "<Message>".length(), end);
        }
        String message = e.getServiceMessage();
        return message != null && message.startsWith("If you are using a StorageSharedKeyCredential") ? null : message;
    }

    private static String requestId(HttpResponseException e) {
        return e.getResponse() == null ? null : e.getResponse().getHeaderValue("x-ms-request-id");
    }

    static StorageException service(Operation op, String bucket, String key, int status, String code,
            String serviceMessage, String requestId, Throwable cause) {
        if (code != null && code.isBlank()) {
            code = null;
        }
        ErrorKind kind = kind(op, key, status, code);
        if ("InvalidOperation".equals(code) && serviceMessage != null && serviceMessage.contains("MD5 doesn't match")) {
            // Azurite's answer to a Put Blob whose Content-MD5 is wrong; the service says Md5Mismatch
            kind = ErrorKind.CHECKSUM_MISMATCH;
        }
        if ("AuthorizationFailure".equals(code) && serviceMessage != null
                && serviceMessage.contains("failed to authenticate")) {
            // Azurite's answer to a wrong signature; the service says AuthenticationFailed
            kind = ErrorKind.INVALID_CREDENTIALS;
        }
        StringBuilder detail = new StringBuilder("HTTP ").append(status);
        if (code != null) {
            detail.append(' ').append(code);
        }
        String message = firstLine(serviceMessage);
        if (message != null) {
            detail.append(": ").append(message);
        }
        String hint = hint(op, kind, code);
        if (hint != null) {
            detail.append("; ").append(hint);
        }
        return StorageException.builder(kind, op).bucket(bucket).key(key).detail(detail.toString())
                .vendorCode(code).requestId(requestId).cause(cause).build();
    }

    /** The service's message without the RequestId and Time lines it appends. */
    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        String first = message.strip().split("\\R", 2)[0].strip();
        return first.isEmpty() ? null : first;
    }

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
            case "BlobNotFound", "CannotVerifyCopySource":
                return ErrorKind.NOT_FOUND;
            case "InvalidBlockList":
                return ErrorKind.INVALID_ARGUMENT;
            case "ContainerNotFound", "ContainerBeingDeleted":
                if (code.equals("ContainerBeingDeleted") && op == Operation.CREATE_BUCKET) {
                    return ErrorKind.CONFLICT;
                }
                return ErrorKind.BUCKET_NOT_FOUND;
            case "AuthenticationFailed", "InvalidAuthenticationInfo", "NoAuthenticationInformation":
                return ErrorKind.INVALID_CREDENTIALS;
            case "AuthorizationFailure", "AuthorizationPermissionMismatch", "AuthorizationResourceTypeMismatch",
                    "AuthorizationSourceIPMismatch", "AuthorizationProtocolMismatch", "AuthorizationServiceMismatch",
                    "InsufficientAccountPermissions", "AccountIsDisabled", "KeyBasedAuthenticationNotPermitted":
                return ErrorKind.ACCESS_DENIED;
            case "ServerBusy", "IngressOverAccountLimit", "EgressOverAccountLimit", "TpsOverAccountLimit":
                return ErrorKind.THROTTLED;
            case "InternalError", "OperationTimedOut":
                return ErrorKind.TRANSIENT;
            case "Md5Mismatch", "Crc64Mismatch":
                return ErrorKind.CHECKSUM_MISMATCH;
            case "BlobArchived", "BlobBeingRehydrated":
                return ErrorKind.ARCHIVED;
            case "ConditionNotMet", "SourceConditionNotMet", "TargetConditionNotMet":
                return ErrorKind.PRECONDITION_FAILED;
            case "AppendPositionConditionNotMet", "MaxBlobSizeConditionNotMet", "InvalidBlobType",
                    "ContainerAlreadyExists", "BlobAlreadyExists", "LeaseIdMissing", "LeaseAlreadyPresent",
                    "LeaseIdMismatchWithBlobOperation", "BlockCountExceedsLimit", "PendingCopyOperation",
                    "ContainerDisabled", "SnapshotsPresent":
                return ErrorKind.CONFLICT;
            case "InvalidRange", "InvalidResourceName", "InvalidMetadata", "InvalidHeaderValue",
                    "InvalidQueryParameterValue", "OutOfRangeInput", "OutOfRangeQueryParameterValue",
                    "RequestBodyTooLarge", "InvalidInput", "InvalidUri", "MissingRequiredHeader",
                    "MissingRequiredQueryParameter", "InvalidBlobTier", "InvalidBlockId", "InvalidBlobOrBlock",
                    "InvalidMd5", "MetadataTooLarge", "InvalidHttpVerb", "InvalidXmlDocument", "Md5MismatchHeader":
                return ErrorKind.INVALID_ARGUMENT;
            case "NotImplemented", "UnsupportedHeader", "UnsupportedQueryParameter", "FeatureVersionMismatch":
                return ErrorKind.UNSUPPORTED;
            default:
                return null;
        }
    }

    private static ErrorKind byStatus(Operation op, String key, int status) {
        return switch (status) {
            case 400, 405, 411, 413, 414, 416 -> ErrorKind.INVALID_ARGUMENT;
            case 401 -> ErrorKind.INVALID_CREDENTIALS;
            case 403 -> ErrorKind.ACCESS_DENIED;
            case 404 -> key == null || op == Operation.LIST ? ErrorKind.BUCKET_NOT_FOUND : ErrorKind.NOT_FOUND;
            case 408 -> ErrorKind.TRANSIENT;
            case 409 -> ErrorKind.CONFLICT;
            case 412 -> ErrorKind.PRECONDITION_FAILED;
            case 429, 503 -> ErrorKind.THROTTLED;
            case 501 -> ErrorKind.UNSUPPORTED;
            default -> status >= 500 ? ErrorKind.TRANSIENT : ErrorKind.PERMANENT;
        };
    }

    private static String hint(Operation op, ErrorKind kind, String code) {
        if (kind == ErrorKind.INVALID_CREDENTIALS) {
            return "check the remote's access-key-id (the storage account name) and secret-access-key (an account"
                    + " key, SAS token or connection string), and that this machine's clock is right";
        }
        if (kind == ErrorKind.ACCESS_DENIED) {
            return "the credentials may not do this: a SAS token needs the permissions and resource types of the"
                    + " operation (e.g. sp=rwdlac, srt=sco)";
        }
        if (kind == ErrorKind.ARCHIVED) {
            return "the blob is in the Archive tier: restore (rehydrate) it first";
        }
        if ("ContainerBeingDeleted".equals(code)) {
            return "Azure takes a while to delete a container; try again in a minute";
        }
        if ("InvalidMetadata".equals(code)) {
            return "Azure metadata values must be ASCII";
        }
        return null;
    }

    private StorageException client(Operation op, String bucket, String key, Throwable failure) {
        ErrorKind kind = clientKind(failure);
        Throwable root = failure; // the first I/O failure of the chain says most (ConnectException...)
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            root = t;
            if (t instanceof IOException) {
                break;
            }
        }
        String what = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return StorageException.builder(kind, op).bucket(bucket).key(key).host(host)
                .detail("no answer from " + host + " (" + what + ")").cause(failure).build();
    }

    private static ErrorKind clientKind(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return ErrorKind.PERMANENT;
            }
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException) {
                return ErrorKind.TRANSIENT;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return ErrorKind.PERMANENT;
    }
}
