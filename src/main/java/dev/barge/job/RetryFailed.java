package dev.barge.job;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A migration again over exactly the objects an execution of it recorded as failed
 * ({@link MigrateJob#retryFailed}): {@code barge jobs retry-failed ID}.
 *
 * @param migration the failed execution's migration
 * @param failedExecutionId the execution whose failures (and those of its run before it) are retried
 * @param referenceTime the failed run's reference time, which relative filters (ages) keep
 */
public record RetryFailed(MigrateParameters migration, long failedExecutionId, Instant referenceTime)
        implements JobRequest {

    public RetryFailed {
        requireNonNull(migration, "migration is null");
        requireNonNull(referenceTime, "referenceTime is null");
    }

    @Override
    public String jobName() {
        return MigrateJob.NAME;
    }

    @Override
    public boolean dryRun() {
        return migration.dryRun();
    }

    @Override
    public List<String> problems(Preflight preflight) {
        return migration.problems(preflight);
    }

    @Override
    public boolean isRunOf(JobParameters p) {
        return Long.valueOf(failedExecutionId).equals(p.getLong(MigrateJob.RETRY_OF));
    }
}
