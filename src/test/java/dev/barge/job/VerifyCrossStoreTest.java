package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.IdentityCheck;
import dev.barge.batch.Outcome;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The verify job across vendors, through their real SDKs: the local driver, S3 (S3Proxy) and Qiniu
 * Kodo (Barge's emulator), with the job repository on PostgreSQL. Where the two sides report a
 * checksum in common it decides; where they don't (an S3 multipart etag against a qetag) only
 * {@code download} looks at the bytes.
 */
@SpringBootTest(properties = {
        "barge.transfer.multipart-threshold=1MB",
        "barge.transfer.part-size=1MB"})
@Import(StoreFaults.class)
class VerifyCrossStoreTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();
    private static final S3ProxyServer S3 = S3ProxyServer.inMemoryForTests();
    private static final KodoEmulator KODO = KodoEmulator.start("kodo-ak", "kodo-sk");

    @Autowired
    VerifyJob verify;

    @Autowired
    MigrateJob migrate;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JobRecords records;

    @Autowired
    StoreFaults faults;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SCHEMA.register(registry);
        Path root = TempDirs.create("barge-verify-cross-");
        registry.add("barge.remotes.disk.type", () -> "local");
        registry.add("barge.remotes.disk.root", root::toString);
        registry.add("barge.remotes.disk.options.sync", () -> "false");
        registry.add("barge.remotes.disk.options.multipart-min-part-size", () -> "1MB");
        S3ProxyServer.registerRemote(registry, "s3", S3::endpoint);
        registry.add("barge.remotes.kodo.type", () -> "qiniu");
        registry.add("barge.remotes.kodo.endpoint", () -> "http://" + KODO.hostAndPort());
        registry.add("barge.remotes.kodo.access-key-id", () -> "kodo-ak");
        registry.add("barge.remotes.kodo.secret-access-key", () -> "kodo-sk");
    }

    @AfterAll
    static void stop() throws Exception {
        S3.close();
        KODO.close();
        SCHEMA.close();
    }

    @Test
    void identicalTreesOnDiskAndS3MatchByChecksumAndAChangedByteIsFoundWithoutDownloading() throws Exception {
        ObjectStore disk = stores.store("disk");
        ObjectStore s3 = stores.store("s3");
        String in = "vdisk-" + BUCKETS.incrementAndGet();
        String out = "vs3-" + BUCKETS.incrementAndGet();
        disk.createBucket(in);
        s3.createBucket(out);
        Map<String, byte[]> objects = objects(15, 5000);
        objects.forEach((key, data) -> {
            disk.put(PutRequest.builder(in, "data/" + key).build(), Payload.ofBytes(data));
            s3.put(PutRequest.builder(out, key).build(), Payload.ofBytes(data));
        });
        Map<String, String> diskBefore = digests(disk, in);
        Map<String, String> s3Before = digests(s3, out);

        JobExecution same = verify.run(parameters("disk:" + in + "/data", "s3:" + out, false));

        assertThat(same.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(same.getExitStatus().getExitCode()).isEqualTo(ExitStatus.COMPLETED.getExitCode());
        long bytes = objects.values().stream().mapToLong(b -> b.length).sum();
        assertThat(records.totals(same.getId()).get(Outcome.MATCHED)).isEqualTo(new ExecutionRecords.Total(15, bytes));
        assertThat(records.failures(same.getId())).isEmpty();
        assertThat(digests(disk, in)).isEqualTo(diskBefore);
        assertThat(digests(s3, out)).isEqualTo(s3Before);

        String changed = objects.keySet().stream().skip(6).findFirst().orElseThrow();
        s3.put(PutRequest.builder(out, changed).build(), Payload.ofBytes(flipped(objects.get(changed))));
        s3.delete(out, objects.keySet().iterator().next());

        JobExecution differs = verify.run(parameters("disk:" + in + "/data", "s3:" + out, false));

        assertThat(differs.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(differs.getExitStatus().getExitCode()).isEqualTo(VerifyJob.DIFFERENCES_FOUND);
        assertThat(records.totals(differs.getId()).get(Outcome.MATCHED).objects()).isEqualTo(13);
        assertThat(records.failures(differs.getId())).extracting(JobRecords.Failure::key, JobRecords.Failure::kind)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("data/" + objects.keySet().iterator().next(),
                                "MISSING_AT_TARGET"),
                        org.assertj.core.groups.Tuple.tuple("data/" + changed, "DIFFERENT"));
    }

    @Test
    void aFlippedByteBetweenAnS3MultipartObjectAndKodoIsFoundOnlyByDownloading() throws Exception {
        ObjectStore disk = stores.store("disk");
        ObjectStore s3 = stores.store("s3");
        ObjectStore kodo = stores.store("kodo");
        String staging = "vstage-" + BUCKETS.incrementAndGet();
        String in = "vmp-" + BUCKETS.incrementAndGet();
        String out = "vkodo-" + BUCKETS.incrementAndGet();
        disk.createBucket(staging);
        s3.createBucket(in);
        kodo.createBucket(out);
        Map<String, byte[]> objects = objects(4, 3000);
        byte[] large = new byte[3 * (1 << 20) + 17];
        new Random(42).nextBytes(large);
        objects.put("large.bin", large);
        objects.forEach((key, data) -> disk.put(PutRequest.builder(staging, key).build(), Payload.ofBytes(data)));
        // migrate puts the large object to S3 in parts: its etag is no MD5
        assertThat(migrate.run(MigrateParameters.builder("disk:" + staging, "s3:" + in).build()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
        ObjectInfo multipart = s3.stat(in, "large.bin");
        assertThat(multipart.etag()).contains("-");
        assertThat(multipart.checksums()).isEmpty();
        // the local source's MD5 against the one the multipart copy recorded in its metadata: decided
        // without reading a byte, even with download asked for (every read of S3 would be refused)
        faults.arm("s3", StoreFaults.EVERY_KEY, StoreFaults.Fault.DENY_READ);
        JobExecution copied = verify.run(parameters("disk:" + staging, "s3:" + in, true));
        faults.clear();
        assertThat(copied.getExitStatus().getExitCode()).isEqualTo(ExitStatus.COMPLETED.getExitCode());
        assertThat(records.totals(copied.getId()).get(Outcome.MATCHED).objects()).isEqualTo(5);
        // the metadata can't be asked for: that key is recorded, the others are compared
        faults.arm("s3", "large.bin", StoreFaults.Fault.LOSE_WRITE);
        JobExecution headless = verify.run(parameters("disk:" + staging, "s3:" + in, false));
        faults.clear();
        assertThat(headless.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(headless.getExitStatus().getExitCode()).isEqualTo(VerifyJob.COMPLETED_WITH_SKIPS);
        assertThat(records.totals(headless.getId()).get(Outcome.MATCHED).objects()).isEqualTo(4);
        assertThat(records.failures(headless.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("large.bin");
            assertThat(f.kind()).isEqualTo("NOT_FOUND");
            assertThat(f.isFinding()).isFalse();
        });
        objects.forEach((key, data) -> kodo.put(PutRequest.builder(out, key).build(),
                Payload.ofBytes(key.equals("large.bin") ? flipped(data) : data)));
        Map<String, String> s3Before = digests(s3, in);
        Map<String, String> kodoBefore = digests(kodo, out);

        JobExecution listed = verify.run(parameters("s3:" + in, "kodo:" + out, false));
        JobExecution downloaded = verify.run(parameters("s3:" + in, "kodo:" + out, true));

        assertThat(listed.getExitStatus().getExitCode()).as("nothing compares a multipart etag with a qetag")
                .isEqualTo(ExitStatus.COMPLETED.getExitCode());
        assertThat(records.totals(listed.getId()).get(Outcome.MATCHED).objects()).isEqualTo(5);
        assertThat(downloaded.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(downloaded.getExitStatus().getExitCode()).isEqualTo(VerifyJob.DIFFERENCES_FOUND);
        assertThat(records.totals(downloaded.getId()).get(Outcome.MATCHED).objects()).isEqualTo(4);
        assertThat(records.totals(downloaded.getId()).get(Outcome.DIFFERENT))
                .isEqualTo(new ExecutionRecords.Total(1, large.length));
        assertThat(records.failures(downloaded.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("large.bin");
            assertThat(f.kind()).isEqualTo("DIFFERENT");
            assertThat(f.message()).startsWith("content differs: MD5 " + md5(large));
        });
        assertThat(digests(s3, in)).isEqualTo(s3Before);
        assertThat(digests(kodo, out)).isEqualTo(kodoBefore);
    }

    private static VerifyParameters parameters(String source, String target, boolean download) {
        return new VerifyParameters(source, target, Selection.ALL, IdentityCheck.CHECKSUM, download, 4, 3, 100);
    }

    private static Map<String, byte[]> objects(int count, int maxSize) {
        Map<String, byte[]> objects = new TreeMap<>();
        Random random = new Random(count);
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[1 + random.nextInt(maxSize)];
            random.nextBytes(data);
            objects.put(String.format("%s/o%02d", i % 2 == 0 ? "a" : "b", i), data);
        }
        return objects;
    }

    private static byte[] flipped(byte[] data) {
        byte[] copy = Arrays.copyOf(data, data.length);
        copy[copy.length / 2] ^= 0x10;
        return copy;
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every object of a bucket with the MD5 of its bytes. */
    private static Map<String, String> digests(ObjectStore store, String bucket) {
        Map<String, String> digests = new TreeMap<>();
        ListRequest request = ListRequest.of(bucket, "");
        while (true) {
            var page = store.list(request);
            for (ObjectInfo o : page.objects()) {
                try (ObjectContent content = store.get(bucket, o.key())) {
                    digests.put(o.key(), md5(content.body().readAllBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (!page.truncated()) {
                return digests;
            }
            request = request.next(page);
        }
    }
}
