package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.batch.Outcome;
import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.oss.OssExchange;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.test.RequestJournalProxy;
import dev.barge.test.TempDirs;
import dev.barge.test.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The requests a migration sends per object, counted at the server's door: S3 requests through a
 * {@link RequestJournalProxy} in front of S3Proxy, OSS requests in the emulator's journal. What a
 * listing already told (size, etag, storage class) is not asked again, so a copy within one store
 * is one request per object, and a small object between two stores one GET and one PUT.
 */
@SpringBootTest
class RequestsPerObjectTest {
    private static final int OBJECTS = 30;
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();
    private static final S3ProxyServer S3 = S3ProxyServer.inMemoryForTests();
    private static final RequestJournalProxy DOOR = RequestJournalProxy.inFrontOf(S3.endpoint());
    private static final OssEmulator OSS = OssEmulator.start("oss-ak", "oss-sk");
    private static final Path DISK = TempDirs.create("barge-requests-");

    @Autowired
    MigrateJob migrate;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JobRecords records;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SCHEMA.register(registry);
        registry.add("barge.remotes.disk.type", () -> "local");
        registry.add("barge.remotes.disk.root", DISK::toString);
        registry.add("barge.remotes.disk.options.sync", () -> "false");
        for (String name : List.of("s3a", "s3b", "walker")) {
            S3ProxyServer.registerRemote(registry, name, DOOR::endpoint);
        }
        registry.add("barge.remotes.walker.options.listing", () -> "walk");
        registry.add("barge.remotes.oss.type", () -> "oss");
        registry.add("barge.remotes.oss.endpoint", OSS::endpoint);
        registry.add("barge.remotes.oss.access-key-id", () -> "oss-ak");
        registry.add("barge.remotes.oss.secret-access-key", () -> "oss-sk");
    }

    @AfterAll
    static void stop() throws Exception {
        DOOR.close();
        S3.close();
        OSS.close();
        SCHEMA.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        DOOR.clear();
    }

    @Test
    void aCopyWithinOneS3StoreIsOneRequestPerObject() throws Exception {
        String in = bucket(stores.store("s3a"));
        String out = bucket(stores.store("s3a"));
        fill(stores.store("s3a"), in);
        DOOR.clear();

        JobExecution execution = migrate.run(MigrateParameters.builder("s3a:" + in, "s3b:" + out).build());

        assertCopied(execution);
        assertThat(DOOR.requests(objectIn(out)).stream().filter(r -> r.startsWith("PUT ")).count())
                .as("copies into %s", out).isEqualTo(OBJECTS);
        assertThat(DOOR.requests(objectIn(in))).as("requests about single source objects").isEmpty();
        assertThat(DOOR.requests(r -> r.startsWith("HEAD "))).isEmpty();
        assertThat(DOOR.requests(objectRequest())).hasSize(OBJECTS);
    }

    @Test
    void aSmallObjectFromDiskToS3IsOnePut() throws Exception {
        String in = "disk-" + BUCKETS.incrementAndGet();
        String out = bucket(stores.store("s3a"));
        Path dir = Files.createDirectories(DISK.resolve(in));
        for (int i = 0; i < OBJECTS; i++) {
            Files.writeString(dir.resolve("file-" + i), "content " + i);
        }
        DOOR.clear();

        JobExecution execution = migrate.run(MigrateParameters.builder("disk:" + in, "s3a:" + out).build());

        assertCopied(execution);
        assertThat(DOOR.requests(objectRequest())).hasSize(OBJECTS).allMatch(r -> r.startsWith("PUT /" + out + "/"));
    }

    @Test
    void aSmallObjectFromS3ToDiskIsOneGet() throws Exception {
        String in = bucket(stores.store("s3a"));
        String out = "disk-" + BUCKETS.incrementAndGet();
        Files.createDirectories(DISK.resolve(out));
        fill(stores.store("s3a"), in);
        DOOR.clear();

        JobExecution execution = migrate.run(MigrateParameters.builder("s3a:" + in, "disk:" + out).build());

        assertCopied(execution);
        assertThat(DOOR.requests(objectRequest())).hasSize(OBJECTS).allMatch(r -> r.startsWith("GET /" + in + "/"));
    }

    @Test
    void aCopyWithinOneOssStoreIsOneRequestPerObject() throws Exception {
        ObjectStore oss = stores.store("oss");
        String in = bucket(oss);
        String out = bucket(oss);
        fill(oss, in);
        OSS.clearJournal();

        JobExecution execution = migrate.run(MigrateParameters.builder("oss:" + in, "oss:" + out).build());

        assertCopied(execution);
        List<OssExchange> aboutObjects = OSS.journal().stream().filter(e -> e.request().key() != null).toList();
        assertThat(aboutObjects).hasSize(OBJECTS).allSatisfy(e -> {
            assertThat(e.request().method()).isEqualTo("PUT");
            assertThat(e.request().bucket()).isEqualTo(out);
        });
    }

    @Test
    void aRemoteThatWalksListsDirectoryByDirectoryAndCopiesTheSame() throws Exception {
        ObjectStore walker = stores.store("walker");
        String in = bucket(walker);
        String out = bucket(walker);
        for (int i = 0; i < OBJECTS; i++) {
            walker.put(PutRequest.builder(in, "d" + (i % 3) + "/sub/object-" + i).build(),
                    Payload.ofBytes(("object " + i).getBytes()));
        }
        DOOR.clear();

        JobExecution execution = migrate.run(MigrateParameters.builder("walker:" + in, "walker:" + out).build());

        assertCopied(execution);
        List<String> listings = DOOR.requests(r -> r.startsWith("GET ") && r.contains("list-type=2"));
        assertThat(listings).isNotEmpty().allMatch(r -> r.contains("delimiter=%2F"));
        assertThat(DOOR.requests(objectIn(out)).stream().filter(r -> r.startsWith("PUT ")).count())
                .isEqualTo(OBJECTS);
    }

    private void assertCopied(JobExecution execution) {
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(records.totals(execution.getId()).get(Outcome.COPIED).objects()).isEqualTo(OBJECTS);
    }

    private static String bucket(ObjectStore store) {
        String bucket = "req-" + BUCKETS.incrementAndGet();
        store.createBucket(bucket);
        return bucket;
    }

    private static void fill(ObjectStore store, String bucket) {
        for (int i = 0; i < OBJECTS; i++) {
            store.put(PutRequest.builder(bucket, "dir/object-" + i).contentType("text/plain").build(),
                    Payload.ofBytes(("object " + i).getBytes()));
        }
    }

    /** A request about one object of {@code bucket} (path-style: /bucket/key), not a listing of it. */
    private static Predicate<String> objectIn(String bucket) {
        return r -> r.split(" ", 2)[1].startsWith("/" + bucket + "/") && r.split(" ", 2)[1].length() > bucket.length() + 2;
    }

    /** Any request about one object, in any bucket. */
    private static Predicate<String> objectRequest() {
        return r -> {
            String path = r.split(" ", 2)[1].split("\\?", 2)[0];
            return path.indexOf('/', 1) > 0 && path.indexOf('/', 1) < path.length() - 1;
        };
    }
}
