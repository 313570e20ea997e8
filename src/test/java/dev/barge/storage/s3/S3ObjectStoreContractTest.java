package dev.barge.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.ObjectStoreContract;
import dev.barge.storage.Payload;
import dev.barge.storage.PresignRequest;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The S3 driver against the conformance suite, on S3Proxy 4.1.0 in this JVM (transient-nio2).
 *
 * <p>S3Proxy departs from S3 in three ways, declared as {@link #serverDeviations()}:
 * <ol>
 *   <li>{@code NO_NESTED_KEYS}: its blob stores (4.x has only transient-nio2 and filesystem-nio2)
 *       keep objects as files, so {@code a} and {@code a/b} cannot both exist (the second put fails
 *       with 500 InternalError); S3 holds both;</li>
 *   <li>{@code UTF16_LISTING_ORDER}: it lists in {@code String.compareTo} order, so {@code b😀}
 *       comes before {@code b\uE000}; S3 lists in UTF-8 byte order;</li>
 *   <li>{@code NO_STORAGE_CLASS_CHANGE}: CopyObject ignores {@code x-amz-storage-class}, which is how
 *       S3 changes a class in place. {@link S3ProtocolTest} checks the exact copy request the driver
 *       sends against S3's documented API instead.</li>
 * </ol>
 */
final class S3ObjectStoreContractTest extends ObjectStoreContract {
    private S3ProxyServer server;

    @Override
    protected ObjectStore createStore() throws Exception {
        server = S3ProxyServer.inMemory();
        return new S3StoreProvider().open(server.remote("s3proxy"));
    }

    @Override
    protected void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Set<ServerDeviation> serverDeviations() {
        return EnumSet.of(ServerDeviation.NO_NESTED_KEYS, ServerDeviation.UTF16_LISTING_ORDER,
                ServerDeviation.NO_STORAGE_CLASS_CHANGE);
    }

    @Test
    void storageClassesRoundTripThroughPutStatAndList() {
        for (StorageClass.Family family : caps.storageClasses()) {
            String key = "class-" + family;
            store.put(PutRequest.builder(bucket, key).storageClass(StorageClass.of(family)).build(),
                    Payload.ofBytes(new byte[] {1}));
            assertThat(store.stat(bucket, key).storageClass().family()).as("stat of %s", key).isEqualTo(family);
        }
        for (ObjectInfo listed : store.list(ListRequest.of(bucket, "class-")).objects()) {
            assertThat(listed.storageClass().family().name()).isEqualTo(listed.key().substring("class-".length()));
        }
        store.put(PutRequest.builder(bucket, "vendor-named").storageClass(new StorageClass(StorageClass.Family.INFREQUENT,
                "ONEZONE_IA")).build(), Payload.ofBytes(new byte[] {1}));
        assertThat(store.stat(bucket, "vendor-named").storageClass())
                .isEqualTo(new StorageClass(StorageClass.Family.INFREQUENT, "ONEZONE_IA"));
    }

    @Test
    void setStorageClassKeepsContentAndMetadata() {
        byte[] data = bytes(1000, 5);
        store.put(PutRequest.builder(bucket, "moved").contentType("text/plain").userMetadata(Map.of("kept", "yes"))
                .build(), Payload.ofBytes(data));
        store.setStorageClass(bucket, "moved", StorageClass.of(StorageClass.Family.INFREQUENT));
        ObjectInfo info = store.stat(bucket, "moved");
        assertThat(info.contentType()).isEqualTo("text/plain");
        assertThat(info.userMetadata()).containsEntry("kept", "yes");
        assertThat(info.size()).isEqualTo(1000);
        assertThat(read("moved")).isEqualTo(data);
    }

    // ---- S3-specific, against S3Proxy -------------------------------------------------------

    @Test
    void aWrongSecretIsInvalidCredentialsAndIsNotShown() {
        try (ObjectStore wrong = new S3StoreProvider().open(server.remote("wrong", "not-the-secret", Map.of()))) {
            StorageException e = assertKind(() -> wrong.list(ListRequest.of(bucket, "")), ErrorKind.INVALID_CREDENTIALS);
            assertThat(e.vendorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.getMessage()).contains(bucket).doesNotContain("not-the-secret");
            assertKind(() -> wrong.put(PutRequest.builder(bucket, "k").build(), Payload.ofBytes(new byte[1])),
                    ErrorKind.INVALID_CREDENTIALS);
        }
        assertThat(listAll(ListRequest.of(bucket, ""))).isEmpty();
    }

    @Test
    void presignedUrlsGetAndPutWithoutCredentials() throws Exception {
        put("shared file.txt", "hello".getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();

        URI get = store.presign(new PresignRequest(PresignRequest.Method.GET, bucket, "shared file.txt",
                Duration.ofMinutes(5)));
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(get).GET().build(), BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("hello");
        assertThat(get.getRawQuery()).contains("X-Amz-Signature=").doesNotContain(S3ProxyServer.SECRET_KEY);

        URI put = store.presign(new PresignRequest(PresignRequest.Method.PUT, bucket, "uploaded", Duration.ofMinutes(5)));
        HttpResponse<String> sent = http.send(HttpRequest.newBuilder(put)
                .PUT(BodyPublishers.ofString("via a presigned url")).build(), BodyHandlers.ofString());
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(new String(read("uploaded"), StandardCharsets.UTF_8)).isEqualTo("via a presigned url");

        URI otherKey = URI.create(get.toString().replace("shared%20file.txt", "uploaded"));
        assertThat(http.send(HttpRequest.newBuilder(otherKey).GET().build(), BodyHandlers.ofString()).statusCode())
                .as("the signature covers the key").isEqualTo(403);
    }

    @Test
    void optionsAreValidatedWhenTheStoreIsOpened() {
        assertKind(() -> new S3StoreProvider().open(server.remote("bad").withOption("multipart-copy-threshold", "6GB")),
                ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> new S3StoreProvider().open(server.remote("bad").withOption("multipart-upload-part-size", "1MB")),
                ErrorKind.INVALID_ARGUMENT);
        StorageException e = assertKind(() -> new S3StoreProvider().open(new dev.barge.storage.RemoteConfig("bad",
                "s3", "ftp://example.com", null, null, true, null, null, 0, null, Map.of())), ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("bad").contains("endpoint");
    }
}
