package dev.barge.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.barge.storage.Credentials;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.StorageException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The error codes of the Blob service, as Azure documents them, and a host that does not answer. */
final class AzureErrorsTest {

    @Test
    void errorCodesDecideTheKind() {
        Map<String, ErrorKind> expected = Map.ofEntries(
                Map.entry("BlobNotFound", ErrorKind.NOT_FOUND),
                Map.entry("ContainerNotFound", ErrorKind.BUCKET_NOT_FOUND),
                Map.entry("AuthenticationFailed", ErrorKind.INVALID_CREDENTIALS),
                Map.entry("AuthorizationPermissionMismatch", ErrorKind.ACCESS_DENIED),
                Map.entry("ServerBusy", ErrorKind.THROTTLED),
                Map.entry("OperationTimedOut", ErrorKind.TRANSIENT),
                Map.entry("Md5Mismatch", ErrorKind.CHECKSUM_MISMATCH),
                Map.entry("BlobArchived", ErrorKind.ARCHIVED),
                Map.entry("ConditionNotMet", ErrorKind.PRECONDITION_FAILED),
                Map.entry("AppendPositionConditionNotMet", ErrorKind.CONFLICT),
                Map.entry("InvalidBlobType", ErrorKind.CONFLICT),
                Map.entry("ContainerAlreadyExists", ErrorKind.CONFLICT),
                Map.entry("InvalidRange", ErrorKind.INVALID_ARGUMENT),
                Map.entry("InvalidResourceName", ErrorKind.INVALID_ARGUMENT),
                Map.entry("InvalidBlockList", ErrorKind.INVALID_ARGUMENT));
        expected.forEach((code, kind) -> assertThat(AzureErrors.kind(Operation.GET, "k", 400, code))
                .as(code).isEqualTo(kind));
        assertThat(AzureErrors.kind(Operation.CREATE_BUCKET, null, 409, "ContainerBeingDeleted"))
                .isEqualTo(ErrorKind.CONFLICT);
        assertThat(AzureErrors.kind(Operation.DELETE_BUCKET, null, 409, "ContainerBeingDeleted"))
                .isEqualTo(ErrorKind.BUCKET_NOT_FOUND);
    }

    @Test
    void withoutACodeTheStatusDecides() {
        assertThat(AzureErrors.kind(Operation.STAT, "k", 404, null)).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(AzureErrors.kind(Operation.LIST, "", 404, null)).isEqualTo(ErrorKind.BUCKET_NOT_FOUND);
        assertThat(AzureErrors.kind(Operation.GET, "k", 503, null)).isEqualTo(ErrorKind.THROTTLED);
        assertThat(AzureErrors.kind(Operation.GET, "k", 500, "SomethingNew")).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(AzureErrors.kind(Operation.GET, "k", 416, null)).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void aHostThatRefusesConnectionsIsTransientAndNamed() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RemoteConfig remote = new RemoteConfig("down", "azure", "http://127.0.0.1:" + port, null,
                new Credentials("acct", Secret.of(AzuriteServer.KEY), null), false, Duration.ofSeconds(2),
                Duration.ofSeconds(5), 0, null, Map.of());
        try (ObjectStore store = new AzureStoreProvider().open(remote)) {
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> store.list(ListRequest.of("c", "")));
            assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(e.host()).isEqualTo("127.0.0.1:" + port);
            assertThat(e.getMessage()).contains("127.0.0.1:" + port).contains("Connect").doesNotContain(AzuriteServer.KEY);
        }
    }

    /** Entra ID sign-in failures, as the SDK raises them: no identity found, or an identity refused. */
    @Test
    void signInFailuresAreInvalidCredentialsNamingTheRemoteAndWhatToSet() {
        AzureErrors errors = new AzureErrors("acct.blob.core.windows.net", "prod", true);
        var none = new com.azure.identity.CredentialUnavailableException("DefaultAzureCredential failed to retrieve a"
                + " token from the included credentials.\nAttempted credentials:\nEnvironmentCredential authentication"
                + " unavailable. Environment variables are not fully configured.\nManagedIdentityCredential"
                + " authentication unavailable. Connection to IMDS endpoint cannot be established.");
        StorageException e = errors.map(Operation.LIST, "c", "", new RuntimeException("wrapped", none));
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_CREDENTIALS);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("remote 'prod' has no account key, SAS token or connection string",
                "found no identity", "tried EnvironmentCredential, ManagedIdentityCredential", "secret-access-key",
                "AZURE_CLIENT_SECRET", "managed identity", "az login").doesNotContain("\n");

        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJzdG9yYWdlIn0.c2ln";
        var refused = new com.azure.core.exception.ClientAuthenticationException("AADSTS7000215: Invalid client"
                + " secret provided; token " + jwt + "\nTrace ID: 1234", null);
        StorageException r = errors.map(Operation.GET, "c", "k", refused);
        assertThat(r.kind()).isEqualTo(ErrorKind.INVALID_CREDENTIALS);
        assertThat(r.getMessage()).contains("remote 'prod'", "sign-in (DefaultAzureCredential) failed",
                "AADSTS7000215: Invalid client secret provided").doesNotContain(jwt).doesNotContain("Trace ID");
    }

    /** The service's refusals of a bearer token say what Entra ID needs, not which key to check. */
    @Test
    void refusalsOfAnEntraIdRemoteNameItsRoleNotAKey() {
        StorageException denied = AzureErrors.service(Operation.PUT, "c", "k", 403, "AuthorizationPermissionMismatch",
                "This request is not authorized to perform this operation using this permission.", "r1", null, true);
        assertThat(denied.kind()).isEqualTo(ErrorKind.ACCESS_DENIED);
        assertThat(denied.getMessage()).contains("Storage Blob Data Contributor").doesNotContain("SAS token needs");
        StorageException keyed = AzureErrors.service(Operation.PUT, "c", "k", 403, "AuthorizationPermissionMismatch",
                null, "r1", null, false);
        assertThat(keyed.getMessage()).contains("SAS token").doesNotContain("Storage Blob Data Contributor");
    }
}
