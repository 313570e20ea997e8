package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.Outcome;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.test.TestPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The prefix delete job on the local driver, its repository in PostgreSQL: what it deletes, what it
 * keeps, what it records, and how a run that failed half-way is finished by running it again.
 */
@SpringBootTest(properties = "barge.jobs.heartbeat-interval=1h")
@Import(StoreFaults.class)
class DeleteJobTest {
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @Autowired
    DeleteJob delete;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JobRecords records;

    @Autowired
    StoreFaults faults;

    private ObjectStore src;
    private String bucket;

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
    void bucket() {
        src = stores.store("src");
        bucket = "del-" + BUCKETS.incrementAndGet();
        src.createBucket(bucket);
    }

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @Test
    void deletesWhatTheSelectionTakesUnderThePrefixAndNothingElse() throws Exception {
        put("logs/a.gz", "logs/b.txt", "logs/sub/c.gz", "logs2/d.gz", "other/e.gz", "logs.gz");

        JobExecution execution = delete.run(parameters("src:" + bucket + "/logs", false,
                new Selection(List.of("*.gz"), List.of(), null, null, null, null, Set.of()), false, 2));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(keys()).containsExactly("logs.gz", "logs/b.txt", "logs2/d.gz", "other/e.gz");
        assertThat(records.totals(execution.getId()).get(Outcome.DELETED)).isEqualTo(new ExecutionRecords.Total(2, 2 * 3));
        assertThat(records.totals(execution.getId()).get(Outcome.SKIPPED_FILTERED).objects()).isEqualTo(1);
    }

    @Test
    void aDryRunCountsWhatWouldGoAndDeletesNothing() throws Exception {
        put("p/1", "p/2", "p/3");

        JobExecution execution = delete.run(parameters("src:" + bucket + "/p", false, Selection.ALL, true, 2));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(keys()).containsExactly("p/1", "p/2", "p/3");
        assertThat(records.totals(execution.getId()).get(Outcome.DELETED).objects()).isEqualTo(3);
        assertThat(faults.deleted("src")).isEmpty();
    }

    @Test
    void aKeyTheStoreRefusesToDeleteIsRecordedAndTheOthersGo() throws Exception {
        put("q/1", "q/2", "q/3");
        faults.arm("src", "q/2", StoreFaults.Fault.DENY_DELETE);

        JobExecution execution = delete.run(parameters("src:" + bucket + "/q", false, Selection.ALL, false, 10));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitCode()).isEqualTo(MigrateJob.COMPLETED_WITH_SKIPS);
        assertThat(keys()).containsExactly("q/2");
        assertThat(records.failures(execution.getId())).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("q/2");
            assertThat(f.message()).contains("delete refused");
        });
    }

    @Test
    void aWholeBucketIsDeletedOnlyWhenAskedForAsSuch() throws Exception {
        put("x", "y/z");

        assertThatThrownBy(() -> parameters("src:" + bucket, false, Selection.ALL, false, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole bucket");
        assertThat(keys()).containsExactly("x", "y/z");

        JobExecution execution = delete.run(parameters("src:" + bucket, true, Selection.ALL, false, 10));
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(keys()).isEmpty();
    }

    @Test
    void aRunThatFailedHalfWayIsFinishedByRunningItAgainFromWhereItStopped() throws Exception {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(String.format("r/%02d", i));
        }
        put(all.toArray(String[]::new));
        faults.arm("src", "r/05", StoreFaults.Fault.REJECT_CREDENTIALS); // the token expires in chunk 3
        DeleteParameters p = parameters("src:" + bucket + "/r", false, Selection.ALL, false, 2);

        JobExecution failed = delete.run(p);

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        // chunks 1 and 2 committed; r/04 of chunk 3 went before r/05 was refused, uncommitted
        assertThat(keys()).containsExactlyElementsOf(all.subList(5, 10));
        assertThat(records.totals(failed.getId()).get(Outcome.DELETED).objects()).isEqualTo(4);
        assertThat(failed.getStepExecutions()).singleElement().satisfies(step -> assertThat(
                step.getExecutionContext().getString("listing.start.after")).as("where a rerun resumes")
                .isEqualTo("r/03"));
        faults.clear();
        JobExecution rerun = delete.run(p);

        assertThat(rerun.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(rerun.getJobInstanceId()).as("the same run, continued").isEqualTo(failed.getJobInstanceId());
        assertThat(keys()).isEmpty();
        assertThat(records.totals(rerun.getId()).get(Outcome.DELETED).objects())
                .as("what was left after r/03, r/04 being gone already").isEqualTo(5);
    }

    @Test
    void aPartitionedDeleteDeletesEveryKeyUnderThePrefixOnceAndNothingBeyond() throws Exception {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(String.format("p/%s/%04d", i % 2 == 0 ? "even" : "odd", i));
        }
        all.add("p2/kept");
        all.add("o/kept");
        put(all.toArray(String[]::new));

        JobExecution execution = delete.run(parameters("src:" + bucket + "/p", false, Selection.ALL, false, 50)
                .withPartitions(4));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getStepExecutions()).filteredOn(s -> s.getStepName().startsWith("delete-range:"))
                .hasSize(4).allSatisfy(s -> assertThat(s.getWriteCount()).isPositive());
        assertThat(keys()).containsExactly("o/kept", "p2/kept");
        assertThat(records.totals(execution.getId()).get(Outcome.DELETED).objects()).isEqualTo(500);
    }

    private static DeleteParameters parameters(String location, boolean wholeBucket, Selection selection,
            boolean dryRun, int chunkSize) {
        return new DeleteParameters(location, wholeBucket, selection, dryRun, chunkSize, 100);
    }

    private void put(String... keys) {
        for (String key : keys) {
            src.put(PutRequest.builder(bucket, key).build(), Payload.ofBytes(new byte[] {1, 2, 3}));
        }
    }

    private List<String> keys() {
        return src.list(ListRequest.of(bucket, "")).objects().stream().map(ObjectInfo::key).toList();
    }
}
