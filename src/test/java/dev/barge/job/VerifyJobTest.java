package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.IdentityCheck;
import dev.barge.batch.ListingProgress;
import dev.barge.batch.Outcome;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.test.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The verify job between two local remotes, its repository in PostgreSQL: what it reports, key by
 * key and in totals, that it changes neither side, where a flipped byte needs {@code download}, and
 * how a run that failed or stopped half-way is finished by running it again.
 */
@SpringBootTest(properties = "barge.jobs.heartbeat-interval=1h")
@Import(StoreFaults.class)
class VerifyJobTest {
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @Autowired
    VerifyJob verify;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JobRecords records;

    @Autowired
    StoreFaults faults;

    @Autowired
    JobOperator operator;

    @Autowired
    JobRepository repository;

    private ObjectStore src;
    private ObjectStore dst;
    private String in;
    private String out;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SCHEMA.register(registry);
        MigrateJobContract.localRemotes(registry);
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @BeforeEach
    void buckets() {
        src = stores.store("src");
        dst = stores.store("dst");
        int n = BUCKETS.incrementAndGet();
        in = "vin" + n;
        out = "vout" + n;
        src.createBucket(in);
        dst.createBucket(out);
    }

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @Test
    void identicalTreesAllMatchAndNeitherSideIsTouched() throws Exception {
        long bytes = 0;
        for (int i = 0; i < 23; i++) {
            String data = "object number " + i + " ".repeat(i * 7);
            put(src, in, "data/" + (i % 2 == 0 ? "even/" : "odd/") + "k" + i, data);
            put(dst, out, "copy/" + (i % 2 == 0 ? "even/" : "odd/") + "k" + i, data);
            bytes += data.length();
        }
        put(src, in, "other/not-compared", "outside the prefix");
        Map<String, String> srcBefore = contents(src, in);
        Map<String, String> dstBefore = contents(dst, out);
        faults.clear(); // forget the writes above: only the job's count

        JobExecution execution = verify.run(parameters("src:" + in + "/data", "dst:" + out + "/copy", false, 5));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(ExitStatus.COMPLETED.getExitCode());
        Map<Outcome, ExecutionRecords.Total> totals = records.totals(execution.getId());
        assertThat(totals.get(Outcome.MATCHED)).isEqualTo(new ExecutionRecords.Total(23, bytes));
        assertThat(totals.get(Outcome.MISSING_AT_TARGET).objects()).isZero();
        assertThat(totals.get(Outcome.MISSING_AT_SOURCE).objects()).isZero();
        assertThat(totals.get(Outcome.DIFFERENT).objects()).isZero();
        assertThat(records.failures(execution.getId())).isEmpty();
        assertThat(contents(src, in)).isEqualTo(srcBefore);
        assertThat(contents(dst, out)).isEqualTo(dstBefore);
        assertThat(faults.written("src")).isEmpty();
        assertThat(faults.written("dst")).isEmpty();
        assertThat(faults.deleted("src")).isEmpty();
        assertThat(faults.deleted("dst")).isEmpty();
    }

    @Test
    void reportsEachMissingAndDifferentKeyWithWhatDiffersAndCountsThem() throws Exception {
        put(src, in, "d/a", "same");
        put(dst, out, "c/a", "same");
        put(src, in, "d/b-only-at-source", "bbb");
        put(src, in, "d/c-size", "abc");
        put(dst, out, "c/c-size", "abcd");
        put(src, in, "d/d-checksum", "abcd");
        put(dst, out, "c/d-checksum", "abce");
        put(src, in, "d/e", "also the same");
        put(dst, out, "c/e", "also the same");
        put(dst, out, "c/z-only-at-target", "zzzzz");
        Map<String, String> srcBefore = contents(src, in);
        Map<String, String> dstBefore = contents(dst, out);

        JobExecution execution = verify.run(parameters("src:" + in + "/d", "dst:" + out + "/c", false, 2));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(VerifyJob.DIFFERENCES_FOUND);
        assertThat(execution.getExitStatus().getExitDescription())
                .contains("1 missing at target", "1 missing at source", "2 different");
        Map<Outcome, ExecutionRecords.Total> totals = records.totals(execution.getId());
        assertThat(totals.get(Outcome.MATCHED)).isEqualTo(new ExecutionRecords.Total(2, 4 + 13));
        assertThat(totals.get(Outcome.MISSING_AT_TARGET)).isEqualTo(new ExecutionRecords.Total(1, 3));
        assertThat(totals.get(Outcome.MISSING_AT_SOURCE)).isEqualTo(new ExecutionRecords.Total(1, 5));
        assertThat(totals.get(Outcome.DIFFERENT)).isEqualTo(new ExecutionRecords.Total(2, 3 + 4));
        assertThat(totals.get(Outcome.FAILED).objects()).isZero();
        List<JobRecords.Failure> findings = records.failures(execution.getId());
        assertThat(findings).allSatisfy(f -> assertThat(f.isFinding()).isTrue());
        assertThat(findings).extracting(JobRecords.Failure::key, JobRecords.Failure::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("d/b-only-at-source", "MISSING_AT_TARGET"),
                org.assertj.core.groups.Tuple.tuple("d/c-size", "DIFFERENT"),
                org.assertj.core.groups.Tuple.tuple("d/d-checksum", "DIFFERENT"),
                org.assertj.core.groups.Tuple.tuple("c/z-only-at-target", "MISSING_AT_SOURCE"));
        assertThat(findings.get(0).message()).contains(out + "/c/b-only-at-source");
        assertThat(findings.get(1).message()).contains("sizes differ: 3 bytes at the source, 4 at the target");
        assertThat(findings.get(2).message()).startsWith("MD5 differs");
        assertThat(findings.get(3).message()).contains(in + "/d/z-only-at-target");
        assertThat(records.failureCount(execution.getId())).as("findings are no failures").isZero();
        assertThat(contents(src, in)).isEqualTo(srcBefore);
        assertThat(contents(dst, out)).isEqualTo(dstBefore);
    }

    @Test
    void aPartitionedVerificationFindsEveryDifferenceOnceInWhicheverRangeItFalls() throws Exception {
        for (int i = 0; i < 300; i++) {
            String key = String.format("k/%03d", i);
            put(src, in, "d/" + key, "object " + i);
            if (i % 50 != 7) {
                put(dst, out, "c/" + key, i % 50 == 11 ? "changed " + i : "object " + i);
            }
        }
        put(dst, out, "c/k/999-only-at-target", "z");

        JobExecution execution = verify.run(parameters("src:" + in + "/d", "dst:" + out + "/c", false, 20)
                .withPartitions(4));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getStepExecutions()).filteredOn(s -> s.getStepName().startsWith("verify-range:"))
                .hasSize(4);
        Map<Outcome, ExecutionRecords.Total> totals = records.totals(execution.getId());
        assertThat(totals.get(Outcome.MISSING_AT_TARGET).objects()).isEqualTo(6);
        assertThat(totals.get(Outcome.DIFFERENT).objects()).isEqualTo(6);
        assertThat(totals.get(Outcome.MISSING_AT_SOURCE).objects()).isEqualTo(1);
        assertThat(totals.get(Outcome.MATCHED).objects()).isEqualTo(300 - 12);
        assertThat(records.failures(execution.getId())).extracting(JobRecords.Failure::key).doesNotHaveDuplicates()
                .hasSize(13);
    }

    @Test
    void aFlippedByteWithoutAChecksumIsFoundByDownloadingAndNotWithout() throws Exception {
        // files written beside Barge carry no MD5: only their size and time can be compared
        for (int i = 0; i < 6; i++) {
            file("src", in, "f" + i, "content of file " + i);
        }
        for (int i = 0; i < 6; i++) {
            file("dst", out, "f" + i, i == 4 ? "content of file 5" : "content of file " + i);
        }
        Map<String, String> srcBefore = contents(src, in);
        Map<String, String> dstBefore = contents(dst, out);

        JobExecution listed = verify.run(parameters("src:" + in, "dst:" + out, false, 4));
        JobExecution downloaded = verify.run(parameters("src:" + in, "dst:" + out, true, 4));

        assertThat(listed.getExitStatus().getExitCode()).isEqualTo(ExitStatus.COMPLETED.getExitCode());
        assertThat(records.totals(listed.getId()).get(Outcome.MATCHED).objects()).isEqualTo(6);
        assertThat(records.totals(listed.getId()).get(Outcome.DIFFERENT).objects()).isZero();
        assertThat(downloaded.getJobInstanceId()).isNotEqualTo(listed.getJobInstanceId());
        assertThat(downloaded.getExitStatus().getExitCode()).isEqualTo(VerifyJob.DIFFERENCES_FOUND);
        assertThat(records.totals(downloaded.getId()).get(Outcome.MATCHED).objects()).isEqualTo(5);
        assertThat(records.totals(downloaded.getId()).get(Outcome.DIFFERENT)).isEqualTo(new ExecutionRecords.Total(1, 17));
        assertThat(records.failures(downloaded.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("f4");
            assertThat(f.kind()).isEqualTo("DIFFERENT");
            assertThat(f.message()).startsWith("content differs: MD5 ");
        });
        assertThat(contents(src, in)).isEqualTo(srcBefore);
        assertThat(contents(dst, out)).isEqualTo(dstBefore);
    }

    @Test
    void objectsThatVanishOrAreDeniedAreRecordedAndTheRunGoesOn() throws Exception {
        for (int i = 0; i < 5; i++) {
            file("src", in, "g" + i, "bytes " + i);
            file("dst", out, "g" + i, "bytes " + (i == 4 ? 5 : i));
        }
        faults.arm("src", "g1", StoreFaults.Fault.VANISH);
        faults.arm("dst", "g3", StoreFaults.Fault.DENY_READ);

        JobExecution execution = verify.run(parameters("src:" + in, "dst:" + out, true, 2));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitCode()).as("incomplete comes before different")
                .isEqualTo(VerifyJob.COMPLETED_WITH_SKIPS);
        assertThat(execution.getExitStatus().getExitDescription()).contains("2 objects failed", "1 different");
        assertThat(records.totals(execution.getId()).get(Outcome.MATCHED).objects()).isEqualTo(2);
        assertThat(records.totals(execution.getId()).get(Outcome.DIFFERENT).objects()).isEqualTo(1);
        assertThat(records.totals(execution.getId()).get(Outcome.FAILED).objects()).isEqualTo(2);
        List<JobRecords.Failure> failures = records.failures(execution.getId());
        assertThat(failures).filteredOn(f -> !f.isFinding())
                .extracting(JobRecords.Failure::key, JobRecords.Failure::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("g1", "NOT_FOUND"),
                        org.assertj.core.groups.Tuple.tuple("g3", "ACCESS_DENIED"));
        assertThat(failures).filteredOn(JobRecords.Failure::isFinding).extracting(JobRecords.Failure::key)
                .containsExactly("g4");
        assertThat(records.failureCount(execution.getId())).as("what the skip limit counts").isEqualTo(2);
    }

    @Test
    void anArchivedObjectWhoseContentMustBeComparedIsRecordedNotRead() throws Exception {
        src.put(PutRequest.builder(in, "cold").storageClass(dev.barge.storage.StorageClass.of(
                dev.barge.storage.StorageClass.Family.ARCHIVE)).build(), Payload.ofBytes("frozen".getBytes()));
        file("dst", out, "cold", "frozen");
        put(src, in, "warm", "w");
        file("dst", out, "warm", "w");
        faults.arm("src", "cold", StoreFaults.Fault.DENY_READ);

        JobExecution execution = verify.run(parameters("src:" + in, "dst:" + out, true, 10));

        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(VerifyJob.COMPLETED_WITH_SKIPS);
        assertThat(records.totals(execution.getId()).get(Outcome.MATCHED).objects()).isEqualTo(1);
        assertThat(records.failures(execution.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("cold");
            assertThat(f.kind()).isEqualTo("PRECONDITION_FAILED");
            assertThat(f.message()).contains("restored first");
        });
    }

    @Test
    void aRunThatFailedHalfWayIsFinishedByRunningItAgainAndEachKeyIsReportedOnce() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String key = String.format("r/%02d", i);
            keys.add(key);
            file("src", in, key, "payload " + i);
            file("dst", out, key, i == 1 || i == 7 ? "payloaf " + i : "payload " + i);
        }
        faults.arm("dst", "r/05", StoreFaults.Fault.REJECT_CREDENTIALS); // the token expires in chunk 3
        VerifyParameters p = parameters("src:" + in + "/r", "dst:" + out + "/r", true, 2);

        JobExecution failed = verify.run(p);

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getExitStatus().getExitDescription()).contains("r/05", "credentials");
        assertThat(records.totals(failed.getId()).get(Outcome.MATCHED).objects()).isEqualTo(3);
        assertThat(records.totals(failed.getId()).get(Outcome.DIFFERENT).objects()).isEqualTo(1);
        assertThat(records.failures(failed.getId())).extracting(JobRecords.Failure::key).containsExactly("r/01");
        faults.clear();

        JobExecution rerun = verify.run(p);

        assertThat(rerun.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(rerun.getJobInstanceId()).as("the same run, continued").isEqualTo(failed.getJobInstanceId());
        assertThat(rerun.getExitStatus().getExitCode()).isEqualTo(VerifyJob.DIFFERENCES_FOUND);
        assertThat(records.totals(rerun.getId()).get(Outcome.MATCHED).objects())
                .as("r/04 to r/09 but r/07, from where the failed run committed").isEqualTo(5);
        assertThat(records.totals(rerun.getId()).get(Outcome.DIFFERENT).objects()).isEqualTo(1);
        assertThat(records.failures(rerun.getId())).extracting(JobRecords.Failure::key).containsExactly("r/07");
    }

    @Test
    void aStoppedRunIsFinishedByRunningItAgainWithEveryKeyCountedOnce() throws Exception {
        for (int i = 0; i < 12; i++) {
            String key = String.format("s%02d", i);
            file("src", in, key, "stop test " + i);
            file("dst", out, key, i == 2 || i == 10 ? "stop tesT " + i : "stop test " + i);
        }
        VerifyParameters p = parameters("src:" + in, "dst:" + out, true, 2);
        StopRequest stop = new StopRequest(operator, repository);
        faults.beforeRead("src", key -> {
            if (key.equals("s05")) {
                stop.request();
            }
        });

        JobExecution stopped = verify.run(p, stop, new ListingProgress());
        faults.clear();
        JobExecution rerun = verify.run(p);

        assertThat(stopped.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(rerun.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(rerun.getJobInstanceId()).isEqualTo(stopped.getJobInstanceId());
        long matched = records.totals(stopped.getId()).get(Outcome.MATCHED).objects();
        assertThat(matched).as("some work was done before the stop, not all").isBetween(1L, 9L);
        assertThat(matched + records.totals(rerun.getId()).get(Outcome.MATCHED).objects()).isEqualTo(10);
        List<String> found = new ArrayList<>();
        records.failures(stopped.getId()).forEach(f -> found.add(f.key()));
        records.failures(rerun.getId()).forEach(f -> found.add(f.key()));
        assertThat(found).containsExactly("s02", "s10");
    }

    @Test
    void onlyKeysTheSelectionTakesAreComparedOnEitherSide() throws Exception {
        put(src, in, "a.jpg", "jpeg");
        put(dst, out, "a.jpg", "jpeg");
        put(src, in, "b.jpg", "only here");
        put(src, in, "c.txt", "only at the source, not taken");
        put(dst, out, "d.txt", "only at the target, not taken");
        put(dst, out, "e.jpg", "only at the target");
        VerifyParameters p = new VerifyParameters("src:" + in, "dst:" + out,
                new Selection(List.of("*.jpg"), List.of(), null, null, null, null, Set.of()), IdentityCheck.CHECKSUM,
                false, 2, 10, 10);

        JobExecution execution = verify.run(p);

        Map<Outcome, ExecutionRecords.Total> totals = records.totals(execution.getId());
        assertThat(totals.get(Outcome.MATCHED).objects()).isEqualTo(1);
        assertThat(totals.get(Outcome.SKIPPED_FILTERED).objects()).isEqualTo(2);
        assertThat(records.failures(execution.getId())).extracting(JobRecords.Failure::key, JobRecords.Failure::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b.jpg", "MISSING_AT_TARGET"),
                        org.assertj.core.groups.Tuple.tuple("e.jpg", "MISSING_AT_SOURCE"));
    }

    @Test
    void aMissingBucketFailsTheRunWithItsCause() throws Exception {
        put(src, in, "x", "x");

        JobExecution execution = verify.run(parameters("src:" + in, "dst:no-such-bucket-" + out, false, 2));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getExitStatus().getExitDescription()).contains("no-such-bucket-" + out);
        assertThat(records.totals(execution.getId()).get(Outcome.MATCHED).objects()).isZero();
    }

    @Test
    void aLocationIsNotVerifiedAgainstItself() {
        put(src, in, "x", "x");

        assertThatThrownBy(() -> verify.run(parameters("src:" + in + "/p", "src:" + in + "/p/", false, 2)))
                .isInstanceOf(LocationOverlap.Refused.class).hasMessageContaining("same location");
    }

    @Test
    void downloadingIsRefusedWithSizeOnly() {
        assertThatThrownBy(() -> new VerifyParameters("src:" + in, "dst:" + out, Selection.ALL, IdentityCheck.SIZE_ONLY,
                true, 2, 10, 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--size-only");
    }

    @Test
    void parametersSurviveTheJobRepository() {
        VerifyParameters p = new VerifyParameters("src:" + in + "/a", "dst:" + out, new Selection(List.of("*.jpg"),
                List.of("tmp/**"), 10L, null, null, null, Set.of()), IdentityCheck.SIZE_ONLY, false, 3, 7, 11);

        VerifyParameters read = VerifyParameters.from(p.toJobParameters(2, java.time.Instant.EPOCH));

        assertThat(read).isEqualTo(p);
        assertThat(read.toString()).isEqualTo("verify src:" + in + "/a -> dst:" + out
                + " (--size-only, include '*.jpg', exclude 'tmp/**', min-size 10 B)");
    }

    private static VerifyParameters parameters(String source, String target, boolean download, int chunkSize) {
        return new VerifyParameters(source, target, Selection.ALL, IdentityCheck.CHECKSUM, download, 3, chunkSize, 100);
    }

    private static void put(ObjectStore store, String bucket, String key, String data) {
        store.put(PutRequest.builder(bucket, key).build(), Payload.ofBytes(data.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes an object's file directly, as a person copying files would: no MD5 is recorded with it. */
    private void file(String remote, String bucket, String key, String data) throws IOException {
        Path file = stores.remote(remote).root().resolve(bucket).resolve(key);
        Files.createDirectories(file.getParent());
        Files.writeString(file, data);
    }

    /** Every object of a bucket with its content. */
    private static Map<String, String> contents(ObjectStore store, String bucket) {
        Map<String, String> contents = new TreeMap<>();
        ListRequest request = ListRequest.of(bucket, "");
        while (true) {
            var page = store.list(request);
            page.objects().forEach(o -> {
                try (ObjectContent content = store.get(bucket, o.key())) {
                    contents.put(o.key(), new String(content.body().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!page.truncated()) {
                return contents;
            }
            request = request.next(page);
        }
    }
}
