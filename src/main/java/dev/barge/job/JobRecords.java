package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.Outcome;
import dev.barge.storage.StorageException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Barge's own records of an execution ({@link ExecutionRecords}, over JDBC), beside Spring Batch's: totals by outcome, written in the
 * chunk's transaction so that they count exactly the committed work; per-object failures,
 * written in a transaction of their own so that the reasons survive a chunk that rolls back (the
 * one that broke the skip limit, say); and per-object findings of a comparison ({@code verify}:
 * missing, different), in the failure table beside the failures but written in the chunk's
 * transaction, so that a chunk done again after a restart reports each key once.
 */
public final class JobRecords implements ExecutionRecords {
    private static final int MAX_MESSAGE = 4000;
    private static final int MAX_CODE = 255;
    /** The {@code OPERATION} of a finding's row, which tells it from a failure's (a storage operation). */
    public static final String FINDING_OPERATION = "verify";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    public JobRecords(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
        this.ownTransaction = new TransactionTemplate(requireNonNull(transactionManager, "transactionManager is null"));
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * One failed object, as recorded; or one finding ({@link #isFinding}), whose {@code kind} is its
     * {@link Outcome}'s name, whose {@code operation} is {@value #FINDING_OPERATION} and whose
     * {@code message} says what differs.
     */
    public record Failure(String step, String key, Long size, String kind, String operation, String message,
            String vendorCode, String requestId, int attempts, Instant failedAt) {
        /** Whether this is a comparison's finding, not a failure. */
        public boolean isFinding() {
            return FINDING_OPERATION.equals(operation);
        }
    }

    /** Creates the zero totals of an execution, so that chunks (and partitions) only ever update them. */
    public void startTotals(long jobExecutionId) {
        for (Outcome outcome : Outcome.values()) {
            jdbc.update("insert into BARGE_EXECUTION_TOTAL (JOB_EXECUTION_ID, OUTCOME, OBJECTS, BYTES)"
                    + " select ?, ?, 0, 0 where not exists (select 1 from BARGE_EXECUTION_TOTAL"
                    + " where JOB_EXECUTION_ID = ? and OUTCOME = ?)", jobExecutionId, outcome.name(), jobExecutionId,
                    outcome.name());
        }
    }

    @Override
    public void addTotals(long jobExecutionId, Map<Outcome, Total> totals) {
        totals.forEach((outcome, total) -> {
            if (total.objects() != 0 || total.bytes() != 0) {
                jdbc.update("update BARGE_EXECUTION_TOTAL set OBJECTS = OBJECTS + ?, BYTES = BYTES + ?"
                        + " where JOB_EXECUTION_ID = ? and OUTCOME = ?", total.objects(), total.bytes(), jobExecutionId,
                        outcome.name());
            }
        });
    }

    public Map<Outcome, Total> totals(long jobExecutionId) {
        Map<Outcome, Total> totals = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            totals.put(outcome, new Total(0, 0));
        }
        jdbc.query("select OUTCOME, OBJECTS, BYTES from BARGE_EXECUTION_TOTAL where JOB_EXECUTION_ID = ?",
                rs -> {
                    totals.put(Outcome.valueOf(rs.getString(1)), new Total(rs.getLong(2), rs.getLong(3)));
                }, jobExecutionId);
        return totals;
    }

    /**
     * The totals of every execution of a job instance, summed: what a run resumed across several
     * executions has done in all (each chunk is counted by the execution that committed it).
     */
    public Map<Outcome, Total> instanceTotals(long jobInstanceId) {
        Map<Outcome, Total> totals = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            totals.put(outcome, new Total(0, 0));
        }
        jdbc.query("select t.OUTCOME, sum(t.OBJECTS), sum(t.BYTES) from BARGE_EXECUTION_TOTAL t"
                        + " join BATCH_JOB_EXECUTION e on e.JOB_EXECUTION_ID = t.JOB_EXECUTION_ID"
                        + " where e.JOB_INSTANCE_ID = ? group by t.OUTCOME",
                rs -> {
                    totals.put(Outcome.valueOf(rs.getString(1)), new Total(rs.getLong(2), rs.getLong(3)));
                }, jobInstanceId);
        return totals;
    }

    /** The executions of a job instance that recorded failures or findings, oldest first. */
    public List<Long> executionsWithFailures(long jobInstanceId) {
        return jdbc.queryForList("select distinct f.JOB_EXECUTION_ID from BARGE_OBJECT_FAILURE f"
                + " join BATCH_JOB_EXECUTION e on e.JOB_EXECUTION_ID = f.JOB_EXECUTION_ID"
                + " where e.JOB_INSTANCE_ID = ? order by f.JOB_EXECUTION_ID", Long.class, jobInstanceId);
    }

    @Override
    public void recordFailure(long jobExecutionId, String step, String key, Long size, StorageException e) {
        String recorded = truncate(e.getMessage(), MAX_MESSAGE);
        ownTransaction.executeWithoutResult(status -> jdbc.update(
                "insert into BARGE_OBJECT_FAILURE (JOB_EXECUTION_ID, STEP_NAME, OBJECT_KEY, OBJECT_SIZE, ERROR_KIND,"
                        + " OPERATION, MESSAGE, VENDOR_CODE, REQUEST_ID, ATTEMPTS, FAILED_AT)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                jobExecutionId, step, key, size, e.kind().name(), e.operation().label(), recorded,
                truncate(e.vendorCode(), MAX_CODE), truncate(e.requestId(), MAX_CODE), e.attempts(), Timestamp.from(Instant.now())));
    }

    /**
     * Records what a comparison found for one object, in the caller's (the chunk's) transaction.
     *
     * @param key the full key: the source's, or the target's when only the target has it
     * @param outcome what was found, e.g. {@link Outcome#MISSING_AT_TARGET}
     * @param message what differs, with both locations
     */
    @Override
    public void recordFinding(long jobExecutionId, String step, String key, Long size, Outcome outcome,
            String message) {
        jdbc.update("insert into BARGE_OBJECT_FAILURE (JOB_EXECUTION_ID, STEP_NAME, OBJECT_KEY, OBJECT_SIZE, ERROR_KIND,"
                        + " OPERATION, MESSAGE, ATTEMPTS, FAILED_AT) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                jobExecutionId, step, key, size, outcome.name(), FINDING_OPERATION, truncate(message, MAX_MESSAGE), 1,
                Timestamp.from(Instant.now()));
    }

    /** The failures and findings of an execution, in the order recorded. */
    public List<Failure> failures(long jobExecutionId) {
        return jdbc.query("select STEP_NAME, OBJECT_KEY, OBJECT_SIZE, ERROR_KIND, OPERATION, MESSAGE, VENDOR_CODE,"
                        + " REQUEST_ID, ATTEMPTS, FAILED_AT from BARGE_OBJECT_FAILURE where JOB_EXECUTION_ID = ? order by ID",
                (rs, row) -> new Failure(rs.getString(1), rs.getString(2), (Long) rs.getObject(3, Long.class),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9),
                        rs.getTimestamp(10).toInstant()),
                jobExecutionId);
    }

    /** The objects an execution gave up on, findings not counted: what its skip limit counts. */
    @Override
    public long failureCount(long jobExecutionId) {
        Long count = jdbc.queryForObject("select count(*) from BARGE_OBJECT_FAILURE where JOB_EXECUTION_ID = ?"
                        + " and (OPERATION is null or OPERATION <> ?)", Long.class, jobExecutionId, FINDING_OPERATION);
        return count == null ? 0 : count;
    }

    /** At most {@code max} characters, never cutting a surrogate pair in two. */
    private static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
