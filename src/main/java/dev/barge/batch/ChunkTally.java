package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.StorageException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one chunk did, object by object: totals by outcome, the objects given up on with the
 * reason, and the objects a comparison reports (missing, different) with what it found.
 * {@link #record} writes them all in the chunk's transaction (failures are kept even if it rolls
 * back; findings go with it, to be found again when the chunk is done again) and fails the step
 * once more objects failed in the execution than its skip limit allows; findings are results, not
 * failures, and do not count against it. The bookkeeping every job's writer shares.
 */
public final class ChunkTally {
    private static final Logger log = LoggerFactory.getLogger(ChunkTally.class);

    private final Map<Outcome, ExecutionRecords.Total> totals = new EnumMap<>(Outcome.class);
    private final List<Failed> failed = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();

    /** An object given up on: its full key, its size if known, and why. */
    public record Failed(String key, Long size, StorageException failure) {
        public Failed {
            requireNonNull(key, "key is null");
            requireNonNull(failure, "failure is null");
        }
    }

    /** An object a comparison reports: its full key, its size, what was found and, in words, what differs. */
    public record Finding(String key, Long size, Outcome outcome, String message) {
        public Finding {
            requireNonNull(key, "key is null");
            requireNonNull(outcome, "outcome is null");
            requireNonNull(message, "message is null");
        }
    }

    /** Counts one object of {@code bytes} under {@code outcome}. */
    public void add(Outcome outcome, long bytes) {
        add(outcome, bytes, 1);
    }

    public void add(Outcome outcome, long bytes, long objects) {
        totals.merge(outcome, new ExecutionRecords.Total(objects, bytes), (a, b) -> a.plus(b.objects(), b.bytes()));
    }

    /** Gives up on one object; it is counted as {@link Outcome#FAILED} when recorded. */
    public void fail(String key, Long size, StorageException failure) {
        failed.add(new Failed(key, size, failure));
    }

    /**
     * Reports one object under {@code outcome} (counted with {@code size} bytes, 0 if unknown) with
     * what was found, to be listed with the execution's failures.
     */
    public void report(String key, Long size, Outcome outcome, String message) {
        findings.add(new Finding(key, size, outcome, message));
        add(outcome, size != null ? size : 0);
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    public List<Failed> failures() {
        return List.copyOf(failed);
    }

    /**
     * Records the chunk's failures and totals for the execution.
     *
     * @param failuresBefore failures recorded in the execution before this chunk
     * @param skipLimit failures the execution may have in all
     * @return failures recorded in the execution, this chunk's included
     * @throws SkipLimitExceeded past the skip limit
     */
    public long record(ExecutionRecords records, long jobExecutionId, String stepName, long failuresBefore, long skipLimit) {
        for (Failed f : failed) {
            records.recordFailure(jobExecutionId, stepName, f.key(), f.size(), f.failure());
            add(Outcome.FAILED, f.size() != null ? f.size() : 0);
            log.warn("skipped {}: {}", f.key(), f.failure().getMessage());
        }
        for (Finding f : findings) {
            records.recordFinding(jobExecutionId, stepName, f.key(), f.size(), f.outcome(), f.message());
            log.info("{} {}: {}", f.outcome(), f.key(), f.message());
        }
        records.addTotals(jobExecutionId, totals);
        long failures = failuresBefore + failed.size();
        if (failures > skipLimit) {
            throw new SkipLimitExceeded(failures, skipLimit, jobExecutionId);
        }
        return failures;
    }

    /** More objects failed in one execution than the job allows. */
    public static final class SkipLimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SkipLimitExceeded(long failures, long limit, long jobExecutionId) {
            super(failures + " objects failed, more than the skip limit of " + limit
                    + "; the reasons are recorded for execution " + jobExecutionId);
        }
    }
}
