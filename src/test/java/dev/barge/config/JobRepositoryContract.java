package dev.barge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import javax.sql.DataSource;

/**
 * The job repository as Barge sets it up (Flyway-owned schema, Spring Batch on top), checked on
 * each database it supports by a subclass that points {@code spring.datasource.*} at it.
 */
// closed with the class, before the JVM's exit deletes its temporary directories: an H2 database
// still open then writes a trace file into the deleted directory and leaves it behind
@DirtiesContext
@SpringBootTest
@Import(CountingJobConfiguration.class)
abstract class JobRepositoryContract {

    @Autowired
    JobOperator jobOperator;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Job countingJob;

    @Autowired
    DataSource dataSource;

    @Autowired
    List<Integer> written;

    @Test
    void flywayCreatedSpringBatchsTablesAndBargesOwn() {
        List<String> versions = jdbc.queryForList(
                "select \"version\" from \"flyway_schema_history\" where \"success\" and \"version\" is not null"
                        + " order by \"installed_rank\"",
                String.class);
        // every migration of the repository, in order, for both databases (V5: the scheduler's tables)
        assertThat(versions).containsExactlyElementsOf(migrationVersions("h2")).containsExactlyElementsOf(
                migrationVersions("postgresql")).contains("5");
        for (String table : List.of("BATCH_JOB_INSTANCE", "BATCH_JOB_EXECUTION", "BATCH_STEP_EXECUTION_CONTEXT",
                "BARGE_OBJECT_FAILURE", "BARGE_EXECUTION_TOTAL", "BARGE_EXECUTION_OWNER", "BARGE_SCHEDULE_LOCK",
                "BARGE_SCHEDULE_TICK")) {
            assertThat(jdbc.queryForObject("select count(*) from " + table, Long.class)).as(table).isNotNull();
        }
    }

    /** The versions of the migrations in {@code db/migration/<vendor>}, in order. */
    private static List<String> migrationVersions(String vendor) {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(
                java.nio.file.Path.of("db/migration", vendor))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__")))
                    .sorted(java.util.Comparator.comparingInt(Integer::parseInt))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aJobRunsIsRecordedAndItsInstanceCannotRunTwice() throws Exception {
        JobParameters parameters = new JobParametersBuilder().addString("run", getClass().getSimpleName()).toJobParameters();

        JobExecution execution = jobOperator.start(countingJob, parameters);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(written).containsExactlyElementsOf(IntStream.rangeClosed(1, 25).boxed().toList());
        JobExecution stored = jobRepository.getJobExecution(execution.getId());
        assertThat(stored.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(stored.getStepExecutions()).singleElement()
                .satisfies(step -> assertThat(step.getWriteCount()).isEqualTo(25))
                .satisfies(step -> assertThat(step.getCommitCount()).isEqualTo(4));
        assertThatThrownBy(() -> jobOperator.start(countingJob, parameters))
                .isInstanceOf(JobInstanceAlreadyCompleteException.class);

        jdbc.update("insert into BARGE_OBJECT_FAILURE (JOB_EXECUTION_ID, STEP_NAME, OBJECT_KEY, OBJECT_SIZE, ERROR_KIND,"
                + " OPERATION, MESSAGE, ATTEMPTS, FAILED_AT) values (?, 'count', 'photos/a.jpg', 10, 'ACCESS_DENIED',"
                + " 'get', 'denied', 1, current_timestamp)", execution.getId());
        assertThat(jdbc.queryForObject("select OBJECT_KEY from BARGE_OBJECT_FAILURE where JOB_EXECUTION_ID = ?",
                String.class, execution.getId())).isEqualTo("photos/a.jpg");
    }

    /**
     * Partitions commit at once, and every commit updates the job's totals row: a commit that finds
     * the row locked by another waits its turn. H2's default is to give up after 2 s (16 partitions of
     * a no-op sync on a busy machine failed so); PostgreSQL waits. The lock here is held 2.5 s.
     */
    @Test
    void aRowLockedLongerThanTwoSecondsIsWaitedForNotFailed() throws Exception {
        jdbc.execute("create table lock_probe (id int primary key, v int)");
        try {
            jdbc.update("insert into lock_probe values (1, 0)");
            try (Connection holder = dataSource.getConnection()) {
                holder.setAutoCommit(false);
                try (Statement s = holder.createStatement()) {
                    s.executeUpdate("update lock_probe set v = 1 where id = 1");
                }
                CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(
                        () -> jdbc.update("update lock_probe set v = v + 10 where id = 1"));
                Thread.sleep(2_500); // the lock held past H2's default timeout: the scenario, not a wait for it
                holder.commit();
                assertThat(waiter.get(60, TimeUnit.SECONDS)).as("the second update waited, then went through")
                        .isEqualTo(1);
            }
            assertThat(jdbc.queryForObject("select v from lock_probe where id = 1", Integer.class)).isEqualTo(11);
        } finally {
            jdbc.execute("drop table lock_probe");
        }
    }
}
