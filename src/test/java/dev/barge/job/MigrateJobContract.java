package dev.barge.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.MigrationMode;
import dev.barge.batch.Outcome;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.test.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The migrate job end to end between two local remotes, on the job repository a subclass
 * chooses. Each test works in buckets of its own.
 */
// closed with the class, before the JVM's exit deletes its temporary directories: an H2 database
// still open then writes a trace file into the deleted directory and leaves it behind
@DirtiesContext
@SpringBootTest(properties = {
        "barge.transfer.multipart-threshold=1MB",
        "barge.transfer.part-size=1MB",
        "barge.jobs.heartbeat-interval=200ms"})
@Import(StoreFaults.class)
abstract class MigrateJobContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @Autowired
    MigrateJob migrate;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JobRecords records;

    @Autowired
    JobRepository repository;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StoreFaults faults;

    private ObjectStore src;
    private ObjectStore dst;
    private String in;
    private String out;

    static void localRemotes(DynamicPropertyRegistry registry) throws IOException {
        Path root = TempDirs.create("barge-migrate-");
        for (String remote : List.of("src", "dst")) {
            Path dir = Files.createDirectories(root.resolve(remote));
            registry.add("barge.remotes." + remote + ".type", () -> "local");
            registry.add("barge.remotes." + remote + ".root", dir::toString);
            registry.add("barge.remotes." + remote + ".options.sync", () -> "false");
            registry.add("barge.remotes." + remote + ".options.multipart-min-part-size", () -> "1MB");
        }
    }

    @BeforeEach
    void buckets() {
        src = stores.store("src");
        dst = stores.store("dst");
        int n = BUCKETS.incrementAndGet();
        in = "in" + n;
        out = "out" + n;
        src.createBucket(in);
        dst.createBucket(out);
    }

    @AfterEach
    void disarm() {
        faults.clear();
    }

    private MigrateParameters.Builder migration(String from, String to) {
        return MigrateParameters.builder("src:" + in + "/" + from, "dst:" + out + "/" + to).chunkSize(10).concurrency(4);
    }

    private Map<String, byte[]> fill(String prefix, int count) {
        Map<String, byte[]> objects = new java.util.TreeMap<>();
        Random random = new Random(count);
        for (int i = 0; i < count; i++) {
            String key = String.format("%s%s/file-%03d.bin", prefix, i % 3 == 0 ? "a" : "b/c", i);
            byte[] data = new byte[i == 7 ? 3 * (1 << 20) + 11 : random.nextInt(5000)];
            random.nextBytes(data);
            src.put(PutRequest.builder(in, key).contentType("application/x-" + i).userMetadata(Map.of("n", "" + i))
                    .build(), Payload.ofBytes(data));
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

    private List<String> keys(ObjectStore store, String bucket) {
        List<String> keys = new ArrayList<>();
        ListRequest request = ListRequest.of(bucket, "");
        while (true) {
            var page = store.list(request);
            page.objects().forEach(o -> keys.add(o.key()));
            if (!page.truncated()) {
                return keys;
            }
            request = request.next(page);
        }
    }

    private Map<Outcome, ExecutionRecords.Total> totals(JobExecution execution) {
        return records.totals(execution.getId());
    }

    @Test
    void copiesEveryObjectWithItsBytesContentTypeAndMetadata() throws Exception {
        Map<String, byte[]> objects = fill("photos/", 37);

        JobExecution execution = migrate.run(migration("photos", "backup").build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
        objects.forEach((key, data) -> {
            String copy = "backup/" + key.substring("photos/".length());
            assertThat(read(dst, out, copy)).as(copy).isEqualTo(data);
            ObjectInfo info = dst.stat(out, copy);
            assertThat(info.contentType()).isEqualTo(src.stat(in, key).contentType());
            assertThat(info.userMetadata()).containsEntry("n", src.stat(in, key).userMetadata().get("n"));
        });
        assertThat(keys(dst, out)).hasSize(37);
        long bytes = objects.values().stream().mapToLong(b -> b.length).sum();
        assertThat(totals(execution).get(Outcome.COPIED)).isEqualTo(new ExecutionRecords.Total(37, bytes));
        assertThat(jdbc.queryForObject("select count(*) from BARGE_EXECUTION_OWNER where JOB_EXECUTION_ID = ?",
                Long.class, execution.getId())).as("ownership released").isZero();
    }

    @Test
    void runningAFinishedMigrationAgainCopiesNothing() throws Exception {
        Map<String, byte[]> objects = fill("", 25);
        JobExecution first = migrate.run(migration("", "").build());

        JobExecution second = migrate.run(migration("", "").build());

        assertThat(second.getJobInstance().getId()).isNotEqualTo(first.getJobInstance().getId());
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(totals(second).get(Outcome.COPIED)).isEqualTo(new ExecutionRecords.Total(0, 0));
        assertThat(totals(second).get(Outcome.SKIPPED_IDENTICAL).objects()).isEqualTo(objects.size());
    }

    @Test
    void aSourceObjectThatVanishesIsRecordedAndTheRunCompletesWithSkips() throws Exception {
        fill("", 12);
        faults.arm("src", "b/c/file-004.bin", StoreFaults.Fault.VANISH);

        JobExecution execution = migrate.run(migration("", "").build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(execution.getExitStatus().getExitDescription()).contains("1 objects failed");
        assertThat(records.failures(execution.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("b/c/file-004.bin");
            assertThat(f.kind()).isEqualTo(ErrorKind.NOT_FOUND.name());
            assertThat(f.message()).contains("get " + in + "/b/c/file-004.bin");
        });
        assertThat(keys(dst, out)).hasSize(11);
    }

    @Test
    void moreFailuresThanTheSkipLimitFailTheJob() throws Exception {
        fill("", 6);
        faults.arm("src", "a/file-000.bin", StoreFaults.Fault.VANISH);
        faults.arm("src", "b/c/file-001.bin", StoreFaults.Fault.VANISH);

        JobExecution execution = migrate.run(migration("", "").skipLimit(1).build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getExitStatus().getExitDescription())
                .contains("2 objects failed, more than the skip limit of 1");
        assertThat(records.failures(execution.getId())).as("the reasons outlive the rolled-back chunk")
                .extracting(JobRecords.Failure::key).containsExactlyInAnyOrder("a/file-000.bin", "b/c/file-001.bin");
    }

    @Test
    void aTargetThatRefusesEveryWriteFailsTheJobWithOneLineNamingTheObjectAndCause() throws Exception {
        fill("", 5);
        faults.arm("dst", StoreFaults.EVERY_KEY, StoreFaults.Fault.DENY_WRITE);

        JobExecution execution = migrate.run(migration("", "").build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getExitStatus().getExitDescription())
                .startsWith("stopped at 'a/file-000.bin': put " + out + "/a/file-000.bin: write refused by the bucket"
                        + " policy [ACCESS_DENIED")
                .contains("the target refuses every write: a test write under " + out + "/ was refused too")
                .doesNotContain("Unable to process chunk").doesNotContain("\n");
        assertThat(repository.getJobExecution(execution.getId()).getExitStatus().getExitDescription())
                .as("as the repository keeps it, for jobs show").isEqualTo(execution.getExitStatus().getExitDescription());
    }

    @Test
    void oneObjectTheTargetRefusesIsRecordedAndTheOthersAreCopied() throws Exception {
        fill("", 5);
        faults.arm("dst", "a/file-003.bin", StoreFaults.Fault.DENY_WRITE);

        JobExecution execution = migrate.run(migration("", "").build());

        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(records.failures(execution.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("a/file-003.bin");
            assertThat(f.kind()).isEqualTo(ErrorKind.ACCESS_DENIED.name());
        });
        assertThat(keys(dst, out)).hasSize(4).doesNotContain("a/file-003.bin");
        assertThat(totals(execution).get(Outcome.COPIED).objects()).isEqualTo(4);
    }

    @Test
    void anUnreadableObjectInASameStoreCopyIsRecordedAndTheOthersAreCopied() throws Exception {
        fill("", 6);
        String copyBucket = in + "-copy";
        src.createBucket(copyBucket);
        faults.arm("src", "b/c/file-002.bin", StoreFaults.Fault.DENY_READ);

        JobExecution execution = migrate.run(MigrateParameters.builder("src:" + in, "src:" + copyBucket).chunkSize(10)
                .concurrency(4).build());

        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(records.failures(execution.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("b/c/file-002.bin");
            assertThat(f.kind()).isEqualTo(ErrorKind.ACCESS_DENIED.name());
            assertThat(f.operation()).isEqualTo("copy");
        });
        assertThat(keys(src, copyBucket)).hasSize(5).doesNotContain("b/c/file-002.bin");
    }

    @Test
    void aFailureOnAKeyLongerThanAnyColumnIsRecordedWithTheWholeKey() throws Exception {
        fill("", 3);
        // a file put there by other means than Barge: the local driver lists it, but takes keys of
        // at most 1,024 bytes, as S3 does, and refuses to read it
        String longKey = String.join("/", java.util.Collections.nCopies(6, "d".repeat(240))) + "/\u00e9t\u00e9.bin";
        Path file = stores.remote("src").root().resolve(in).resolve(longKey);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1, 2, 3});

        JobExecution execution = migrate.run(migration("", "").build());

        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(records.failures(execution.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo(longKey).hasSizeGreaterThan(1440);
            assertThat(f.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT.name());
            assertThat(f.message()).contains("longer than 1024 UTF-8 bytes");
        });
        assertThat(totals(execution).get(Outcome.COPIED).objects()).as("the others are counted").isEqualTo(3);
    }

    @Test
    void aFailedRunContinuesWhereItStoppedWithoutRedoingFinishedChunks() throws Exception {
        fill("", 40);
        // credentials that expire mid-run: a failure no object can get past
        faults.arm("dst", "b/c/file-032.bin", StoreFaults.Fault.REJECT_CREDENTIALS);
        JobExecution failed = migrate.run(migration("", "").build());
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getExitStatus().getExitDescription()).startsWith("stopped at 'b/c/file-032.bin'")
                .contains("the security token has expired").endsWith("check the remote's credentials");
        long committed = totals(failed).get(Outcome.COPIED).objects();
        assertThat(committed).as("whole chunks of 10 committed before the failing one").isEqualTo(30);
        // objects of the failed chunk copied before it failed are there, but not committed as done
        assertThat(keys(dst, out).size()).isBetween(30, 39);
        faults.clear();

        JobExecution resumed = migrate.run(migration("", "").build());

        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getJobInstance().getId()).isEqualTo(failed.getJobInstance().getId());
        Map<Outcome, ExecutionRecords.Total> again = totals(resumed);
        assertThat(again.get(Outcome.COPIED).objects() + again.get(Outcome.SKIPPED_IDENTICAL).objects())
                .as("the resumed run starts at the failed chunk: it never sees the first 30 objects").isEqualTo(10);
        assertThat(again.get(Outcome.COPIED).objects()).isGreaterThanOrEqualTo(1);
        assertThat(keys(dst, out)).hasSize(40);
    }

    @Test
    void aResumedRunEndsWithSkipsWhenAnEarlierExecutionOfItSkippedAnObject() throws Exception {
        fill("", 40);
        faults.arm("src", "a/file-003.bin", StoreFaults.Fault.DENY_READ);         // chunk 1: recorded, skipped
        faults.arm("dst", "b/c/file-032.bin", StoreFaults.Fault.REJECT_CREDENTIALS); // chunk 4: the job fails
        JobExecution failed = migrate.run(migration("", "").build());
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(records.failures(failed.getId())).extracting(JobRecords.Failure::key)
                .containsExactly("a/file-003.bin");
        faults.clear();

        JobExecution resumed = migrate.run(migration("", "").build());

        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(records.failures(resumed.getId())).as("the resumed execution itself skipped nothing").isEmpty();
        assertThat(resumed.getExitStatus().getExitCode())
                .as("the run as a whole skipped an object: a rerun must not report it as fully copied")
                .isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(resumed.getExitStatus().getExitDescription()).contains("1 objects failed");
        assertThat(keys(dst, out)).hasSize(39).doesNotContain("a/file-003.bin");
    }

    @Test
    void aPartitionedMigrationCopiesEveryObjectOnceAndItsSyncDeletesOnlyWhatTheSourceLacks() throws Exception {
        Map<String, byte[]> objects = fill("", 400);

        JobExecution copied = migrate.run(migration("", "").partitions(4).build());

        assertThat(copied.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(copied.getStepExecutions()).extracting(s -> s.getStepName())
                .contains("migrate", "migrate-range:range000", "migrate-range:range003").hasSize(5);
        assertThat(copied.getStepExecutions()).filteredOn(s -> s.getStepName().startsWith("migrate-range:"))
                .as("every range has keys: the sample spread them").allSatisfy(s ->
                        assertThat(s.getReadCount()).isPositive());
        assertThat(totals(copied).get(Outcome.COPIED).objects()).isEqualTo(400);
        assertThat(keys(dst, out)).containsExactlyElementsOf(objects.keySet());
        for (String key : List.of("a/file-000.bin", "b/c/file-007.bin", "b/c/file-398.bin")) {
            assertThat(read(dst, out, key)).as(key).isEqualTo(objects.get(key));
        }
        // extraneous target objects in every range, and one past the last key of the source
        List<String> extraneous = List.of("a/file-0005.bin", "a/zzz", "b/c/file-2000.bin", "b/d", "zz-last");
        for (String key : extraneous) {
            dst.put(PutRequest.builder(out, key).build(), Payload.ofBytes(new byte[] {1}));
        }

        JobExecution synced = migrate.run(migration("", "").mode(MigrationMode.SYNC).deleteExtraneous(true)
                .partitions(4).build());

        assertThat(synced.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(totals(synced).get(Outcome.DELETED).objects()).isEqualTo(extraneous.size());
        assertThat(totals(synced).get(Outcome.SKIPPED_IDENTICAL).objects()).isEqualTo(400);
        assertThat(keys(dst, out)).containsExactlyElementsOf(objects.keySet());
    }

    @Test
    void aFailedPartitionedRunResumesOnlyItsUnfinishedPartitions() throws Exception {
        Map<String, byte[]> objects = fill("", 400);
        // credentials that expire: the partition holding this key fails, the others run to their end
        faults.arm("dst", "b/c/file-250.bin", StoreFaults.Fault.REJECT_CREDENTIALS);
        JobExecution failed = migrate.run(migration("", "").partitions(4).build());
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        List<String> unfinished = failed.getStepExecutions().stream()
                .filter(s -> s.getStepName().startsWith("migrate-range:") && s.getStatus() != BatchStatus.COMPLETED)
                .map(s -> s.getStepName()).toList();
        assertThat(unfinished).hasSize(1);
        long committed = totals(failed).get(Outcome.COPIED).objects();
        faults.clear();

        JobExecution resumed = migrate.run(migration("", "").partitions(4).build());

        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getJobInstance().getId()).isEqualTo(failed.getJobInstance().getId());
        assertThat(resumed.getStepExecutions()).extracting(s -> s.getStepName())
                .as("the manager and the one unfinished partition, not the finished ones")
                .containsExactlyInAnyOrder("migrate", unfinished.get(0));
        Map<Outcome, ExecutionRecords.Total> again = totals(resumed);
        assertThat(committed + again.get(Outcome.COPIED).objects() + again.get(Outcome.SKIPPED_IDENTICAL).objects())
                .as("no committed object seen again, beyond the failed chunk's").isBetween(400L, 400L + 10);
        assertThat(keys(dst, out)).containsExactlyElementsOf(objects.keySet());
    }

    @Test
    void syncDeletesExtraneousTargetObjectsOnlyWhenAsked() throws Exception {
        fill("", 6);
        dst.put(PutRequest.builder(out, "only-in-target.txt").build(), Payload.ofBytes(new byte[] {1}));

        JobExecution without = migrate.run(migration("", "").mode(MigrationMode.SYNC).build());
        assertThat(without.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(keys(dst, out)).contains("only-in-target.txt").hasSize(7);
        assertThat(totals(without).get(Outcome.DELETED).objects()).isZero();

        JobExecution with = migrate.run(migration("", "").mode(MigrationMode.SYNC).deleteExtraneous(true).build());
        assertThat(with.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(keys(dst, out)).doesNotContain("only-in-target.txt").hasSize(6);
        assertThat(totals(with).get(Outcome.DELETED).objects()).isEqualTo(1);
    }

    @Test
    void moveNeverDeletesASourceWhoseCopyDidNotVerify() throws Exception {
        Map<String, byte[]> objects = fill("", 9);
        faults.arm("src", "a/file-006.bin", StoreFaults.Fault.CORRUPT);

        JobExecution execution = migrate.run(migration("", "").mode(MigrationMode.MOVE).build());

        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        faults.clear();
        assertThat(keys(src, in)).containsExactly("a/file-006.bin");
        assertThat(read(src, in, "a/file-006.bin")).isEqualTo(objects.get("a/file-006.bin"));
        assertThat(keys(dst, out)).hasSize(8).doesNotContain("a/file-006.bin");
        assertThat(records.failures(execution.getId())).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(ErrorKind.CHECKSUM_MISMATCH.name()));
    }

    @Test
    void moveKeepsASourceRewrittenAfterItsCopyAndTheNextRunMovesTheNewVersion() throws Exception {
        Map<String, byte[]> objects = fill("", 9);
        String key = "a/file-003.bin";
        byte[] newer = objects.get(key).clone();
        newer[0] ^= 1; // the same size: a user's edit that the copy, made a moment before, does not hold
        faults.afterWrite("dst", written -> {
            if (written.equals(key)) {
                src.put(PutRequest.builder(in, key).build(), Payload.ofBytes(newer));
            }
        });

        JobExecution execution = migrate.run(migration("", "").mode(MigrationMode.MOVE).build());

        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(keys(src, in)).containsExactly(key);
        assertThat(read(src, in, key)).isEqualTo(newer);
        assertThat(read(dst, out, key)).isEqualTo(objects.get(key));
        assertThat(totals(execution).get(Outcome.DELETED).objects()).isEqualTo(8);
        assertThat(records.failures(execution.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo(key);
            assertThat(f.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED.name());
            assertThat(f.message()).contains("the source was kept: it changed after it was listed");
        });

        faults.clear();
        JobExecution again = migrate.run(migration("", "").mode(MigrationMode.MOVE).build());

        assertThat(again.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
        assertThat(keys(src, in)).isEmpty();
        assertThat(read(dst, out, key)).isEqualTo(newer);
    }

    @Test
    void aSyncDoesNotOverwriteATargetObjectWrittenBySomeoneElseAfterItWasListed() throws Exception {
        Map<String, byte[]> objects = fill("", 6);
        String key = "b/c/file-004.bin";
        dst.put(PutRequest.builder(out, key).build(), Payload.ofBytes("an older copy".getBytes(UTF_8)));
        byte[] theirs = "written at the target by another client during the sync".getBytes(UTF_8);
        faults.beforeRead("src", read -> {
            if (read.equals(key)) { // planned already: the listing saw the older copy
                dst.put(PutRequest.builder(out, key).build(), Payload.ofBytes(theirs));
            }
        });

        JobExecution sync = migrate.run(migration("", "").mode(MigrationMode.SYNC).build());

        assertThat(sync.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(read(dst, out, key)).isEqualTo(theirs);
        assertThat(records.failures(sync.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo(key);
            assertThat(f.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED.name());
            assertThat(f.message()).contains("not overwritten: the target object changed after it was listed");
        });
        for (String other : objects.keySet()) {
            if (!other.equals(key)) {
                assertThat(read(dst, out, other)).isEqualTo(objects.get(other));
            }
        }

        faults.clear();
        JobExecution again = migrate.run(migration("", "").mode(MigrationMode.SYNC).build());

        assertThat(again.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
        assertThat(read(dst, out, key)).isEqualTo(objects.get(key)); // compared now, and the source's wins
    }

    @Test
    void aTargetObjectIsNotDeletedWhenTheSourceHoldsItThoughItsListingMissedIt() throws Exception {
        Map<String, byte[]> objects = fill("", 6);
        migrate.run(migration("", "").build());
        faults.arm("src", "a/file-003.bin", StoreFaults.Fault.HIDE_FROM_LISTING);

        JobExecution sync = migrate.run(migration("", "").mode(MigrationMode.SYNC).deleteExtraneous(true).build());

        assertThat(read(dst, out, "a/file-003.bin")).isEqualTo(objects.get("a/file-003.bin"));
        assertThat(totals(sync).get(Outcome.DELETED).objects()).isZero();
        assertThat(sync.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(records.failures(sync.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("a/file-003.bin");
            assertThat(f.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED.name());
            assertThat(f.message()).contains("not deleted: the source holds " + in + "/a/file-003.bin");
        });
    }

    @Test
    void moveKeepsTheSourceWhenItsCopyCannotBeFoundAtTheTarget() throws Exception {
        Map<String, byte[]> objects = fill("", 5);
        faults.arm("dst", "b/c/file-001.bin", StoreFaults.Fault.LOSE_WRITE);

        JobExecution execution = migrate.run(migration("", "").mode(MigrationMode.MOVE).build());

        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(keys(src, in)).containsExactly("b/c/file-001.bin");
        assertThat(read(src, in, "b/c/file-001.bin")).isEqualTo(objects.get("b/c/file-001.bin"));
        assertThat(totals(execution).get(Outcome.DELETED).objects()).isEqualTo(4);
        assertThat(records.failures(execution.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("b/c/file-001.bin");
            assertThat(f.message()).contains("the source was kept: its copy " + out + "/b/c/file-001.bin could not be"
                    + " confirmed");
        });
    }

    @Test
    void aDryRunOfAMoveReportsTheDeletesItWouldMake() throws Exception {
        fill("", 7);
        migrate.run(migration("", "").build());
        src.put(PutRequest.builder(in, "new.bin").build(), Payload.ofBytes(new byte[] {9}));

        JobExecution execution = migrate.run(migration("", "").mode(MigrationMode.MOVE).dryRun(true).build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(totals(execution).get(Outcome.COPIED).objects()).isEqualTo(1);
        assertThat(totals(execution).get(Outcome.SKIPPED_IDENTICAL).objects()).isEqualTo(7);
        assertThat(totals(execution).get(Outcome.DELETED).objects()).as("every source object, copied or identical")
                .isEqualTo(8);
        assertThat(keys(src, in)).hasSize(8);
        assertThat(keys(dst, out)).hasSize(7);
    }

    /** Keys whose UTF-8 byte order and UTF-16 unit order differ: an astral character against U+FFFD. */
    private static final List<String> ORDER_SENSITIVE = List.of("a\uFFFD", "a\uD83D\uDE00", "b");

    @org.junit.jupiter.params.ParameterizedTest(name = "target pages of {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1000, 1})
    void aTargetListedInAnotherOrderStopsTheSyncBeforeAnyDelete(int pageSize) throws Exception {
        for (String key : ORDER_SENSITIVE) {
            src.put(PutRequest.builder(in, key).build(), Payload.ofBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        JobExecution first = migrate.run(migration("", "").mode(MigrationMode.SYNC).deleteExtraneous(true).build());
        assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        // from now on the target lists as S3Proxy does: by UTF-16 units, the emoji first
        faults.listIn("dst", Comparator.naturalOrder(), pageSize);

        JobExecution second = migrate.run(migration("", "").mode(MigrationMode.SYNC).deleteExtraneous(true).build());

        assertThat(second.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(second.getExitStatus().getExitDescription())
                .startsWith("remote 'dst' listed 'a\\uFFFD' after 'a\uD83D\uDE00' in bucket '" + out + "'")
                .contains("nothing was deleted");
        assertThat(totals(second).get(Outcome.DELETED).objects()).isZero();
        faults.clear();
        assertThat(keys(dst, out)).containsExactlyInAnyOrderElementsOf(ORDER_SENSITIVE);
    }

    @Test
    void aDryRunWritesNothingAndReportsWhatItWouldDo() throws Exception {
        fill("", 8);
        dst.put(PutRequest.builder(out, "extra").build(), Payload.ofBytes(new byte[] {1}));

        JobExecution execution = migrate.run(migration("", "").mode(MigrationMode.SYNC).deleteExtraneous(true)
                .dryRun(true).build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(keys(dst, out)).containsExactly("extra");
        assertThat(totals(execution).get(Outcome.COPIED).objects()).isEqualTo(8);
        assertThat(totals(execution).get(Outcome.DELETED).objects()).isEqualTo(1);
    }

    private static final String[] ALPHABET = {"a", "z", "A", "0", "-", "~", "\u00e9", "\u4e2d", "\uE000", "\uFFFD",
            "\uD83D\uDE00", "\uD834\uDD1E"};

    /**
     * Random key sets of ASCII, BMP and astral characters, synced twice with deletes, either side
     * listed in byte order or (as S3Proxy does) in UTF-16 order in small pages: no key the source
     * holds is ever deleted from the target, and no key is copied twice in the two runs.
     */
    @Test
    void twoSyncsOfRandomKeysInEitherListingOrderNeverDeleteASourceKeyNorCopyOneTwice() throws Exception {
        Random random = new Random(7);
        for (int trial = 0; trial < 8; trial++) {
            String from = "p" + trial + "/";
            java.util.Set<String> keys = new java.util.TreeSet<>();
            while (keys.size() < 4 + random.nextInt(10)) {
                StringBuilder key = new StringBuilder();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    key.append(ALPHABET[random.nextInt(ALPHABET.length)]);
                }
                keys.add(key.toString());
            }
            java.util.Set<String> inTarget = new java.util.TreeSet<>();
            for (String key : keys) {
                byte[] data = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                src.put(PutRequest.builder(in, from + key).build(), Payload.ofBytes(data));
                if (random.nextBoolean()) {
                    dst.put(PutRequest.builder(out, from + key).build(), Payload.ofBytes(data));
                    inTarget.add(key);
                }
            }
            for (int i = 0; i < 3; i++) {
                dst.put(PutRequest.builder(out, from + "extra" + ALPHABET[random.nextInt(ALPHABET.length)] + i).build(),
                        Payload.ofBytes(new byte[] {1}));
            }
            faults.clear();
            boolean sourceUtf16 = random.nextBoolean();
            boolean targetUtf16 = !sourceUtf16 || random.nextBoolean();
            if (sourceUtf16) {
                faults.listIn("src", Comparator.naturalOrder(), 1 + random.nextInt(3));
            }
            if (targetUtf16) {
                faults.listIn("dst", Comparator.naturalOrder(), 1 + random.nextInt(3));
            }
            String context = "trial " + trial + ": " + keys + " (source in UTF-16 order: " + sourceUtf16
                    + ", target: " + targetUtf16 + ")";

            boolean completed = false;
            for (int run = 0; run < 2; run++) {
                JobExecution sync = migrate.run(migration(from, from).mode(MigrationMode.SYNC).deleteExtraneous(true)
                        .chunkSize(2).build());
                assertThat(sync.getStatus()).as(context).isIn(BatchStatus.COMPLETED, BatchStatus.FAILED);
                completed = sync.getStatus() == BatchStatus.COMPLETED;
                if (sync.getStatus() == BatchStatus.FAILED) {
                    assertThat(sync.getExitStatus().getExitDescription()).as(context).contains("listed")
                            .contains("out of the ascending UTF-8 byte order");
                }
            }

            List<String> deleted = faults.deleted("dst");
            List<String> written = faults.written("dst");
            faults.clear();
            for (String key : keys) {
                assertThat(deleted).as(context + ": deleted %s", key).doesNotContain(from + key);
                if (completed || inTarget.contains(key)) {
                    assertThat(read(dst, out, from + key)).as(context + ": %s at the target", key)
                            .isEqualTo(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            assertThat(written).as(context + ": copied once at most").doesNotHaveDuplicates();
            assertThat(written).as(context + ": copies of what the target lacked, or re-copies of what it held")
                    .allMatch(k -> keys.contains(k.substring(from.length())));
        }
    }

    @Test
    void filtersTakeOnlyMatchingObjects() throws Exception {
        fill("", 12);

        JobExecution execution = migrate.run(migration("", "").includes(List.of("b/**")).excludes(List.of("*-010.bin"))
                .maxSize(1L << 20).build());

        assertThat(keys(dst, out)).allMatch(k -> k.startsWith("b/")).doesNotContain("b/c/file-010.bin")
                .doesNotContain("b/c/file-007.bin");
        assertThat(totals(execution).get(Outcome.SKIPPED_FILTERED).objects()).isEqualTo(12 - keys(dst, out).size());
    }

    @Test
    void aRunAliveInAnotherProcessIsNeverHijackedButADeadOneIsRecovered() throws Exception {
        fill("", 4);
        MigrateParameters parameters = migration("", "").build();
        JobParameters run1 = parameters.toJobParameters(1, Instant.now());
        JobInstance instance = repository.createJobInstance(MigrateJob.NAME, run1);
        JobExecution stuck = repository.createJobExecution(instance, run1, new ExecutionContext());
        stuck.setStatus(BatchStatus.STARTED);
        stuck.setStartTime(java.time.LocalDateTime.now());
        repository.update(stuck);
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            jdbc.update("insert into BARGE_EXECUTION_OWNER values (?, ?, ?, ?, ?)", stuck.getId(),
                    java.net.InetAddress.getLocalHost().getHostName(), alive.pid(), Timestamp.from(Instant.now()),
                    Timestamp.from(Instant.now()));

            assertThatThrownBy(() -> migrate.run(parameters))
                    .isInstanceOf(JobRunner.AlreadyRunning.class)
                    .hasMessageContaining("already running as execution " + stuck.getId())
                    .hasMessageContaining("process " + alive.pid());
            assertThat(keys(dst, out)).isEmpty();
        } finally {
            alive.destroyForcibly().waitFor();
        }

        JobExecution recovered = migrate.run(parameters);

        assertThat(recovered.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(recovered.getJobInstance().getId()).isEqualTo(instance.getId());
        assertThat(repository.getJobExecution(stuck.getId()).getStatus()).isNotEqualTo(BatchStatus.STARTED);
        assertThat(keys(dst, out)).hasSize(4);
    }
}
