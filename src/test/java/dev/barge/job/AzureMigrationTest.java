package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.Outcome;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.azure.AzuriteServer;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.test.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
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
 * The migrate job from and to Azure Blob Storage (Azurite) through the remotes of a Barge
 * configuration: Azure to S3 (S3Proxy) and back, byte for byte, with parts on both sides, and within
 * one Azure account by server-side copy. The job repository is PostgreSQL.
 */
@SpringBootTest(properties = {
        "barge.transfer.multipart-threshold=1MB",
        "barge.transfer.part-size=1MB"})
@Import(AzureMigrationTest.Metrics.class)
class AzureMigrationTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();
    private static final S3ProxyServer S3 = S3ProxyServer.inMemoryForTests();
    private static final AzuriteServer AZURITE = AzuriteServer.start();

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
    static void properties(DynamicPropertyRegistry registry) {
        SCHEMA.register(registry);
        S3ProxyServer.registerRemote(registry, "s3", S3::endpoint);
        AZURITE.registerRemote(registry, "blob");
        AZURITE.registerRemote(registry, "blob2");
    }

    @AfterAll
    static void stop() throws Exception {
        AZURITE.close();
        S3.close();
        SCHEMA.close();
    }

    @Test
    void azureToS3AndBackIsByteIdenticalAndARerunCopiesNothing() throws Exception {
        ObjectStore azure = stores.store("blob");
        ObjectStore s3 = stores.store("s3");
        String origin = "origin-" + BUCKETS.incrementAndGet();
        String middle = "middle-" + BUCKETS.incrementAndGet();
        String back = "back-" + BUCKETS.incrementAndGet();
        azure.createBucket(origin);
        s3.createBucket(middle);
        azure.createBucket(back);
        Map<String, byte[]> objects = fill(azure, origin, 10);

        JobExecution there = migrate.run(MigrateParameters.builder("blob:" + origin, "s3:" + middle)
                .chunkSize(4).concurrency(4).build());
        JobExecution home = migrate.run(MigrateParameters.builder("s3:" + middle, "blob:" + back)
                .chunkSize(4).concurrency(4).build());

        assertThat(there.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(home.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(records.totals(there.getId()).get(Outcome.COPIED).objects()).isEqualTo(objects.size());
        assertThat(records.totals(home.getId()).get(Outcome.COPIED).objects()).isEqualTo(objects.size());
        for (Map.Entry<String, byte[]> object : objects.entrySet()) {
            String key = object.getKey();
            assertThat(read(s3, middle, key)).as("on S3: %s", key).isEqualTo(object.getValue());
            assertThat(read(azure, back, key)).as("back on Azure: %s", key).isEqualTo(object.getValue());
            ObjectInfo original = azure.stat(origin, key);
            ObjectInfo returned = azure.stat(back, key);
            assertThat(returned.contentType()).as("content type of %s", key).isEqualTo(original.contentType());
            assertThat(returned.userMetadata()).as("metadata of %s", key).containsAllEntriesOf(original.userMetadata());
        }

        JobExecution again = migrate.run(MigrateParameters.builder("s3:" + middle, "blob:" + back)
                .chunkSize(4).concurrency(4).build());
        assertThat(again.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(records.totals(again.getId()).get(Outcome.COPIED)).isEqualTo(new ExecutionRecords.Total(0, 0));
        assertThat(records.totals(again.getId()).get(Outcome.SKIPPED_IDENTICAL).objects()).isEqualTo(objects.size());
    }

    @Test
    void withinOneAccountObjectsAreCopiedServerSideWithoutPassingThroughBarge() throws Exception {
        ObjectStore azure = stores.store("blob");
        String in = "in-" + BUCKETS.incrementAndGet();
        String out = "out-" + BUCKETS.incrementAndGet();
        azure.createBucket(in);
        azure.createBucket(out);
        Map<String, byte[]> objects = fill(azure, in, 6);
        double readBefore = bytes("blob", "in") + bytes("blob2", "in");
        double sentBefore = bytes("blob", "out") + bytes("blob2", "out");

        JobExecution execution = migrate.run(MigrateParameters.builder("blob:" + in, "blob2:" + out).build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(stores.sameStore("blob", "blob2")).isTrue();
        assertThat(bytes("blob", "in") + bytes("blob2", "in")).as("object bytes read through Barge")
                .isEqualTo(readBefore);
        assertThat(bytes("blob", "out") + bytes("blob2", "out")).as("object bytes sent by Barge")
                .isEqualTo(sentBefore);
        for (Map.Entry<String, byte[]> object : objects.entrySet()) {
            assertThat(read(stores.store("blob2"), out, object.getKey())).isEqualTo(object.getValue());
            assertThat(stores.store("blob2").stat(out, object.getKey()).userMetadata())
                    .containsAllEntriesOf(azure.stat(in, object.getKey()).userMetadata());
        }
    }

    private double bytes(String remote, String direction) {
        var counter = meters.find("barge.storage.bytes").tag("remote", remote).tag("direction", direction).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Objects under nested keys, one of 2 MiB + 123 bytes (multipart at 1 MB parts), with type and metadata. */
    private static Map<String, byte[]> fill(ObjectStore store, String bucket, int count) {
        Map<String, byte[]> objects = new TreeMap<>();
        Random random = new Random(count);
        for (int i = 0; i < count; i++) {
            String key = "data/" + (i % 2 == 0 ? "even/" : "odd/") + "file " + i + (i == 3 ? "-é中.bin" : ".bin");
            byte[] data = new byte[i == 5 ? 2 * (1 << 20) + 123 : random.nextInt(4000) + 1];
            random.nextBytes(data);
            store.put(PutRequest.builder(bucket, key).contentType("application/x-test-" + i)
                    .userMetadata(Map.of("origin", "fill-" + i, "source-system", "azure-test")).build(),
                    Payload.ofBytes(data));
            objects.put(key, data);
        }
        return objects;
    }

    private static byte[] read(ObjectStore store, String bucket, String key) {
        try (ObjectContent content = store.get(bucket, key)) {
            return content.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
