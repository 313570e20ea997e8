package dev.barge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The benchmark's helper for {@code bench/run.sh}: makes the data sets, seeds buckets, and measures the
 * raw ceiling of the S3 server on this machine, a tight multi-threaded AWS SDK v2 client doing PUT,
 * COPY and GET of the same objects the tools move (case f).
 *
 * <p>The client is as lean as the SDK allows, so that on a small machine it leaves the server as much
 * CPU as it can: no flexible checksums, no payload signing (UNSIGNED-PAYLOAD over http), no retries,
 * one connection per thread, bodies streamed from files and GETs read into a reused buffer and
 * discarded. It is the server's limit, not a durability-equivalent migration: nothing is verified.
 *
 * <pre>
 * gen DIR COUNT SIZE DIRS               files DIR/dNNN/object-NNNNNNN, random bytes (seed 42)
 * put ENDPOINT BUCKET DIR THREADS       creates BUCKET if missing and PUTs every file under DIR
 * ceiling ENDPOINT DIR THREADS PID TAG  warm-up, then timed PUT, COPY and GET of every file under DIR;
 *                                       PID is the server's process, for its CPU seconds
 * list ENDPOINT BUCKET PAGES PID        what one listing page costs the server: after a warm-up, PAGES
 *                                       ListObjectsV2 requests of 1000 keys, one at a time, each from
 *                                       start-after a key drawn at random from the bucket's first page
 *                                       and its continuation pages (the bucket's real keys); wall and
 *                                       server CPU per page
 * </pre>
 *
 * Credentials come from {@code BENCH_KEY} and {@code BENCH_SECRET}.
 */
public final class S3Ceiling {
    private S3Ceiling() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "gen" -> generate(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]),
                    Integer.parseInt(args[4]));
            case "put" -> {
                try (S3Client s3 = client(args[1], Integer.parseInt(args[4]))) {
                    List<String> keys = keys(Path.of(args[3]));
                    createBucket(s3, args[2]);
                    run(Integer.parseInt(args[4]), keys, key -> put(s3, args[2], key, Path.of(args[3])));
                }
            }
            case "ceiling" -> ceiling(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]),
                    args[5]);
            case "list" -> listCost(args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]));
            default -> throw new IllegalArgumentException("gen, put, ceiling or list: " + args[0]);
        }
    }

    /** COUNT files of SIZE random bytes spread over DIRS directories; the same bytes on every run. */
    static void generate(Path dir, int count, long size, int dirs) throws IOException {
        Random random = new Random(42);
        byte[] block = new byte[(int) Math.min(size, 1 << 20)];
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve(key(i, dirs));
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long left = size; left > 0; left -= block.length) {
                    random.nextBytes(block);
                    out.write(block, 0, (int) Math.min(left, block.length));
                }
            }
        }
    }

    static String key(int i, int dirs) {
        return String.format("d%03d/object-%07d", i % dirs, i);
    }

    private static void ceiling(String endpoint, Path dir, int threads, long serverPid, String tag) throws Exception {
        List<String> keys = keys(dir);
        long bytes = 0;
        for (String key : keys) {
            bytes += Files.size(dir.resolve(key));
        }
        try (S3Client s3 = client(endpoint, threads)) {
            String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            String put = "ceil-put-" + run;
            String copy = "ceil-copy-" + run;
            String warm = "ceil-warm-" + run;
            createBucket(s3, put);
            createBucket(s3, copy);
            createBucket(s3, warm);
            // Warm-up: the JIT compiles the request path before anything is timed (the steady state).
            List<String> warmKeys = keys.subList(0, Math.min(keys.size(), bytes / keys.size() > (1 << 20) ? 1 : Integer.getInteger("bench.warm", 2000)));
            run(threads, warmKeys, key -> put(s3, warm, key, dir));
            run(threads, warmKeys, key -> copy(s3, warm, warm, key, "w/" + key));
            run(threads, warmKeys, key -> get(s3, warm, key));

            long size = bytes;
            phase(tag, "PUT", threads, keys.size(), size, serverPid, () -> run(threads, keys, key -> put(s3, put, key, dir)));
            phase(tag, "COPY", threads, keys.size(), size, serverPid,
                    () -> run(threads, keys, key -> copy(s3, put, copy, key, key)));
            phase(tag, "GET", threads, keys.size(), size, serverPid, () -> run(threads, keys, key -> get(s3, put, key)));
        }
    }

    /** One line, {@code LISTCOST ...}: wall and server CPU per start-after page of 1000 keys. */
    private static void listCost(String endpoint, String bucket, int pages, long serverPid) throws Exception {
        try (S3Client s3 = client(endpoint, 1)) {
            // every 1000th key of the bucket, from a walk by continuation token (untimed): start points
            List<String> points = new ArrayList<>();
            String token = null;
            int keys = 0;
            do {
                String t = token;
                var page = s3.listObjectsV2(r -> r.bucket(bucket).maxKeys(1000).continuationToken(t));
                page.contents().stream().findFirst().ifPresent(o -> points.add(o.key()));
                keys += page.keyCount();
                token = page.nextContinuationToken();
            } while (token != null);
            Random random = new Random(7);
            for (int i = 0; i < 5; i++) {
                String after = points.get(random.nextInt(points.size()));
                s3.listObjectsV2(r -> r.bucket(bucket).maxKeys(1000).startAfter(after));
            }
            long server0 = serverTicks(serverPid);
            long t0 = System.nanoTime();
            long listed = 0;
            for (int i = 0; i < pages; i++) {
                String after = points.get(random.nextInt(points.size()));
                listed += s3.listObjectsV2(r -> r.bucket(bucket).maxKeys(1000).startAfter(after)).keyCount();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double server = (serverTicks(serverPid) - server0) / 100.0;
            System.out.printf("LISTCOST bucket=%s keys=%d pages=%d keys_per_page=%.0f wall_ms_per_page=%.1f"
                    + " server_cpu_ms_per_page=%.1f%n", bucket, keys, pages, (double) listed / pages,
                    seconds * 1000 / pages, server * 1000 / pages);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    /** One timed phase, printed as one line that bench/run.sh parses. */
    private static void phase(String tag, String op, int threads, int objects, long bytes, long serverPid, Work work)
            throws Exception {
        long server0 = serverTicks(serverPid);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        double server = (serverTicks(serverPid) - server0) / 100.0;
        System.out.printf("CEILING %s %s threads=%d objects=%d wall=%.3f objps=%.1f mibps=%.1f client_cpu=%.2f"
                        + " server_cpu=%.2f%n", tag, op, threads, objects, seconds, objects / seconds,
                bytes / seconds / (1 << 20), cpu, server);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime + stime of a process in clock ticks (100 per second on Linux). */
    static long serverTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static List<String> keys(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static void run(int threads, List<String> keys, Consumer<String> action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < keys.size(); i = next.getAndIncrement()) {
                        action.accept(keys.get(i));
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void put(S3Client s3, String bucket, String key, Path dir) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(dir.resolve(key)));
    }

    private static void copy(S3Client s3, String from, String to, String key, String targetKey) {
        s3.copyObject(r -> r.sourceBucket(from).sourceKey(key).destinationBucket(to).destinationKey(targetKey));
    }

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[1 << 16]);

    private static void get(S3Client s3, String bucket, String key) {
        byte[] buffer = BUFFER.get();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(key))) {
            drain(in, buffer);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void drain(InputStream in, byte[] buffer) throws IOException {
        while (in.read(buffer) >= 0) {
            // discarded
        }
    }

    private static void createBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(r -> r.bucket(bucket));
        }
    }

    private static S3Client client(String endpoint, int threads) {
        S3AuthSchemeProvider defaults = S3AuthSchemeProvider.defaultProvider();
        Endpoint root = Endpoint.builder().url(URI.create(endpoint)).build();
        Map<String, Endpoint> buckets = new ConcurrentHashMap<>();
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                // a fixed path-style endpoint per bucket: no endpoint rules engine on every request
                .endpointProvider(params -> CompletableFuture.completedFuture(params.bucket() == null ? root
                        : buckets.computeIfAbsent(params.bucket(),
                                b -> Endpoint.builder().url(URI.create(endpoint + "/" + b)).build())))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(System.getenv("BENCH_KEY"), System.getenv("BENCH_SECRET"))))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // UNSIGNED-PAYLOAD: no SHA-256 of every body over plain http
                .authSchemeProvider(params -> defaults.resolveAuthScheme(params).stream()
                        .map(option -> option.toBuilder()
                                .putSignerProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                                .putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)
                                .build())
                        .toList())
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(threads + 4))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
