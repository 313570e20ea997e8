package dev.barge.storage.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.identity.CredentialUnavailableException;
import com.azure.storage.blob.models.BlobStorageException;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The one place where failures of the Azure SDK become {@link StorageException}s. The service's
 * error code ({@code x-ms-error-code}, sent on HEAD responses too) decides; the HTTP status where
 * there is none; client-side failures (connection reset, timeout) are transient. A Microsoft Entra ID
 * sign-in that found no identity, or whose identity was refused a token, is {@code INVALID_CREDENTIALS}
 * saying what to set. Messages carry the status, code, the service's message and request id, never
 * keys, SAS tokens, signatures or bearer tokens.
 */
final class AzureErrors {
    /** The credentials of a DefaultAzureCredential chain, as its failure names those it tried. */
    private static final Pattern CREDENTIAL = Pattern.compile("\\b([A-Z][A-Za-z]*Credential)\\b");
    /** Anything shaped like a JWT (a bearer token), never shown. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)?");
    private static final String SET_CREDENTIALS = "set access-key-id (the storage account name) and"
            + " secret-access-key (an account key, a SAS token or a connection string), or give this machine an Entra"
            + " ID identity with access to the account: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or"
            + " AZURE_CLIENT_CERTIFICATE_PATH) for a service principal, workload identity (AZURE_FEDERATED_TOKEN_FILE),"
            + " a managed identity of the VM or service it runs on, or 'az login'";

    private final String host;
    private final String remote;
    private final boolean entraId;

    /**
     * @param host the endpoint's {@code host[:port]}, named in failures that got no answer
     * @param remote the remote's name, in sign-in failures
     * @param entraId whether the store signs in with Microsoft Entra ID, which the hints of refusals name
     */
    AzureErrors(String host, String remote, boolean entraId) {
        this.host = host;
        this.remote = remote;
        this.entraId = entraId;
    }

    StorageException map(Operation op, String bucket, String key, Throwable failure) {
        if (failure instanceof StorageException e) {
            return e;
        }
        ClientAuthenticationException signIn = signInFailure(failure);
        if (signIn != null) {
            return signIn(op, bucket, key, signIn);
        }
        if (failure instanceof BlobStorageException e) {
            String code = e.getErrorCode() == null ? null : e.getErrorCode().toString();
            return service(op, bucket, key, e.getStatusCode(), code, serviceMessage(e), requestId(e), e, entraId);
        }
        if (failure instanceof HttpResponseException e && e.getResponse() != null) {
            String code = e.getResponse().getHeaderValue("x-ms-error-code");
            return service(op, bucket, key, e.getResponse().getStatusCode(), code, null, requestId(e), e, entraId);
        }
        return client(op, bucket, key, failure);
    }

    /** A failure of the token credential itself: no request reached the service (there is no response). */
    private static ClientAuthenticationException signInFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClientAuthenticationException e && e.getResponse() == null) {
                return e;
            }
        }
        return null;
    }

    /**
     * Why Entra ID sign-in failed, in place of the SDK's account of every credential of its chain (a
     * page long): which credentials it tried, or the first line of the refusal, without tokens.
     */
    StorageException signIn(Operation op, String bucket, String key, ClientAuthenticationException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String named = "remote '" + remote + "'";
        String detail;
        if (e instanceof CredentialUnavailableException) {
            Set<String> tried = new LinkedHashSet<>();
            Matcher m = CREDENTIAL.matcher(message);
            while (m.find()) {
                if (!m.group(1).equals("DefaultAzureCredential") && !m.group(1).equals("ChainedTokenCredential")) {
                    tried.add(m.group(1));
                }
            }
            detail = named + " has no account key, SAS token or connection string, and Microsoft Entra ID sign-in"
                    + " (DefaultAzureCredential) found no identity on this machine"
                    + (tried.isEmpty() ? "" : " (tried " + String.join(", ", tried) + ")") + "; " + SET_CREDENTIALS;
        } else {
            String reason = JWT.matcher(message.strip().split("\\R", 2)[0]).replaceAll("<token>");
            if (reason.length() > 300) {
                reason = reason.substring(0, 300) + "...";
            }
            detail = named + " has no account key, SAS token or connection string, and its Microsoft Entra ID"
                    + " sign-in (DefaultAzureCredential) failed" + (reason.isBlank() ? "" : ": " + reason)
                    + "; check that identity's settings, or " + SET_CREDENTIALS;
        }
        return StorageException.builder(ErrorKind.INVALID_CREDENTIALS, op).bucket(bucket).key(key).detail(detail)
                .cause(e).build();
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
            String serviceMessage, String requestId, Throwable cause, boolean entraId) {
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
        String hint = entraId ? entraIdHint(kind) : null;
        hint = hint != null ? hint : hint(op, kind, code);
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

    private static String entraIdHint(ErrorKind kind) {
        if (kind == ErrorKind.INVALID_CREDENTIALS) {
            return "the remote signs in with Microsoft Entra ID (it has no account key, SAS token or connection"
                    + " string): check that the token's identity belongs to the account's tenant and that this"
                    + " machine's clock is right, or set access-key-id and secret-access-key";
        }
        if (kind == ErrorKind.ACCESS_DENIED) {
            return "the remote signs in with Microsoft Entra ID: its identity needs a data role on the account or"
                    + " container, such as Storage Blob Data Contributor (Storage Blob Data Reader to read only)";
        }
        return null;
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
