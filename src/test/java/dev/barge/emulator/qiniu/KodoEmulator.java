package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import dev.barge.test.fault.Faults;
import dev.barge.test.net.HttpServer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory Qiniu Kodo server on 127.0.0.1 that the real qiniu-java-sdk talks to over HTTP. One port
 * plays every host role (up, rs, rsf, api, uc, io); see {@link KodoRouter} for how requests are told
 * apart. Signatures are checked (upload tokens, {@code Qiniu}/{@code QBox} management signatures,
 * private download URLs), errors come with Kodo's status codes and {@code {"error": "..."}} bodies, and
 * every response carries an {@code X-Reqid}. Besides the Java SDK, Qiniu's Node.js SDK {@code qiniu} checks it
 * ({@code KodoSecondClientTest}).
 *
 * <p>Point the SDK at it with an explicit Region, every host being {@link #hostAndPort()}:
 * <pre>{@code
 * KodoEmulator kodo = KodoEmulator.start("AK", "SK");
 * kodo.createBucket("bkt");
 * String h = kodo.hostAndPort();
 * Configuration cfg = new Configuration(new Region.Builder().region("z0").srcUpHost(h).accUpHost(h)
 *         .iovipHost(h).ioSrcHost(h).rsHost(h).rsfHost(h).apiHost(h).ucHost(h).build());
 * cfg.useHttpsDomains = false;
 * cfg.resumableUploadAPIVersion = Configuration.ResumableUploadAPIVersion.V2;
 * }</pre>
 *
 * <p>Downloads: {@code GET /getfile/<ak>/<bucket>/<key>} (the SDK's {@code DownloadPrivateCloudUrl})
 * works for every bucket; {@code GET /<key>} (the SDK's {@code DownloadUrl}, {@code Auth.privateDownloadUrl})
 * serves the bucket whose domain is the request's Host header: bind one with
 * {@link #bindDomain(String, String)} or {@link #bindDefaultDomain(String)}. Buckets are public until
 * {@link #setBucketPrivate(String, boolean)} (or the SDK's {@code setBucketAcl}) makes them private.
 *
 * <p>Archived objects: {@code restoreAr} leaves an object "restoring" (restoreStatus 1) until the test
 * calls {@link #finishRestore(String, String)} or {@link #finishAllRestores()}, unless the builder
 * asked for {@link Builder#restoreImmediately(boolean) immediate restores}.
 *
 * <p>Run it alone for manual tries (port 0 picks a free one; bucket names are optional):
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" dev.barge.emulator.qiniu.KodoEmulator 9400 AK SK bkt
 * </pre>
 * Add {@code -Dkodo.emulator.trace=true} (see {@link #TRACE_PROPERTY}) to see each request.
 *
 * <p>Faults: {@link #faults()}, the rules of {@code dev.barge.test.fault}, the same a
 * {@code FaultProxy} takes; errors go out the Kodo way (its status on the status line,
 * {@code {"error": ...}}, an X-Reqid).
 */
public final class KodoEmulator implements AutoCloseable {

    /**
     * System property: when "true", every request and its status, and the string the emulator signed when
     * a management signature does not match, are printed to stderr.
     */
    public static final String TRACE_PROPERTY = "kodo.emulator.trace";

    private final String accessKey;
    private final KodoStore store;
    private final KodoRouter router;
    private final Faults faults;
    private final HttpServer server;

    private KodoEmulator(Builder builder) {
        this.accessKey = builder.credentials.keySet().iterator().next();
        this.store = new KodoStore(builder.clock, builder.restoreImmediately);
        KodoAuth auth = new KodoAuth(builder.credentials);
        this.router = new KodoRouter(store, auth);
        this.faults = new Faults();
        KodoHttpHandler handler = new KodoHttpHandler(router, faults);
        // requests are handled on the event loops: the work is CPU only (hashing, copying), and delays
        // are scheduled rather than slept
        this.server = HttpServer.builder("kodo-emulator").port(builder.port).ioThreads(4)
                .aggregate(builder.maxRequestBytes, (ctx, oversized) -> tooLarge(ctx, handler))
                .handler(channel -> handler)
                .start();
        for (String bucket : builder.buckets) {
            createBucket(bucket);
        }
    }

    /** Starts an emulator on a free port that accepts this key pair. */
    public static KodoEmulator start(String accessKey, String secretKey) {
        return builder().credentials(accessKey, secretKey).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:PORT}: what every host of the SDK's Region.Builder should be. */
    public String hostAndPort() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return server.port();
    }

    /** The first configured access key. */
    public String accessKey() {
        return accessKey;
    }

    /**
     * The fault rules for the following requests. Kodo's requests name objects in base64 entries, so
     * rules pick them by method and path ({@code pathPrefix("/stat/")}, {@code "/getfile/"},
     * {@code "/buckets/<bucket>/objects/"}) or any {@code matching} predicate.
     */
    public Faults faults() {
        return faults;
    }

    /** Creates a public bucket in region z0 (the same as the SDK's createBucket). */
    public void createBucket(String bucket) {
        createBucket(bucket, "z0");
    }

    public void createBucket(String bucket, String region) {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(region, "region is null");
        try {
            store.createBucket(bucket, region);
        } catch (KodoException e) {
            throw new IllegalArgumentException(e.error() + ": " + bucket, e);
        }
    }

    /** Makes a bucket private (downloads need a signed URL) or public. */
    public void setBucketPrivate(String bucket, boolean privateBucket) {
        bucketState(bucket).setPrivate(privateBucket);
    }

    /** Serves {@code bucket} for {@code GET /<key>} requests whose Host header is {@code domain}. */
    public void bindDomain(String domain, String bucket) {
        requireNonNull(domain, "domain is null");
        bucketState(bucket);
        store.bindDomain(domain, bucket);
    }

    /** Binds {@link #hostAndPort()} to {@code bucket} and returns it, ready for the SDK's DownloadUrl. */
    public String bindDefaultDomain(String bucket) {
        bindDomain(hostAndPort(), bucket);
        return hostAndPort();
    }

    /** Finishes the running restore of an archived object; false when it is not being restored. */
    public boolean finishRestore(String bucket, String key) {
        requireNonNull(key, "key is null");
        bucketState(bucket);
        return store.finishRestore(bucket, key);
    }

    /** Finishes every running restore; returns how many there were. */
    public int finishAllRestores() {
        return store.finishAllRestores();
    }

    /** The keys of a bucket in Kodo's listing order. */
    public List<String> keys(String bucket) {
        return new ArrayList<>(bucketState(bucket).objects().keySet());
    }

    /** The content of an object, if it exists. */
    public Optional<byte[]> content(String bucket, String key) {
        StoredObject object = bucketState(bucket).objects().get(requireNonNull(key, "key is null"));
        return Optional.ofNullable(object).map(o -> o.data().clone());
    }

    /** How many resumable (v2) uploads were initiated and neither completed nor aborted. */
    public int openUploads() {
        return router.uploads().openUploads();
    }

    private KodoBucketState bucketState(String bucket) {
        requireNonNull(bucket, "bucket is null");
        try {
            return store.bucket(bucket);
        } catch (KodoException e) {
            throw new IllegalArgumentException("no such bucket: " + bucket, e);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** Runs the emulator until the process is stopped: {@code <port> <accessKey> <secretKey> [bucket...]}. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: KodoEmulator <port|0> <accessKey> <secretKey> [bucket...]");
            System.exit(2);
        }
        Builder builder = builder().port(Integer.parseInt(args[0])).credentials(args[1], args[2]);
        for (int i = 3; i < args.length; i++) {
            builder.bucket(args[i]);
        }
        KodoEmulator emulator = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "kodo-emulator-shutdown"));
        for (int i = 3; i < args.length; i++) {
            emulator.bindDefaultDomain(args[i]);
        }
        System.out.println("Kodo emulator listening on " + emulator.hostAndPort()
                + " (every Region host = " + emulator.hostAndPort() + ", useHttpsDomains=false)");
        if (args.length > 3) {
            System.out.println("GET http://" + emulator.hostAndPort() + "/<key> reads bucket " + args[args.length - 1]
                    + "; /getfile/" + args[1] + "/<bucket>/<key> reads any bucket");
        }
        Thread.currentThread().join();
    }

    /** Builder; {@link #credentials(String, String)} is required. */
    public static final class Builder {
        private final Map<String, String> credentials = new LinkedHashMap<>();
        private final List<String> buckets = new ArrayList<>();
        private int port;
        private Clock clock = Clock.systemUTC();
        private boolean restoreImmediately;
        private int maxRequestBytes = 256 * 1024 * 1024;

        private Builder() {
        }

        /** Adds an accepted access key / secret key pair (may be called more than once). */
        public Builder credentials(String accessKey, String secretKey) {
            requireNonNull(accessKey, "accessKey is null");
            requireNonNull(secretKey, "secretKey is null");
            credentials.put(accessKey, secretKey);
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The clock for token deadlines, putTime and restore expiry; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /** Whether restoreAr makes an object readable at once instead of waiting for finishRestore. */
        public Builder restoreImmediately(boolean restoreImmediately) {
            this.restoreImmediately = restoreImmediately;
            return this;
        }

        /** The largest request body accepted (413 beyond); 256 MiB by default. */
        public Builder maxRequestBytes(int maxRequestBytes) {
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /** A bucket to create at start. */
        public Builder bucket(String bucket) {
            buckets.add(requireNonNull(bucket, "bucket is null"));
            return this;
        }

        public KodoEmulator start() {
            if (credentials.isEmpty()) {
                throw new IllegalStateException("credentials are required");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalStateException("port out of range: " + port);
            }
            if (maxRequestBytes < 1) {
                throw new IllegalStateException("maxRequestBytes must be positive: " + maxRequestBytes);
            }
            return new KodoEmulator(this);
        }
    }

    /** Answers a body larger than the aggregator takes the Kodo way (JSON error, X-Reqid), and closes. */
    private static void tooLarge(ChannelHandlerContext ctx, KodoHttpHandler handler) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(Json.write(Map.of("error", "request entity too large"))));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        response.headers().set("X-Reqid", handler.nextReqId());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
