package dev.barge.storage.s3;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Credentials;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/** S3Proxy in this JVM on 127.0.0.1 and a free port, with fixed credentials; one per test class. */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "barge-test-access-key";
    public static final String SECRET_KEY = "barge-test-secret-key";

    private final S3Proxy proxy;

    private S3ProxyServer(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /** A server keeping objects in memory. */
    public static S3ProxyServer inMemory() throws Exception {
        return start(BlobStores.create("transient-nio2", new Properties()));
    }

    /** {@link #inMemory()} for a static field of a test class: a server that cannot start fails the class. */
    public static S3ProxyServer inMemoryForTests() {
        try {
            return inMemory();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on 127.0.0.1", e);
        }
    }

    /** A server keeping objects in files under {@code directory}. */
    public static S3ProxyServer onDisk(Path directory) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        return start(BlobStores.create("filesystem-nio2", properties));
    }

    /**
     * {@link #inMemoryForTests()} accepting other credentials than {@link #ACCESS_KEY} and {@link #SECRET_KEY}:
     * for tests that look for a secret of their own in what Barge prints and stores.
     */
    public static S3ProxyServer inMemoryForTests(String accessKey, String secretKey) {
        try {
            return start(BlobStores.create("transient-nio2", new Properties()), accessKey, secretKey);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on 127.0.0.1", e);
        }
    }

    private static S3ProxyServer start(org.gaul.s3proxy.blobstore.BlobStore blobStore) throws Exception {
        return start(blobStore, ACCESS_KEY, SECRET_KEY);
    }

    private static S3ProxyServer start(org.gaul.s3proxy.blobstore.BlobStore blobStore, String accessKey,
            String secretKey) throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(requireNonNull(blobStore, "blobStore is null"))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!proxy.getState().equals("STARTED")) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("S3Proxy did not start within 30 s: " + proxy.getState());
            }
            Thread.onSpinWait();
        }
        return new S3ProxyServer(proxy);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** A path-style remote on this server with the given secret key. */
    RemoteConfig remote(String name, String secretKey, Map<String, String> options) {
        return new RemoteConfig(name, S3StoreProvider.TYPE, endpoint(), "us-east-1",
                new Credentials(ACCESS_KEY, Secret.of(secretKey), null), true, Duration.ofSeconds(5),
                Duration.ofSeconds(60), 16, null, options);
    }

    public RemoteConfig remote(String name) {
        return remote(name, SECRET_KEY, Map.of());
    }

    /**
     * Registers {@code barge.remotes.<name>}: a path-style s3 remote with this server's credentials at
     * {@code endpoint} (this server's, or a proxy's in front of it).
     */
    public static void registerRemote(org.springframework.test.context.DynamicPropertyRegistry registry, String name,
            java.util.function.Supplier<Object> endpoint) {
        String at = "barge.remotes." + name + ".";
        registry.add(at + "type", () -> "s3");
        registry.add(at + "endpoint", endpoint);
        registry.add(at + "region", () -> "us-east-1");
        registry.add(at + "path-style", () -> "true");
        registry.add(at + "access-key-id", () -> ACCESS_KEY);
        registry.add(at + "secret-access-key", () -> SECRET_KEY);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
