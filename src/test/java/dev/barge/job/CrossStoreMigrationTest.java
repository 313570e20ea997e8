package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.Outcome;
import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.qiniu.KodoEmulator;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.test.TempDirs;
import dev.barge.test.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The migrate job between every pair of drivers, through their real SDKs: local, S3 (S3Proxy),
 * Aliyun OSS and Qiniu Kodo (Barge's emulators), with the job repository on PostgreSQL. Two
 * remote names on one S3 endpoint with one set of credentials are one store: objects move by
 * server-side copy, and the metrics show no object bytes passed through Barge.
 */
@SpringBootTest(properties = {
        "barge.transfer.multipart-threshold=1MB",
        "barge.transfer.part-size=1MB"})
@Import(CrossStoreMigrationTest.Metrics.class)
class CrossStoreMigrationTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();
    private static final S3ProxyServer S3 = start(S3ProxyServer::inMemory);
    private static final OssEmulator OSS = OssEmulator.start("oss-ak", "oss-sk");
    private static final KodoEmulator KODO = KodoEmulator.start("kodo-ak", "kodo-sk");

    @TestConfiguration(proxyBeanMethods = false)
    static class Metrics {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    MigrateJob migrate;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JobRecords records;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SCHEMA.register(registry);
        Path root = TempDirs.create("barge-cross-");
        registry.add("barge.remotes.disk.type", () -> "local");
        registry.add("barge.remotes.disk.root", root::toString);
        registry.add("barge.remotes.disk.options.sync", () -> "false");
        registry.add("barge.remotes.disk.options.multipart-min-part-size", () -> "1MB");
        for (String name : List.of("s3a", "s3b")) {
            S3ProxyServer.registerRemote(registry, name, S3::endpoint);
        }
        registry.add("barge.remotes.oss.type", () -> "oss");
        registry.add("barge.remotes.oss.endpoint", OSS::endpoint);
        registry.add("barge.remotes.oss.access-key-id", () -> "oss-ak");
        registry.add("barge.remotes.oss.secret-access-key", () -> "oss-sk");
        registry.add("barge.remotes.kodo.type", () -> "qiniu");
        registry.add("barge.remotes.kodo.endpoint", () -> "http://" + KODO.hostAndPort());
        registry.add("barge.remotes.kodo.access-key-id", () -> "kodo-ak");
        registry.add("barge.remotes.kodo.secret-access-key", () -> "kodo-sk");
    }

    @AfterAll
    static void stop() throws Exception {
        S3.close();
        OSS.close();
        KODO.close();
        SCHEMA.close();
    }

    static Stream<Arguments> pairs() {
        List<String> remotes = List.of("disk", "s3a", "oss", "kodo");
        List<Arguments> pairs = new ArrayList<>();
        for (String from : remotes) {
            for (String to : remotes) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void migratesEveryObjectWithItsBytesTypeAndMetadataAndARerunCopiesNothing(String from, String to)
            throws Exception {
        ObjectStore source = stores.store(from);
        ObjectStore target = stores.store(to);
        String in = "in-" + BUCKETS.incrementAndGet();
        String out = "out-" + BUCKETS.incrementAndGet();
        source.createBucket(in);
        target.createBucket(out);
        Map<String, byte[]> objects = fill(source, in, 12);

        JobExecution first = migrate.run(MigrateParameters.builder(from + ":" + in + "/data", to + ":" + out + "/copy")
                .chunkSize(5).concurrency(4).build());

        assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(first.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
        for (Map.Entry<String, byte[]> object : objects.entrySet()) {
            String copy = "copy/" + object.getKey().substring("data/".length());
            assertThat(read(target, out, copy)).as("%s -> %s: %s", from, to, copy).isEqualTo(object.getValue());
            ObjectInfo info = target.stat(out, copy);
            ObjectInfo original = source.stat(in, object.getKey());
            assertThat(info.contentType()).as("content type of %s", copy).isEqualTo(original.contentType());
            assertThat(info.userMetadata()).as("metadata of %s", copy).containsAllEntriesOf(original.userMetadata());
        }
        assertThat(records.totals(first.getId()).get(Outcome.COPIED).objects()).isEqualTo(objects.size());

        JobExecution again = migrate.run(MigrateParameters.builder(from + ":" + in + "/data", to + ":" + out + "/copy")
                .chunkSize(5).concurrency(4).build());

        assertThat(again.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(records.totals(again.getId()).get(Outcome.COPIED)).isEqualTo(new ExecutionRecords.Total(0, 0));
        assertThat(records.totals(again.getId()).get(Outcome.SKIPPED_IDENTICAL).objects()).isEqualTo(objects.size());
    }

    @Test
    void withinOneS3StoreObjectsAreCopiedServerSideWithoutPassingThroughBarge() throws Exception {
        ObjectStore a = stores.store("s3a");
        String in = "in-" + BUCKETS.incrementAndGet();
        String out = "out-" + BUCKETS.incrementAndGet();
        a.createBucket(in);
        a.createBucket(out);
        Map<String, byte[]> objects = fill(a, in, 10);
        double readBefore = bytes("s3a", "in") + bytes("s3b", "in");
        double sentBefore = bytes("s3a", "out") + bytes("s3b", "out");

        JobExecution execution = migrate.run(MigrateParameters.builder("s3a:" + in + "/data", "s3b:" + out)
                .chunkSize(5).build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(stores.sameStore("s3a", "s3b")).isTrue();
        assertThat(bytes("s3a", "in") + bytes("s3b", "in")).as("object bytes read through Barge").isEqualTo(readBefore);
        assertThat(bytes("s3a", "out") + bytes("s3b", "out")).as("object bytes sent by Barge").isEqualTo(sentBefore);
        objects.forEach((key, data) -> assertThat(read(stores.store("s3b"), out, key.substring("data/".length())))
                .isEqualTo(data));
    }

    @Test
    void tenThousandObjectsFromLocalToS3AndARerunTransfersNothing() throws Exception {
        ObjectStore disk = stores.store("disk");
        ObjectStore s3 = stores.store("s3a");
        String in = "many-" + BUCKETS.incrementAndGet();
        String out = "many-" + BUCKETS.incrementAndGet();
        disk.createBucket(in);
        s3.createBucket(out);
        Path bucketDir = Path.of(stores.remote("disk").root().toString(), in);
        for (int i = 0; i < 10_000; i++) {
            Path file = bucketDir.resolve(String.format("p%03d/o%05d", i % 100, i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, "object " + i);
        }

        JobExecution first = migrate.run(MigrateParameters.builder("disk:" + in, "s3a:" + out)
                .chunkSize(500).concurrency(16).build());
        double sentAfterFirst = bytes("s3a", "out");
        JobExecution again = migrate.run(MigrateParameters.builder("disk:" + in, "s3a:" + out)
                .chunkSize(500).concurrency(16).build());

        assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(records.totals(first.getId()).get(Outcome.COPIED).objects()).isEqualTo(10_000);
        assertThat(again.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(records.totals(again.getId()).get(Outcome.COPIED)).isEqualTo(new ExecutionRecords.Total(0, 0));
        assertThat(records.totals(again.getId()).get(Outcome.SKIPPED_IDENTICAL).objects()).isEqualTo(10_000);
        assertThat(bytes("s3a", "out")).as("bytes sent by the re-run").isEqualTo(sentAfterFirst);
        assertThat(count(s3, out)).isEqualTo(10_000);
    }

    @Test
    void aSyncToS3ProxyWhichListsInUtf16OrderStopsBeforeDeletingWhatTheSourceHolds() throws Exception {
        ObjectStore disk = stores.store("disk");
        ObjectStore s3 = stores.store("s3a");
        String in = "order-" + BUCKETS.incrementAndGet();
        String out = "order-" + BUCKETS.incrementAndGet();
        disk.createBucket(in);
        s3.createBucket(out);
        // by UTF-8 bytes: a\uFFFD, a + emoji, b; S3Proxy lists the emoji first, by UTF-16 units
        List<String> keys = List.of("a\uFFFD", "a\uD83D\uDE00", "b");
        for (String key : keys) {
            disk.put(PutRequest.builder(in, key).build(), Payload.ofBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        MigrateParameters sync = MigrateParameters.builder("disk:" + in, "s3a:" + out)
                .mode(dev.barge.batch.MigrationMode.SYNC).deleteExtraneous(true).build();

        JobExecution first = migrate.run(sync);
        JobExecution second = migrate.run(sync);

        assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(second.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(second.getExitStatus().getExitDescription())
                .startsWith("remote 's3a' listed 'a\\uFFFD' after 'a\uD83D\uDE00' in bucket '" + out + "'");
        assertThat(records.totals(second.getId()).get(Outcome.DELETED).objects()).isZero();
        for (String key : keys) {
            assertThat(read(s3, out, key)).as(key).isEqualTo(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void aKeyTooLongForS3IsRecordedAndTheOthersAreCopied() throws Exception {
        ObjectStore disk = stores.store("disk");
        ObjectStore s3 = stores.store("s3a");
        String in = "long-" + BUCKETS.incrementAndGet();
        String out = "long-" + BUCKETS.incrementAndGet();
        disk.createBucket(in);
        s3.createBucket(out);
        // 1,006 bytes: the local driver holds it; under the target prefix it is past S3's 1,024
        String longKey = "k".repeat(200) + "/" + String.join("/", java.util.Collections.nCopies(4, "\u00e9".repeat(100)))
                + "/x";
        disk.put(PutRequest.builder(in, longKey).build(), Payload.ofBytes(new byte[] {1}));
        disk.put(PutRequest.builder(in, "short").build(), Payload.ofBytes(new byte[] {2}));
        String prefix = "a-prefix-that-takes-the-key-past-1024-bytes/";

        JobExecution execution = migrate.run(MigrateParameters.builder("disk:" + in, "s3a:" + out + "/" + prefix)
                .build());

        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(records.failures(execution.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo(longKey);
            assertThat(f.kind()).isEqualTo("INVALID_ARGUMENT");
        });
        assertThat(read(s3, out, prefix + "short")).containsExactly(2);
    }

    private double bytes(String remote, String direction) {
        var counter = meters.find("barge.storage.bytes").tag("remote", remote).tag("direction", direction).counter();
        return counter == null ? 0 : counter.count();
    }

    private static Map<String, byte[]> fill(ObjectStore store, String bucket, int count) {
        Map<String, byte[]> objects = new TreeMap<>();
        Random random = new Random(count);
        for (int i = 0; i < count; i++) {
            String key = "data/" + (i % 2 == 0 ? "even/" : "odd/") + "file " + i + (i == 3 ? "-é中.bin" : ".bin");
            byte[] data = new byte[i == 5 ? 2 * (1 << 20) + 123 : random.nextInt(4000) + 1];
            random.nextBytes(data);
            store.put(PutRequest.builder(bucket, key).contentType("application/x-test-" + i)
                    .userMetadata(Map.of("origin", "fill-" + i)).build(), Payload.ofBytes(data));
            objects.put(key, data);
        }
        return objects;
    }

    private static long count(ObjectStore store, String bucket) {
        long n = 0;
        ListRequest request = ListRequest.of(bucket, "");
        while (true) {
            var page = store.list(request);
            n += page.objects().size();
            if (!page.truncated()) {
                return n;
            }
            request = request.next(page);
        }
    }

    private static byte[] read(ObjectStore store, String bucket, String key) {
        try (ObjectContent content = store.get(bucket, key)) {
            return content.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface Starter<T> {
        T start() throws Exception;
    }

    private static <T> T start(Starter<T> starter) {
        try {
            return starter.start();
        } catch (Exception e) {
            throw new IllegalStateException("a test server did not start", e);
        }
    }
}
