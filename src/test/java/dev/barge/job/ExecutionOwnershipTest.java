package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Telling a live owner of an execution from a dead one, on an H2 job repository in memory. */
class ExecutionOwnershipTest {
    private JdbcTemplate jdbc;
    private ExecutionOwnership ownership;
    private String host;
    private Process other;

    @BeforeEach
    void repository() throws Exception {
        DriverManagerDataSource db = new DriverManagerDataSource(
                "jdbc:h2:mem:owners-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(db).locations("classpath:db/migration/h2").load().migrate();
        jdbc = new JdbcTemplate(db);
        jdbc.update("insert into BATCH_JOB_INSTANCE (JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY) values (1, 0, 'j', 'k')");
        jdbc.update("insert into BATCH_JOB_EXECUTION (JOB_EXECUTION_ID, VERSION, JOB_INSTANCE_ID, CREATE_TIME, STATUS)"
                + " values (7, 0, 1, current_timestamp, 'STARTED')");
        ownership = new ExecutionOwnership(jdbc, Duration.ofSeconds(5), Clock.system(ZoneOffset.UTC));
        host = InetAddress.getLocalHost().getHostName();
        other = new ProcessBuilder("sleep", "60").start();
    }

    @AfterEach
    void stop() throws Exception {
        other.destroyForcibly().waitFor();
        ownership.close();
    }

    private void owner(String onHost, long pid, Instant startedAt, Instant heartbeat) {
        jdbc.update("insert into BARGE_EXECUTION_OWNER values (7, ?, ?, ?, ?)", onHost, pid, Timestamp.from(startedAt),
                Timestamp.from(heartbeat));
    }

    @Test
    void aLiveProcessThatStartedBeforeItsRecordOwnsTheExecution() {
        owner(host, other.pid(), Instant.now().plusSeconds(1), Instant.now());
        assertThat(ownership.isAlive(7)).isTrue();
    }

    @Test
    void aProcessIdReusedByALaterProcessDoesNotKeepADeadExecutionAlive() {
        owner(host, other.pid(), Instant.now().minus(Duration.ofHours(1)), Instant.now().minus(Duration.ofHours(1)));
        assertThat(ownership.isAlive(7)).as("pid %d started after the record was written", other.pid()).isFalse();
    }

    @Test
    void aGoneProcessDoesNotOwnTheExecution() throws Exception {
        long pid = other.pid();
        other.destroyForcibly().waitFor();
        owner(host, pid, Instant.now(), Instant.now());
        assertThat(ownership.isAlive(7)).isFalse();
    }

    @Test
    void onAnotherHostTheHeartbeatDecides() {
        owner("elsewhere.example", 1, Instant.now().minusSeconds(60), Instant.now().minusSeconds(2));
        assertThat(ownership.isAlive(7)).isTrue();
        jdbc.update("update BARGE_EXECUTION_OWNER set HEARTBEAT_AT = ?", Timestamp.from(Instant.now().minusSeconds(16)));
        assertThat(ownership.isAlive(7)).as("no heartbeat for 3 intervals").isFalse();
    }

    @Test
    void anExecutionWithoutAnOwnerRecordIsNotAlive() {
        assertThat(ownership.isAlive(7)).isFalse();
    }
}
