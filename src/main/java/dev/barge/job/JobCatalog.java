package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ListingProgress;
import java.time.Instant;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Every job Barge runs, by its {@link JobRequest}: checked before it starts, started, and rebuilt
 * from an execution for a restart. The command line, the dashboard and the scheduler all start and
 * restart jobs here, so that a job behaves the same whoever starts it; the rules of starting and
 * continuing a run are {@link JobRunner}'s.
 */
@Component
public final class JobCatalog {
    private final MigrateJob migrate;
    private final DeleteJob delete;
    private final ArchiveJob archive;
    private final RestoreJob restore;
    private final VerifyJob verify;
    private final Preflight preflight;
    private final JobRepository repository;
    private final JobOperator operator;

    public JobCatalog(MigrateJob migrate, DeleteJob delete, ArchiveJob archive, RestoreJob restore, VerifyJob verify,
            Preflight preflight, JobRepository repository, JobOperator operator) {
        this.migrate = requireNonNull(migrate, "migrate is null");
        this.delete = requireNonNull(delete, "delete is null");
        this.archive = requireNonNull(archive, "archive is null");
        this.restore = requireNonNull(restore, "restore is null");
        this.verify = requireNonNull(verify, "verify is null");
        this.preflight = requireNonNull(preflight, "preflight is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.operator = requireNonNull(operator, "operator is null");
    }

    /** The names of the jobs, as the job repository has them. */
    public static List<String> names() {
        return List.of(MigrateJob.NAME, DeleteJob.NAME, ArchiveJob.NAME, RestoreJob.NAME, VerifyJob.NAME);
    }

    /**
     * What stands in the way of {@code request} ({@link Preflight}), one sentence each; empty when it
     * may start. Nothing is written but the target's write probe, and nothing with a dry run.
     */
    public List<String> problems(JobRequest request) {
        return request.problems(preflight);
    }

    /**
     * Checks {@code request} as {@link #problems} does.
     *
     * @throws NotStarted naming every problem, when there is one
     */
    public void preflight(JobRequest request) {
        List<String> problems = problems(request);
        if (!problems.isEmpty()) {
            throw new NotStarted(request.jobName(), problems);
        }
    }

    /**
     * Runs {@code request}'s job to its end in the calling thread, continuing its unfinished run if
     * there is one, or until {@code stop} is requested. No preflight: call {@link #preflight} first.
     *
     * @param listed told how far the job's listing has got, for progress
     * @throws JobRunner.AlreadyRunning when the same run is alive in some process
     */
    public JobExecution run(JobRequest request, StopRequest stop, ListingProgress listed) throws Exception {
        if (request instanceof MigrateParameters p) {
            return migrate.run(p, stop, listed);
        } else if (request instanceof RetryFailed r) {
            return migrate.retryFailed(r.migration(), r.failedExecutionId(), r.referenceTime(), stop, listed);
        } else if (request instanceof DeleteParameters p) {
            return delete.run(p, stop, listed);
        } else if (request instanceof ArchiveParameters p) {
            return archive.run(p, stop, listed);
        } else if (request instanceof RestoreParameters p) {
            return restore.run(p, stop, listed);
        } else if (request instanceof VerifyParameters p) {
            return verify.run(p, stop, listed);
        }
        throw new IllegalArgumentException("no job runs " + request);
    }

    /** {@link #run(JobRequest, StopRequest, ListingProgress)}, stopped only by {@link ExecutionControl#stop}. */
    public JobExecution run(JobRequest request) throws Exception {
        return run(request, stopRequest(), new ListingProgress());
    }

    /** A stop that can be asked for before the execution it stops exists. */
    public StopRequest stopRequest() {
        return new StopRequest(operator, repository);
    }

    /**
     * Checks and continues the run {@code executionId} belongs to, as {@code barge jobs restart} does:
     * its unfinished execution goes on from the last committed chunk.
     *
     * @throws UnknownExecution when there is no such execution
     * @throws ExecutionControl.Refused when it completed, was abandoned or was restarted already
     * @throws NotStarted when its checks fail now
     * @throws JobRunner.AlreadyRunning when it is running
     */
    public JobExecution restart(long executionId) throws Exception {
        JobRequest request = restartOf(executionId);
        preflight(request);
        return run(request);
    }

    /**
     * The request that continues execution {@code executionId}'s run: the execution must have ended
     * unfinished, and be the last of its run.
     *
     * @throws ExecutionControl.Refused when it completed, was abandoned or was restarted already
     * @throws UnknownExecution when there is no such execution
     */
    public JobRequest restartOf(long executionId) {
        JobExecution e = execution(executionId);
        BatchStatus status = e.getStatus();
        if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
            throw new ExecutionControl.Refused("execution " + executionId + " is " + status
                    + "; there is nothing to restart");
        }
        JobExecution last = repository.getLastJobExecution(e.getJobInstance());
        if (last != null && last.getId() != executionId) {
            throw new ExecutionControl.Refused("execution " + executionId + " was already restarted as execution "
                    + last.getId() + " (" + last.getStatus() + "); restart that one");
        }
        try {
            return requestOf(e);
        } catch (IllegalArgumentException unknownJob) {
            throw new ExecutionControl.Refused(unknownJob.getMessage());
        }
    }

    /** The execution {@code id}; {@link UnknownExecution} when there is none. */
    public JobExecution execution(long id) {
        JobExecution execution;
        try {
            execution = repository.getJobExecution(id);
        } catch (EmptyResultDataAccessException e) {
            execution = null;
        }
        if (execution == null) {
            throw new UnknownExecution(id);
        }
        return execution;
    }

    /**
     * The request {@code execution} was started with: running it continues that execution's run.
     *
     * @throws IllegalArgumentException for a job this catalog does not know
     */
    public JobRequest requestOf(JobExecution execution) {
        JobParameters p = execution.getJobParameters();
        String name = execution.getJobInstance().getJobName();
        return switch (name) {
            case MigrateJob.NAME -> p.getLong(MigrateJob.RETRY_OF) != null
                    ? retryOf(execution(p.getLong(MigrateJob.RETRY_OF)))
                    : MigrateParameters.from(p);
            case DeleteJob.NAME -> DeleteParameters.from(p);
            case ArchiveJob.NAME -> ArchiveParameters.from(p);
            case RestoreJob.NAME -> RestoreParameters.from(p);
            case VerifyJob.NAME -> VerifyParameters.from(p);
            default -> throw new IllegalArgumentException("execution " + execution.getId() + " is of job '" + name
                    + "', which this version of barge does not run");
        };
    }

    /** A retry of the objects {@code failed}, an execution of a migration, recorded as failed. */
    public static RetryFailed retryOf(JobExecution failed) {
        JobParameters p = failed.getJobParameters();
        return new RetryFailed(MigrateParameters.from(p), failed.getId(),
                Instant.parse(p.getString(JobRunner.REFERENCE_TIME)));
    }

    /** The checks before the start found problems; nothing was started. */
    public static final class NotStarted extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        NotStarted(String jobName, List<String> problems) {
            super(jobName + " was not started: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        /** Each problem, one sentence. */
        public List<String> problems() {
            return problems;
        }
    }

    /** No execution has the id asked for. */
    public static final class UnknownExecution extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnknownExecution(long id) {
            super("there is no job execution " + id + "; see 'barge jobs list'");
        }
    }
}
