package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.test.TempDirs;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shapes an interruption leaves in the job repository (a second Ctrl-C, kill -9, a death while
 * the execution is being created), built directly on the default H2 repository: the same
 * migration resumes each once the process that left it is gone, and refuses while it is alive.
 */
// closed with the class, before the JVM's exit deletes its temporary directories: an H2 database
// still open then writes a trace file into the deleted directory and leaves it behind
@DirtiesContext
@SpringBootTest(properties = "barge.jobs.heartbeat-interval=200ms")
class InterruptedExecutionRecoveryTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final int OBJECTS = 12;

    @Autowired
    MigrateJob migrate;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JobRepository repository;

    @Autowired
    JobOperator operator;

    @Autowired
    JdbcTemplate jdbc;

    private ObjectStore dst;
    private String out;
    private MigrateParameters parameters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        String home = TempDirs.create("barge-home-").toString();
        registry.add("barge.home", () -> home);
        MigrateJobContract.localRemotes(registry);
    }

    @BeforeEach
    void buckets() {
        ObjectStore src = stores.store("src");
        dst = stores.store("dst");
        int n = BUCKETS.incrementAndGet();
        String in = "in" + n;
        out = "out" + n;
        src.createBucket(in);
        dst.createBucket(out);
        for (int i = 0; i < OBJECTS; i++) {
            src.put(PutRequest.builder(in, "f" + i).build(), Payload.ofBytes(("object " + i).getBytes()));
        }
        parameters = MigrateParameters.builder("src:" + in, "dst:" + out).chunkSize(5).build();
    }

    /** What an interruption left: the execution's status and end, its step's, and who owns it. */
    record Shape(String name, BatchStatus job, boolean jobEnded, BatchStatus step, Owner owner) {
        @Override
        public String toString() {
            return name;
        }
    }

    enum Owner { GONE, NONE }

    static Stream<Arguments> wedged() {
        return Stream.of(
                new Shape("two Ctrl-C: STOPPED with an end time, its step STARTED with none", BatchStatus.STOPPED,
                        true, BatchStatus.STARTED, Owner.GONE),
                new Shape("killed while stopping: STOPPING, step STARTED", BatchStatus.STOPPING, false,
                        BatchStatus.STARTED, Owner.GONE),
                new Shape("kill -9: STARTED, step STARTED", BatchStatus.STARTED, false, BatchStatus.STARTED,
                        Owner.GONE),
                new Shape("died while creating it: STARTING without an owner record", BatchStatus.STARTING, false,
                        null, Owner.NONE),
                new Shape("died before recording its owner: STARTED, step STARTING, no owner record",
                        BatchStatus.STARTED, false, BatchStatus.STARTING, Owner.NONE),
                new Shape("STOPPED with no end time, step STOPPING", BatchStatus.STOPPED, false,
                        BatchStatus.STOPPING, Owner.GONE),
                new Shape("FAILED with an end time, its step still STARTED", BatchStatus.FAILED, true,
                        BatchStatus.STARTED, Owner.GONE)).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wedged")
    void theSameMigrationResumesAnExecutionLeftUnfinishedByAProcessThatIsGone(Shape shape) throws Exception {
        JobExecution stuck = leave(shape, goneProcess());

        JobExecution resumed = migrate.run(parameters);

        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getJobInstance().getId()).as("the same run continues")
                .isEqualTo(stuck.getJobInstance().getId());
        JobExecution recovered = repository.getJobExecution(stuck.getId());
        assertThat(recovered.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(recovered.getEndTime()).isNotNull();
        assertThat(recovered.getStepExecutions()).allSatisfy(s -> {
            assertThat(s.getStatus().isRunning()).as(s.toString()).isFalse();
            assertThat(s.getEndTime()).isNotNull();
        });
        assertThat(ownerRecords(stuck.getId())).as("the dead owner's record is gone").isZero();
        assertThat(targetKeys()).hasSize(OBJECTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wedged")
    void anExecutionWhoseOwnerIsAliveIsNeverRecovered(Shape shape) throws Exception {
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            JobExecution stuck = leave(shape, alive.pid());
            recordOwner(stuck.getId(), alive.pid());

            assertThatThrownBy(() -> migrate.run(parameters))
                    .isInstanceOf(JobRunner.AlreadyRunning.class)
                    .hasMessageContaining("already running as execution " + stuck.getId())
                    .hasMessageContaining("process " + alive.pid());
            JobExecution untouched = repository.getJobExecution(stuck.getId());
            assertThat(untouched.getStatus()).isEqualTo(stuck.getStatus());
            assertThat(untouched.getVersion()).isEqualTo(stuck.getVersion());
            assertThat(targetKeys()).isEmpty();
        } finally {
            alive.destroyForcibly().waitFor();
        }
    }

    @Test
    void aRunWhoseProcessDiedBetweenCreatingItsInstanceAndItsExecutionStartsAgain() throws Exception {
        JobInstance empty = repository.createJobInstance(MigrateJob.NAME, parameters.toJobParameters(1, Instant.now()));

        JobExecution run = migrate.run(parameters);

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(run.getJobParameters().getLong(JobRunner.RUN)).isEqualTo(1L);
        assertThat(run.getJobInstance().getId()).isNotEqualTo(empty.getId());
        assertThat(targetKeys()).hasSize(OBJECTS);
    }

    @Test
    void aStopRequestedBeforeTheExecutionExistsStopsItAsItStartsAndTheNextRunResumes() throws Exception {
        StopRequest stop = new StopRequest(operator, repository);
        assertThat(stop.request()).as("nothing runs yet").isNull();

        JobExecution stopped = migrate.run(parameters, stop);

        assertThat(stopped.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(targetKeys()).as("stopped before its first chunk").isEmpty();
        JobExecution resumed = migrate.run(parameters);
        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getJobInstance().getId()).isEqualTo(stopped.getJobInstance().getId());
        assertThat(targetKeys()).hasSize(OBJECTS);
    }

    /** Leaves run 1 of the migration in {@code shape}, as if its process (pid) had died there. */
    private JobExecution leave(Shape shape, long pid) throws Exception {
        JobParameters run1 = parameters.toJobParameters(1, Instant.now());
        JobInstance instance = repository.createJobInstance(MigrateJob.NAME, run1);
        JobExecution execution = repository.createJobExecution(instance, run1, new ExecutionContext());
        if (shape.job() != BatchStatus.STARTING) {
            execution.setStartTime(LocalDateTime.now());
            execution.setStatus(BatchStatus.STARTED);
            repository.update(execution);
        }
        if (shape.owner() == Owner.GONE) {
            recordOwner(execution.getId(), pid);
        }
        if (shape.step() != null) {
            StepExecution step = repository.createStepExecution(MigrateJob.NAME, execution);
            if (shape.step() != BatchStatus.STARTING) {
                step.setStartTime(LocalDateTime.now());
                step.setStatus(shape.step());
                repository.update(step);
            }
        }
        if (shape.job() != BatchStatus.STARTING && shape.job() != BatchStatus.STARTED) {
            execution.setStatus(shape.job());
            execution.setEndTime(shape.jobEnded() ? LocalDateTime.now() : null);
            repository.update(execution);
        }
        JobExecution left = repository.getJobExecution(execution.getId());
        assertThat(left.getStatus()).isEqualTo(shape.job());
        assertThat(left.getEndTime() != null).isEqualTo(shape.jobEnded());
        return left;
    }

    private void recordOwner(long executionId, long pid) throws IOException {
        jdbc.update("delete from BARGE_EXECUTION_OWNER where JOB_EXECUTION_ID = ?", executionId);
        // the owner started before its record was written, as a real owner does
        jdbc.update("insert into BARGE_EXECUTION_OWNER values (?, ?, ?, ?, ?)", executionId,
                InetAddress.getLocalHost().getHostName(), pid, Timestamp.from(Instant.now().plusSeconds(1)),
                Timestamp.from(Instant.now()));
    }

    private long ownerRecords(long executionId) {
        return jdbc.queryForObject("select count(*) from BARGE_EXECUTION_OWNER where JOB_EXECUTION_ID = ?", Long.class,
                executionId);
    }

    /** The id of a process that has ended. */
    private static long goneProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    private List<String> targetKeys() {
        List<String> keys = new ArrayList<>();
        dst.list(ListRequest.of(out, "")).objects().forEach(o -> keys.add(o.key()));
        return keys;
    }
}
