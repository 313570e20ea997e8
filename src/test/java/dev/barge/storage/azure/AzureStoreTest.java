package dev.barge.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Checksum;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PresignRequest;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.RestoreRequest;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the contract suite does not cover: Azure's credentials, tiers, SAS, block uploads, on Azurite. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class AzureStoreTest {
    private static final AtomicInteger CONTAINERS = new AtomicInteger();

    private AzuriteServer azurite;
    private ObjectStore store;
    private String bucket;

    @BeforeAll
    void start() {
        azurite = AzuriteServer.start();
        store = new AzureStoreProvider().open(azurite.remote("azurite"));
    }

    @AfterAll
    void stop() {
        if (store != null) {
            store.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    @BeforeEach
    void container() {
        bucket = "azure-" + CONTAINERS.incrementAndGet();
        store.createBucket(bucket);
    }

    // ---- credentials ----------------------------------------------------------------------

    @Test
    void aWrongKeyIsInvalidCredentialsAndIsNotShown() {
        String wrongKey = java.util.Base64.getEncoder().encodeToString("not the key of this account".getBytes());
        try (ObjectStore wrong = new AzureStoreProvider().open(azurite.remote("wrong", wrongKey, Map.of()))) {
            StorageException e = assertKind(() -> wrong.list(ListRequest.of(bucket, "")), ErrorKind.INVALID_CREDENTIALS);
            // Azurite says AuthorizationFailure ("Server failed to authenticate..."); Azure AuthenticationFailed
            assertThat(e.vendorCode()).isIn("AuthenticationFailed", "AuthorizationFailure");
            assertThat(e.getMessage()).contains("failed to authenticate");
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.getMessage()).contains(bucket).doesNotContain(wrongKey).doesNotContain(AzuriteServer.KEY);
            assertKind(() -> wrong.put(PutRequest.builder(bucket, "k").build(), Payload.ofBytes(new byte[1])),
                    ErrorKind.INVALID_CREDENTIALS);
            // a HEAD has no body: Azurite's bare AuthorizationFailure reads as ACCESS_DENIED (Azure sends
            // AuthenticationFailed in x-ms-error-code)
            assertKind(() -> wrong.stat(bucket, "k"), ErrorKind.ACCESS_DENIED);
        }
    }

    @Test
    void aSasTokenSignsInCopiesServerSideButCannotPresign() {
        String sas = accountSas();
        try (ObjectStore viaSas = new AzureStoreProvider().open(azurite.remote("sas", "?" + sas, Map.of()))) {
            viaSas.put(PutRequest.builder(bucket, "via-sas").build(), Payload.ofBytes("signed".getBytes()));
            viaSas.copy(CopyRequest.of(bucket, "via-sas", bucket, "copied"));
            assertThat(read(store, "copied")).isEqualTo("signed".getBytes());
            assertThat(viaSas.capabilities().presign()).isFalse();
            StorageException e = assertKind(() -> viaSas.presign(new PresignRequest(PresignRequest.Method.GET, bucket,
                    "copied", Duration.ofMinutes(1))), ErrorKind.UNSUPPORTED);
            assertThat(e.getMessage()).doesNotContain(sas);
        }
    }

    @Test
    void aConnectionStringGivesAccountKeyAndEndpoint() {
        String connection = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
                + AzuriteServer.KEY + ";BlobEndpoint=" + azurite.endpoint() + ";";
        RemoteConfig remote = new RemoteConfig("cs", "azure", null, null,
                new dev.barge.storage.Credentials(AzuriteServer.ACCOUNT, dev.barge.storage.Secret.of(connection), null),
                false, null, null, 0, null, Map.of());
        try (ObjectStore viaConnection = new AzureStoreProvider().open(remote)) {
            viaConnection.put(PutRequest.builder(bucket, "k").build(), Payload.ofBytes(new byte[] {7}));
            assertThat(read(store, "k")).containsExactly(7);
        }
    }

    @Test
    void withoutCredentialsTheAzureCliVariablesAreRead() {
        RemoteConfig bare = new RemoteConfig("env", "azure", azurite.endpoint(), null, null, false, null, null, 0,
                null, Map.of());
        Map<String, String> env = Map.of("AZURE_STORAGE_ACCOUNT", AzuriteServer.ACCOUNT,
                "AZURE_STORAGE_KEY", AzuriteServer.KEY);
        try (ObjectStore fromEnv = new AzureStoreProvider(env::get).open(bare)) {
            fromEnv.put(PutRequest.builder(bucket, "env").build(), Payload.ofBytes(new byte[] {3}));
            assertThat(read(store, "env")).containsExactly(3);
        }
        // without them the remote would sign in with Entra ID, which sends bearer tokens over https only
        StorageException e = assertKind(() -> new AzureStoreProvider(name -> null).open(bare),
                ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("'env'", "plain http", "https endpoint", "access-key-id",
                "secret-access-key");
    }

    /**
     * Where an Entra ID remote (no key, SAS token or connection string) finds its account, and what it
     * can do; opened only: a request would start the credential chain (AzureEntraIdTest runs it).
     */
    @Test
    void withoutCredentialsOrVariablesTheRemoteSignsInWithEntraIdOnAnHttpsEndpoint() {
        AzureStoreProvider provider = new AzureStoreProvider(name -> null);
        RemoteConfig noEndpoint = RemoteConfig.defaults("entra", "azure");
        assertThat(assertKind(() -> provider.open(noEndpoint), ErrorKind.INVALID_ARGUMENT).getMessage())
                .contains("'entra'", "no credentials and no endpoint", "https://<account>.blob.core.windows.net",
                        "access-key-id", "AZURE_STORAGE_ACCOUNT");
        RemoteConfig noAccount = new RemoteConfig("entra", "azure", "https://127.0.0.1:10000", null, null, false,
                null, null, 0, null, Map.of());
        assertThat(assertKind(() -> provider.open(noAccount), ErrorKind.INVALID_ARGUMENT).getMessage())
                .contains("names no account", "https://127.0.0.1:10000/<account>");

        // the account from the endpoint, or from AZURE_STORAGE_ACCOUNT alone
        RemoteConfig azure = new RemoteConfig("entra", "azure", "https://acct.blob.core.windows.net", null, null,
                false, null, null, 0, null, Map.of());
        try (ObjectStore entra = provider.open(azure)) {
            assertThat(entra.capabilities().copy()).isTrue();
            // user delegation SAS, whose key is valid for a week at most
            assertThat(entra.capabilities().presign()).isTrue();
            assertThat(entra.capabilities().presignMaxExpiry()).isEqualTo(Duration.ofDays(7));
        }
        try (ObjectStore entra = new AzureStoreProvider(Map.of("AZURE_STORAGE_ACCOUNT", "acct")::get)
                .open(RemoteConfig.defaults("entra", "azure"))) {
            // opened (not refused for want of an endpoint): the default endpoint of that account
            assertThat(entra.capabilities().presignMaxExpiry()).isEqualTo(Duration.ofDays(7));
        }
    }

    @Test
    void optionsAreCheckedWhenTheStoreIsOpened() {
        assertKind(() -> new AzureStoreProvider().open(azurite.remote("bad").withOption("block-size", "100KB")),
                ErrorKind.INVALID_ARGUMENT);
        StorageException e = assertKind(() -> new AzureStoreProvider().open(
                azurite.remote("bad").withOption("rehydrate-tier", "Archive")), ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("rehydrate-tier");
        assertKind(() -> new AzureStoreProvider().open(new RemoteConfig("bad", "azure", "ftp://example.com", null,
                new dev.barge.storage.Credentials("acct", dev.barge.storage.Secret.of(AzuriteServer.KEY), null), false,
                null, null, 0, null, Map.of())), ErrorKind.INVALID_ARGUMENT);
    }

    // ---- presigned URLs -----------------------------------------------------------------------

    @Test
    void presignedUrlsGetAndPutWithoutCredentials() throws Exception {
        store.put(PutRequest.builder(bucket, "shared file.txt").build(), Payload.ofBytes("hello".getBytes()));
        HttpClient http = HttpClient.newHttpClient();

        URI get = store.presign(new PresignRequest(PresignRequest.Method.GET, bucket, "shared file.txt",
                Duration.ofMinutes(5)));
        var got = http.send(HttpRequest.newBuilder(get).GET().build(), BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("hello");
        assertThat(get.getRawQuery()).contains("sig=").doesNotContain(AzuriteServer.KEY);

        URI put = store.presign(new PresignRequest(PresignRequest.Method.PUT, bucket, "uploaded", Duration.ofMinutes(5)));
        var sent = http.send(HttpRequest.newBuilder(put).header("x-ms-blob-type", "BlockBlob")
                .PUT(HttpRequest.BodyPublishers.ofString("via a presigned url")).build(), BodyHandlers.ofString());
        assertThat(sent.statusCode()).isEqualTo(201);
        assertThat(new String(read(store, "uploaded"), StandardCharsets.UTF_8)).isEqualTo("via a presigned url");

        URI otherKey = URI.create(get.toString().replace("shared%20file.txt", "uploaded"));
        assertThat(http.send(HttpRequest.newBuilder(otherKey).GET().build(), BodyHandlers.ofString()).statusCode())
                .as("the signature covers the blob").isEqualTo(403);
    }

    // ---- tiers and rehydration ----------------------------------------------------------------

    @Test
    void tiersMapToStorageClassFamiliesAndKeepTheirNames() {
        store.put(PutRequest.builder(bucket, "hot").build(), Payload.ofBytes(new byte[] {1}));
        store.put(PutRequest.builder(bucket, "cool").storageClass(StorageClass.of(StorageClass.Family.INFREQUENT))
                .build(), Payload.ofBytes(new byte[] {1}));
        store.put(PutRequest.builder(bucket, "cold").storageClass(new StorageClass(StorageClass.Family.INFREQUENT,
                "Cold")).build(), Payload.ofBytes(new byte[] {1}));
        assertThat(store.stat(bucket, "hot").storageClass()).isEqualTo(new StorageClass(StorageClass.Family.STANDARD,
                "Hot"));
        assertThat(store.stat(bucket, "cool").storageClass()).isEqualTo(new StorageClass(StorageClass.Family.INFREQUENT,
                "Cool"));
        assertThat(store.list(ListRequest.of(bucket, "cold")).objects().get(0).storageClass())
                .isEqualTo(new StorageClass(StorageClass.Family.INFREQUENT, "Cold"));

        assertKind(() -> store.put(PutRequest.builder(bucket, "x").storageClass(StorageClass.of(
                StorageClass.Family.DEEP_ARCHIVE)).build(), Payload.ofBytes(new byte[] {1})), ErrorKind.UNSUPPORTED);
        assertKind(() -> store.put(PutRequest.builder(bucket, "x").storageClass(new StorageClass(
                StorageClass.Family.STANDARD, "Cool")).build(), Payload.ofBytes(new byte[] {1})), ErrorKind.UNSUPPORTED);
        assertKind(() -> store.stat(bucket, "x"), ErrorKind.NOT_FOUND);
    }

    @Test
    void anArchivedBlobIsRefusedUntilRehydrated() {
        store.put(PutRequest.builder(bucket, "cold-data").contentType("text/plain").userMetadata(Map.of("kept", "yes"))
                .build(), Payload.ofBytes("archived".getBytes()));
        assertKind(() -> store.restore(bucket, "cold-data", new RestoreRequest(1, RestoreRequest.Tier.STANDARD)),
                ErrorKind.INVALID_ARGUMENT);
        store.setStorageClass(bucket, "cold-data", StorageClass.of(StorageClass.Family.ARCHIVE));

        ObjectInfo archived = store.stat(bucket, "cold-data");
        assertThat(archived.storageClass()).isEqualTo(new StorageClass(StorageClass.Family.ARCHIVE, "Archive"));
        assertThat(archived.isReadable()).isFalse();
        StorageException e = assertKind(() -> store.get(bucket, "cold-data"), ErrorKind.ARCHIVED);
        assertThat(e.vendorCode()).isEqualTo("BlobArchived");
        assertKind(() -> store.copy(CopyRequest.of(bucket, "cold-data", bucket, "copy")), ErrorKind.ARCHIVED);

        store.restore(bucket, "cold-data", new RestoreRequest(7, RestoreRequest.Tier.EXPEDITED));

        // Azurite rehydrates at once; Azure reports IN_PROGRESS (x-ms-archive-status) for hours first
        ObjectInfo restored = store.stat(bucket, "cold-data");
        assertThat(restored.storageClass()).isEqualTo(new StorageClass(StorageClass.Family.STANDARD, "Hot"));
        assertThat(restored.restore()).isEqualTo(RestoreStatus.NONE);
        assertThat(restored.userMetadata()).containsEntry("kept", "yes");
        assertThat(read(store, "cold-data")).isEqualTo("archived".getBytes());
    }

    // ---- metadata, append, block uploads -----------------------------------------------------------

    @Test
    void metadataNamesAzureCannotHoldRoundTripEncoded() {
        Map<String, String> metadata = Map.of("source-md5", "abc", "x.y", "1", "9lives", "2", "bgx_literal", "3",
                "plain_name", "4", "名前", "5");
        store.put(PutRequest.builder(bucket, "meta").userMetadata(metadata).build(), Payload.ofBytes(new byte[] {1}));
        assertThat(store.stat(bucket, "meta").userMetadata()).isEqualTo(metadata);
        assertThat(AzureMetadata.encodeName("plain_name")).isEqualTo("plain_name");
        assertThat(AzureMetadata.encodeName("source-md5")).isEqualTo("bgx_source_2dmd5");
    }

    @Test
    void aCopyOntoItselfChangesMetadataAndTierInPlace() {
        byte[] data = bytes(5000, 3);
        store.put(PutRequest.builder(bucket, "self").contentType("text/plain").userMetadata(Map.of("old", "1"))
                .build(), Payload.ofBytes(data));
        store.copy(CopyRequest.of(bucket, "self", bucket, "self").withMetadata("text/csv", Map.of("new-name", "2"))
                .withStorageClass(StorageClass.of(StorageClass.Family.INFREQUENT)));
        ObjectInfo info = store.stat(bucket, "self");
        assertThat(info.contentType()).isEqualTo("text/csv");
        assertThat(info.userMetadata()).isEqualTo(Map.of("new-name", "2"));
        assertThat(info.storageClass().family()).isEqualTo(StorageClass.Family.INFREQUENT);
        assertThat(read(store, "self")).isEqualTo(data);
    }

    @Test
    void appendingToABlockBlobIsAConflict() {
        store.put(PutRequest.builder(bucket, "block").build(), Payload.ofBytes(new byte[] {1}));
        StorageException e = assertKind(() -> store.append(PutRequest.builder(bucket, "block").build(), 1,
                Payload.ofBytes(new byte[] {2})), ErrorKind.CONFLICT);
        assertThat(e.getMessage()).contains("block");
        assertThat(read(store, "block")).containsExactly(1);
    }

    @Test
    void aPutOfUnknownLengthBeyondOneBlockIsCommittedWithItsMd5() throws Exception {
        try (ObjectStore small = new AzureStoreProvider().open(azurite.remote("small-blocks").withOption("block-size",
                "1MB"))) {
            byte[] data = bytes(2_500_000, 5);
            var written = small.put(PutRequest.builder(bucket, "streamed").contentType("application/octet-stream")
                    .build(), Payload.ofStream(new ByteArrayInputStream(data), Payload.UNKNOWN_LENGTH));
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
            assertThat(written.checksum(Checksum.Algorithm.MD5)).contains(Checksum.md5Hex(md5));
            ObjectInfo info = small.stat(bucket, "streamed");
            assertThat(info.checksum(Checksum.Algorithm.MD5)).contains(Checksum.md5Hex(md5));
            assertThat(info.contentType()).isEqualTo("application/octet-stream");
            assertThat(read(small, "streamed")).isEqualTo(data);
            try (ObjectContent range = small.get(bucket, "streamed", ByteRange.of(1_000_000, 1_999_999))) {
                assertThat(range.body().readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1_000_000,
                        2_000_000));
            }

            String wrong = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(new byte[1]));
            assertKind(() -> small.put(PutRequest.builder(bucket, "checked").expectedChecksums(
                    List.of(Checksum.md5Hex(wrong))).build(), Payload.ofStream(new ByteArrayInputStream(data),
                    Payload.UNKNOWN_LENGTH)), ErrorKind.CHECKSUM_MISMATCH);
            assertKind(() -> small.stat(bucket, "checked"), ErrorKind.NOT_FOUND);
        }
    }

    @Test
    void anUploadStartedByOneStoreIsCompletedByAnotherWithItsProperties() {
        int part = (int) store.capabilities().multipartMinPartSize();
        byte[] data = bytes(part + 10, 9);
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder(bucket, "shared-upload")
                .contentType("text/csv").userMetadata(Map.of("source-md5", "feed"))
                .storageClass(StorageClass.of(StorageClass.Family.INFREQUENT)).build());
        CompletedPart p1 = store.uploadPart(upload, 1, Payload.ofBytes(data, 0, part));
        CompletedPart p2 = store.uploadPart(upload, 2, Payload.ofBytes(data, part, 10));
        try (ObjectStore other = new AzureStoreProvider().open(azurite.remote("other-worker"))) {
            other.completeMultipart(upload, List.of(p1, p2));
            assertKind(() -> other.completeMultipart(upload, List.of(p1, p2)), ErrorKind.NOT_FOUND);
        }
        ObjectInfo info = store.stat(bucket, "shared-upload");
        assertThat(info.contentType()).isEqualTo("text/csv");
        assertThat(info.userMetadata()).containsEntry("source-md5", "feed");
        assertThat(info.storageClass().family()).isEqualTo(StorageClass.Family.INFREQUENT);
        assertThat(read(store, "shared-upload")).isEqualTo(data);
    }

    @Test
    void aPartWhoseSizeDiffersFromWhatWasStagedIsRefused() {
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder(bucket, "mismatch").build());
        CompletedPart part = store.uploadPart(upload, 1, Payload.ofBytes(bytes(100, 1)));
        assertKind(() -> store.completeMultipart(upload, List.of(new CompletedPart(1, part.etag(), 99))),
                ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> store.completeMultipart(upload, List.of(new CompletedPart(2, part.etag(), 100))),
                ErrorKind.INVALID_ARGUMENT);
        store.completeMultipart(upload, List.of(part));
        assertThat(read(store, "mismatch")).isEqualTo(bytes(100, 1));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private String accountSas() {
        BlobServiceClient admin = new BlobServiceClientBuilder().endpoint(azurite.endpoint())
                .credential(new StorageSharedKeyCredential(AzuriteServer.ACCOUNT, AzuriteServer.KEY)).buildClient();
        return admin.generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse("rwdlac"), AccountSasService.parse("b"), AccountSasResourceType.parse("sco")));
    }

    private byte[] read(ObjectStore from, String key) {
        try (ObjectContent content = from.get(bucket, key)) {
            return content.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static StorageException assertKind(ThrowingCallable call, ErrorKind kind) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected a StorageException of kind %s", kind).isInstanceOf(StorageException.class);
        StorageException e = (StorageException) thrown;
        assertThat(e.kind()).as("kind of: %s", e.getMessage()).isEqualTo(kind);
        return e;
    }
}
