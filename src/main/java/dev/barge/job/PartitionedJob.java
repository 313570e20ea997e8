package dev.barge.job;

import java.util.Set;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A job whose work step runs in key ranges (migrate, verify, delete, archive): what it does in one
 * range, rebuilt from nothing but an execution's parameters. The job builds its own step from it,
 * partitioned or not ({@link JobSupport#workStep}); a worker ({@link PartitionWorker}) builds the
 * very same range step from it for a partition another process sent, so a range is worked on by
 * one code path wherever it runs.
 */
public interface PartitionedJob {

    /** The job's name in the repository, e.g. {@code migrate}. */
    String name();

    /**
     * The names of the job's steps that run in key ranges: by default one, named like the job
     * ({@code migrate}); a restore has two ({@code request}, {@code copy}).
     */
    default Set<String> workSteps() {
        return Set.of(name());
    }

    /**
     * The work of the job's step {@code workStep}, one of {@link #workSteps()}, as
     * {@link #rangeWork(JobParameters)}; by default that, for the one work step.
     */
    default JobSupport.RangeWork rangeWork(String workStep, JobParameters parameters) {
        return rangeWork(parameters);
    }

    /**
     * The job's work on one key range at a time, as {@code parameters} (an execution's) define it,
     * with pools of its own: close it when the last range run on them has ended.
     *
     * @throws RuntimeException when the parameters name what this process cannot reach (a remote
     *     not configured here, say), with a message saying what
     */
    JobSupport.RangeWork rangeWork(JobParameters parameters);
}
