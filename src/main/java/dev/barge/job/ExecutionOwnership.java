package dev.barge.job;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Records which process runs each execution, and keeps saying it is alive, so that an execution
 * left STARTED by a process that is gone (kill -9, a lost machine) can be told apart from one
 * still running. On the same host the process decides: its id, and a start before the record was
 * written (ids are reused); across hosts, a heartbeat older than {@code 3 x interval} does. The
 * same for the partitions a worker runs for a job run with {@code --remote} ({@link #ownPartition}),
 * one record per partition's step execution.
 */
public final class ExecutionOwnership implements JobExecutionListener, AutoCloseable {
    private final JdbcTemplate jdbc;
    private final Duration interval;
    private final Clock clock;
    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private final ScheduledExecutorService heartbeats;
    private final Map<Long, ScheduledFuture<?>> beating = new ConcurrentHashMap<>();

    public ExecutionOwnership(JdbcTemplate jdbc, Duration interval, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.host = localHost();
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "barge-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Who runs an execution, as recorded. */
    public record Owner(String host, long pid, Instant startedAt, Instant heartbeatAt) {
        @Override
        public String toString() {
            return "process " + pid + " on " + host + " (started " + startedAt + ", last heartbeat " + heartbeatAt + ")";
        }
    }

    @Override
    public void beforeJob(JobExecution execution) {
        long id = execution.getId();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("delete from BARGE_EXECUTION_OWNER where JOB_EXECUTION_ID = ?", id);
        jdbc.update("insert into BARGE_EXECUTION_OWNER (JOB_EXECUTION_ID, HOST, PID, STARTED_AT, HEARTBEAT_AT)"
                + " values (?, ?, ?, ?, ?)", id, host, pid, now, now);
        beating.put(id, heartbeats.scheduleAtFixedRate(() -> jdbc.update(
                        "update BARGE_EXECUTION_OWNER set HEARTBEAT_AT = ? where JOB_EXECUTION_ID = ?",
                        Timestamp.from(clock.instant()), id),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void afterJob(JobExecution execution) {
        ScheduledFuture<?> heartbeat = beating.remove(execution.getId());
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        jdbc.update("delete from BARGE_EXECUTION_OWNER where JOB_EXECUTION_ID = ?", execution.getId());
    }

    /** The recorded owner of an execution, or {@code null}. */
    public Owner owner(long jobExecutionId) {
        List<Owner> owners = jdbc.query("select HOST, PID, STARTED_AT, HEARTBEAT_AT from BARGE_EXECUTION_OWNER"
                        + " where JOB_EXECUTION_ID = ?",
                (rs, row) -> new Owner(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant()),
                jobExecutionId);
        return owners.isEmpty() ? null : owners.get(0);
    }

    /**
     * Whether the process that runs (or ran) an execution is alive. An execution with no owner
     * record died before it recorded one.
     */
    public boolean isAlive(long jobExecutionId) {
        return isAlive(owner(jobExecutionId));
    }

    /**
     * Records this process as the runner of a remote partition (its step execution), and says so
     * every interval until the returned handle is closed, which forgets the record.
     */
    public AutoCloseable ownPartition(long stepExecutionId) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("delete from BARGE_PARTITION_OWNER where STEP_EXECUTION_ID = ?", stepExecutionId);
        jdbc.update("insert into BARGE_PARTITION_OWNER (STEP_EXECUTION_ID, HOST, PID, STARTED_AT, HEARTBEAT_AT)"
                + " values (?, ?, ?, ?, ?)", stepExecutionId, host, pid, now, now);
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> jdbc.update(
                        "update BARGE_PARTITION_OWNER set HEARTBEAT_AT = ? where STEP_EXECUTION_ID = ?",
                        Timestamp.from(clock.instant()), stepExecutionId),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            heartbeat.cancel(false);
            // this process's record only: a partition taken over from it (its heartbeat was thought
            // lost) belongs to its new worker now, whose record must stay
            jdbc.update("delete from BARGE_PARTITION_OWNER where STEP_EXECUTION_ID = ? and HOST = ? and PID = ?",
                    stepExecutionId, host, pid);
        };
    }

    /** The recorded runner of a remote partition, or {@code null} (none took it yet, or it ended). */
    public Owner partitionOwner(long stepExecutionId) {
        List<Owner> owners = jdbc.query("select HOST, PID, STARTED_AT, HEARTBEAT_AT from BARGE_PARTITION_OWNER"
                        + " where STEP_EXECUTION_ID = ?",
                (rs, row) -> new Owner(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant()),
                stepExecutionId);
        return owners.isEmpty() ? null : owners.get(0);
    }

    /**
     * Whether a remote partition was taken by a process that is gone: it has an owner record, and
     * that owner is dead (same host) or silent for {@code 3 x interval} (another host). A partition
     * no worker took yet has no record, and is not lost: its request waits in the queue.
     */
    public boolean isPartitionLost(long stepExecutionId) {
        Owner owner = partitionOwner(stepExecutionId);
        return owner != null && !isAlive(owner);
    }

    /** Forgets the owner record of a remote partition. */
    public void forgetPartition(long stepExecutionId) {
        jdbc.update("delete from BARGE_PARTITION_OWNER where STEP_EXECUTION_ID = ?", stepExecutionId);
    }

    private boolean isAlive(Owner owner) {
        if (owner == null) {
            return false;
        }
        if (owner.host().equals(host)) {
            return owner.pid() == pid || ProcessHandle.of(owner.pid()).map(p -> isOwner(p, owner)).orElse(false);
        }
        return owner.heartbeatAt().isAfter(clock.instant().minus(interval.multipliedBy(3)));
    }

    /**
     * The moment by which a live process that created {@code execution} would have recorded itself
     * as its owner: {@code 3 x interval} after the execution's last recorded activity (creation,
     * start, update). A process records itself within moments of creating an execution; before
     * that moment an execution without an owner record may be one being started right now.
     */
    public Instant ownerRecordDeadline(JobExecution execution) {
        LocalDateTime last = execution.getCreateTime();
        for (LocalDateTime t : java.util.Arrays.asList(execution.getStartTime(), execution.getLastUpdated())) {
            if (t != null && (last == null || t.isAfter(last))) {
                last = t;
            }
        }
        if (last == null) {
            return Instant.MIN;
        }
        // Spring Batch records local date-times of the process that wrote them
        return last.atZone(ZoneId.systemDefault()).toInstant().plus(interval.multipliedBy(3));
    }

    /** Forgets the owner record of an execution that was recovered from a process that is gone. */
    public void forget(long jobExecutionId) {
        jdbc.update("delete from BARGE_EXECUTION_OWNER where JOB_EXECUTION_ID = ?", jobExecutionId);
    }

    /** How often owners say they are alive. */
    public Duration interval() {
        return interval;
    }

    /**
     * Waits, reading the repository a few times per heartbeat interval, until {@code done} holds
     * or the deadline passes: for a record another process is about to write.
     *
     * @return whether {@code done} held
     */
    boolean awaitUntil(java.util.function.BooleanSupplier done, Instant deadline) throws InterruptedException {
        long poll = Math.max(10, Math.min(interval.toMillis() / 5, 500));
        while (!done.getAsBoolean()) {
            if (!clock.instant().isBefore(deadline)) {
                return false;
            }
            Thread.sleep(poll);
        }
        return true;
    }

    /**
     * Whether a live process is the one that wrote the record: a process id can be reused, and a
     * process started after the record was written is someone else.
     */
    private static boolean isOwner(ProcessHandle process, Owner owner) {
        return process.isAlive() && process.info().startInstant()
                .map(started -> !started.isAfter(owner.startedAt()))
                .orElse(true);
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
