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
}
