package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import dev.barge.test.fault.Faults;
import dev.barge.test.net.HttpServer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An Aliyun OSS protocol emulator: a real HTTP server on 127.0.0.1 that answers the OSS REST
 * API from memory, checks V1 and V4 signatures (headers and presigned URLs), returns OSS's XML
 * bodies, headers and error codes, and injects faults on request. Built for tests that drive the
 * real {@code aliyun-sdk-oss} client over HTTP, and checked with a second official client, Aliyun's
 * Node.js SDK {@code ali-oss} ({@code OssSecondClientTest}: V1 signatures with the time in
 * {@code x-oss-date}, V4, and the {@code bucket.oss-<region>.aliyuncs.com} Host it sends to an IP).
 *
 * <pre>{@code
 * try (OssEmulator oss = OssEmulator.start("AKID", "SECRET")) {
 *     OSS client = new OSSClientBuilder().build(oss.endpoint(), "AKID", "SECRET");
 *     client.createBucket("photos");
 *     ...
 * }
 * }</pre>
 *
 * <p>Covered: buckets (PutBucket, DeleteBucket, ListBuckets, GetBucketInfo, GetBucketLocation,
 * GetBucketAcl), objects (PutObject, GetObject with ranges and conditions, HeadObject,
 * GetObjectMeta, DeleteObject, DeleteMultipleObjects, ListObjects V1 and V2, AppendObject,
 * CopyObject, RestoreObject), multipart (initiate, UploadPart, UploadPartCopy, complete,
 * abort, ListParts, ListMultipartUploads). Addressing is path-style ({@code /bucket/key}, which
 * the SDK uses for IP endpoints) or virtual-host style ({@code Host: bucket.127.0.0.1:port}).
 * Other sub-resources (lifecycle, tagging, versioning, ACL writes beyond a no-op...) answer
 * 501 NotImplemented.
 *
 * <p>Restores finish according to the {@link RestorePolicy} (default
 * {@link RestorePolicy#afterHeads afterHeads(1)}: the first HEAD after the restore request
 * reports it ongoing, later requests see it done), or at once with {@link #completeRestores()}.
 * Faults: {@link #faults()}, the rules of {@code dev.barge.test.fault}, the same a
 * {@code FaultProxy} takes; OSS's errors are written the OSS way (XML, {@code x-oss-err} on HEAD,
 * OSS's usual message for the code). Every request is recorded in {@link #journal()}.
 *
 * <p><b>Running it on its own</b> (for trying a client or ossutil by hand), from the project
 * directory:
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" \
 *     dev.barge.emulator.oss.OssEmulator 9000 AKID SECRET
 * </pre>
 *
 * <p>Arguments are port (0 for any free one), access key id and secret (defaults: 9000,
 * {@code AKID}, {@code SECRET}); it prints the endpoint and serves until interrupted (Ctrl-C).
 */
public final class OssEmulator implements AutoCloseable {

    private final Map<String, String> credentials;
    private final int requestedPort;
    private final OssStore store;
    private final Faults faults = new Faults();
    private final AtomicLong sequence = new AtomicLong();
    private final ArrayDeque<OssExchange> journal = new ArrayDeque<>();
    private final int journalCapacity;
    private final int maxRequestBytes;
    private HttpServer server;
    private int port = -1;

    private OssEmulator(Builder builder) {
        this.credentials = Map.copyOf(builder.credentials);
        this.requestedPort = builder.port;
        this.journalCapacity = builder.journalCapacity;
        this.store = new OssStore(new OssStore.Settings(builder.region, builder.clock, builder.restorePolicy,
                builder.minPartSize, builder.maxObjectSize, builder.maxCopyObjectSize, builder.ownerId));
        // the request body is aggregated in memory: room for the largest object plus some slack
        this.maxRequestBytes = (int) Math.min(Integer.MAX_VALUE - 8, builder.maxObjectSize + 1024 * 1024);
    }

    /** Starts an emulator on a free port that accepts one access key. */
    public static OssEmulator start(String accessKeyId, String secret) {
        return builder().credentials(accessKeyId, secret).build().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds 127.0.0.1 and starts serving. */
    public synchronized OssEmulator start() {
        if (server != null) {
            throw new IllegalStateException("the emulator is already started");
        }
        OssRouter router = new OssRouter(store, new OssSignatureVerifier(credentials, store.settings().clock()));
        String requestIdPrefix = String.format("%08X", ThreadLocalRandom.current().nextInt());
        server = HttpServer.builder("oss-emulator").port(requestedPort).ioThreads(2)
                .aggregate(maxRequestBytes,
                        (ctx, oversized) -> ctx.pipeline().get(OssHttpHandler.class).rejectOversized(ctx, oversized))
                .handler(channel -> new OssHttpHandler(router, faults, this::record, sequence, requestIdPrefix,
                        store.settings().clock()))
                .start();
        port = server.port();
        return this;
    }

    /** {@code http://127.0.0.1:PORT}, the endpoint to give the SDK. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        if (port < 0) {
            throw new IllegalStateException("the emulator is not started");
        }
        return port;
    }

    /**
     * The fault rules; add rules to make later requests fail, stall, lose their connection or their
     * body. Rules pick requests by method, bucket, key ({@code keyPrefix}, the decoded key, in either
     * addressing style), path or query parameter, and apply before the signature check.
     */
    public Faults faults() {
        return faults;
    }

    /** Finishes every running restore now, whatever the {@link RestorePolicy}; returns how many. */
    public int completeRestores() {
        return store.completeRestores();
    }

    /** Requests answered so far (including faulted ones) since start. */
    public long requestCount() {
        return sequence.get();
    }

    /** The most recent exchanges, oldest first (bounded by {@link Builder#journalCapacity}). */
    public List<OssExchange> journal() {
        synchronized (journal) {
            return List.copyOf(journal);
        }
    }

    public void clearJournal() {
        synchronized (journal) {
            journal.clear();
        }
    }

    /** Drops every bucket, fault rule and journal entry: a clean emulator on the same port. */
    public void reset() {
        store.clear();
        faults.clear();
        clearJournal();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private void record(OssExchange exchange) {
        synchronized (journal) {
            if (journal.size() == journalCapacity) {
                journal.removeFirst();
            }
            journal.addLast(exchange);
        }
    }

    /** Runs the emulator by itself: {@code [port [accessKeyId [secret]]]}; see the class comment. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        String accessKeyId = args.length > 1 ? args[1] : "AKID";
        String secret = args.length > 2 ? args[2] : "SECRET";
        OssEmulator emulator = builder().credentials(accessKeyId, secret).port(port).build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "oss-emulator-shutdown"));
        System.out.printf(Locale.ROOT, "OSS emulator at %s (access key id %s); Ctrl-C stops it%n",
                emulator.endpoint(), accessKeyId);
        stopped.await();
    }

    /** Configures an {@link OssEmulator}; only credentials are required. */
    public static final class Builder {

        private final Map<String, String> credentials = new LinkedHashMap<>();
        private int port;
        private String region = "cn-hangzhou";
        private Clock clock = Clock.systemUTC();
        private RestorePolicy restorePolicy = RestorePolicy.afterHeads(1);
        private long minPartSize = 100 * 1024;
        private long maxObjectSize = 5L * 1024 * 1024 * 1024;
        private long maxCopyObjectSize = 1024L * 1024 * 1024;
        private String ownerId = "1234567890123456";
        private int journalCapacity = 10_000;

        private Builder() {}

        /** Accepts requests signed with this key pair; call again to accept several. */
        public Builder credentials(String accessKeyId, String secret) {
            requireNonNull(accessKeyId, "accessKeyId is null");
            requireNonNull(secret, "secret is null");
            credentials.put(accessKeyId, secret);
            return this;
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The region reported as bucket location ("oss-" + region). Default "cn-hangzhou". */
        public Builder region(String region) {
            this.region = requireNonNull(region, "region is null");
            return this;
        }

        /**
         * The emulator's clock: Last-Modified, restore timing and expiry, signature time skew and
         * presigned-URL expiry. Default: the system clock.
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /** When restores finish; default {@link RestorePolicy#afterHeads afterHeads(1)}. */
        public Builder restorePolicy(RestorePolicy restorePolicy) {
            this.restorePolicy = requireNonNull(restorePolicy, "restorePolicy is null");
            return this;
        }

        /** Smallest size of a multipart part that is not the last; OSS: 100 KiB (the default). */
        public Builder minPartSize(long bytes) {
            this.minPartSize = positive(bytes, "minPartSize");
            return this;
        }

        /** Largest object PutObject, AppendObject or CompleteMultipartUpload may create; OSS: 5 GiB (default). */
        public Builder maxObjectSize(long bytes) {
            this.maxObjectSize = positive(bytes, "maxObjectSize");
            return this;
        }

        /** Largest source object of CopyObject; OSS: 1 GiB (the default). */
        public Builder maxCopyObjectSize(long bytes) {
            this.maxCopyObjectSize = positive(bytes, "maxCopyObjectSize");
            return this;
        }

        /** The owner ID reported in listings and bucket info. */
        public Builder ownerId(String ownerId) {
            this.ownerId = requireNonNull(ownerId, "ownerId is null");
            return this;
        }

        /** How many exchanges {@link OssEmulator#journal()} keeps; default 10 000. */
        public Builder journalCapacity(int capacity) {
            this.journalCapacity = (int) positive(capacity, "journalCapacity");
            return this;
        }

        public OssEmulator build() {
            if (credentials.isEmpty()) {
                throw new IllegalStateException("the OSS emulator needs at least one access key (credentials)");
            }
            return new OssEmulator(this);
        }

        private static long positive(long value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
