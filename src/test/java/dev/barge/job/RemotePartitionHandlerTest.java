package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The manager's watch over remote partitions whose worker is gone, on an H2 job repository in memory
 * with Barge's schema: a lost partition is handed on (STARTING again, its committed context kept,
 * its request sent again) up to {@link RemotePartitionHandler#MAX_TAKEOVERS} times, then ended as
 * FAILED; a partition whose worker lives, or that no worker took yet, is left alone. The end-to-end
 * case (a worker JVM killed with {@code kill -9}) is {@code RemotePartitionsTest}'s.
 */
class RemotePartitionHandlerTest {
    private JdbcTemplate jdbc;
    private JobRepository repository;
    private ExecutionOwnership ownership;
    private final List<StepExecutionRequest> sent = new CopyOnWriteArrayList<>();
    private final List<PartitionNotices.Notice> told = new CopyOnWriteArrayList<>();
    private RemotePartitionHandler handler;
    private JobExecution job;
    private Process dead;

    @BeforeEach
    void repository() throws Exception {
        DriverManagerDataSource db = new DriverManagerDataSource(
                "jdbc:h2:mem:partitions-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(db).locations("classpath:db/migration/h2").load().migrate();
        jdbc = new JdbcTemplate(db);
        JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
        factory.setDataSource(db);
        factory.setTransactionManager(new DataSourceTransactionManager(db));
        factory.afterPropertiesSet();
        repository = factory.getObject();
        ownership = new ExecutionOwnership(jdbc, Duration.ofSeconds(5), Clock.system(ZoneOffset.UTC));
        handler = new RemotePartitionHandler((splitter, manager) -> List.of(), repository, ownership,
                "migrate-range", sent::add, notices());
        JobInstance instance = repository.createJobInstance("migrate", new JobParameters());
        job = repository.createJobExecution(instance, new JobParameters(), new ExecutionContext());
        dead = new ProcessBuilder("true").start();
        dead.waitFor();
    }

    private PartitionNotices notices() {
        PartitionNotices notices = new PartitionNotices();
        notices.listen(told::add);
        return notices;
    }

    @AfterEach
    void stop() {
        ownership.close();
    }

    /** A partition a worker has been running: STARTED, its range and reader position committed. */
    private StepExecution running(String name) {
        StepExecution partition = repository.createStepExecution("migrate-range:" + name, job);
        partition.setStatus(BatchStatus.STARTED);
        partition.setWriteCount(500);
        partition.getExecutionContext().putString("range.after", "k0100");
        partition.getExecutionContext().putString("reader.last", "k0600");
        repository.update(partition);
        repository.updateExecutionContext(partition);
        return partition;
    }

    private void ownedBy(StepExecution partition, long pid) throws Exception {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("insert into BARGE_PARTITION_OWNER (STEP_EXECUTION_ID, HOST, PID, STARTED_AT, HEARTBEAT_AT)"
                + " values (?, ?, ?, ?, ?)", partition.getId(), InetAddress.getLocalHost().getHostName(), pid, now, now);
    }

    @Test
    void aPartitionWhoseWorkerIsGoneIsHandedOnWithItsCommittedContext() throws Exception {
        StepExecution partition = running("range003");
        ownedBy(partition, dead.pid());

        handler.endLostPartitions(job.getId());

        StepExecution now = repository.getStepExecution(partition.getId());
        assertThat(now.getStatus()).isEqualTo(BatchStatus.STARTING);
        assertThat(now.getWriteCount()).as("the counts committed so far").isEqualTo(500);
        assertThat(now.getExecutionContext().getString("reader.last")).as("where the next worker resumes")
                .isEqualTo("k0600");
        assertThat(now.getExecutionContext().getString("range.after")).isEqualTo("k0100");
        assertThat(sent).singleElement().satisfies(request -> {
            assertThat(request.getStepExecutionId()).isEqualTo(partition.getId());
            assertThat(request.getStepName()).isEqualTo("migrate-range");
        });
        assertThat(ownership.partitionOwner(partition.getId())).as("the dead owner's record is forgotten").isNull();
        assertThat(now.getVersion()).as("a worker thought lost fails its next commit").isGreaterThan(
                partition.getVersion());
        assertThat(told).as("the console of the command running the job is told").singleElement().satisfies(n -> {
            assertThat(n.jobExecutionId()).isEqualTo(job.getId());
            assertThat(n.text()).contains("partition migrate-range:range003 lost its worker",
                    "process " + dead.pid() + " on ", "handed to the next worker", "hand-off 1 of at most 3");
        });
    }

    @Test
    void afterThreeHandOffsALostPartitionEndsFailed() throws Exception {
        StepExecution partition = running("range001");
        for (int takeover = 1; takeover <= RemotePartitionHandler.MAX_TAKEOVERS + 1; takeover++) {
            StepExecution current = repository.getStepExecution(partition.getId());
            current.setStatus(BatchStatus.STARTED); // a worker took it again, and died again
            repository.update(current);
            ownedBy(current, dead.pid());
            handler.endLostPartitions(job.getId());
        }

        StepExecution ended = repository.getStepExecution(partition.getId());
        assertThat(sent).as("three hand-offs").hasSize(RemotePartitionHandler.MAX_TAKEOVERS);
        assertThat(ended.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(ended.getExitStatus().getExitDescription()).contains("lost its worker", "after 3 hand-offs",
                "run the same command again");
        assertThat(ended.getEndTime()).isNotNull();
        assertThat(told).as("three hand-offs and the end, each told").hasSize(RemotePartitionHandler.MAX_TAKEOVERS + 1);
        assertThat(told.get(told.size() - 1).text()).contains("ended as FAILED", "run the same command again");
    }

    @Test
    void aPartitionWithALiveWorkerOrNoneYetIsLeftAlone() throws Exception {
        StepExecution live = running("range000");
        ownedBy(live, ProcessHandle.current().pid());
        StepExecution queued = repository.createStepExecution("migrate-range:range002", job);

        handler.endLostPartitions(job.getId());

        assertThat(repository.getStepExecution(live.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);
        assertThat(repository.getStepExecution(queued.getId()).getStatus()).isEqualTo(BatchStatus.STARTING);
        assertThat(sent).isEmpty();
        assertThat(told).isEmpty();
    }
}
