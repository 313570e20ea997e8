package dev.barge.cli;

import dev.barge.job.ArchiveJob;
import dev.barge.job.ArchiveParameters;
import dev.barge.job.DeleteJob;
import dev.barge.job.DeleteParameters;
import dev.barge.job.MigrateJob;
import dev.barge.job.JobRunner;
import dev.barge.job.MigrateParameters;
import dev.barge.job.RestoreJob;
import dev.barge.job.RestoreParameters;
import dev.barge.job.VerifyJob;
import dev.barge.job.VerifyParameters;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The {@link JobRun.Plan} of each job the command line runs: its preflight, how it starts and how
 * its totals are shown. A command builds its job's parameters and asks here; {@code barge jobs
 * restart} asks with an execution's parameters, so a job restarts as its command runs it.
 */
final class JobPlans {
    private JobPlans() {}

    static JobRun.Plan migrate(Session session, MigrateParameters parameters) {
        return new JobRun.Plan(MigrateJob.NAME,
                p -> parameters.source().equals(p.getString("source")) && parameters.target().equals(p.getString("target")),
                () -> Preflight.of(session).migration(parameters.source(), parameters.target(), parameters.excludes(),
                        !parameters.dryRun()),
                (stop, listed) -> session.bean(MigrateJob.class).run(parameters, stop, listed),
                parameters.dryRun(), JobView.MIGRATE);
    }

    static JobRun.Plan delete(Session session, DeleteParameters parameters) {
        return new JobRun.Plan(DeleteJob.NAME, p -> sameIdentity(parameters.toJobParameters(0, Instant.EPOCH), p),
                () -> Preflight.of(session).deletion(parameters.location()),
                (stop, listed) -> session.bean(DeleteJob.class).run(parameters, stop, listed),
                parameters.dryRun(), JobView.DELETE);
    }

    static JobRun.Plan archive(Session session, ArchiveParameters parameters) {
        return new JobRun.Plan(ArchiveJob.NAME, p -> sameIdentity(parameters.toJobParameters(0, Instant.EPOCH), p),
                () -> Preflight.of(session).archive(parameters.location(), parameters.storageClass()),
                (stop, listed) -> session.bean(ArchiveJob.class).run(parameters, stop, listed),
                parameters.dryRun(), JobView.ARCHIVE);
    }

    static JobRun.Plan restore(Session session, RestoreParameters parameters) {
        return new JobRun.Plan(RestoreJob.NAME, p -> sameIdentity(parameters.toJobParameters(0, Instant.EPOCH), p),
                () -> Preflight.of(session).restore(parameters.location(), parameters.thenCopyTo(),
                        parameters.thenStorageClass(), !parameters.dryRun()),
                (stop, listed) -> session.bean(RestoreJob.class).run(parameters, stop, listed),
                parameters.dryRun(), JobView.RESTORE);
    }

    static JobRun.Plan verify(Session session, VerifyParameters parameters) {
        return new JobRun.Plan(VerifyJob.NAME, p -> sameIdentity(parameters.toJobParameters(0, Instant.EPOCH), p),
                () -> Preflight.of(session).verification(parameters.source(), parameters.target()),
                (stop, listed) -> session.bean(VerifyJob.class).run(parameters, stop, listed), false, JobView.VERIFY);
    }

    /**
     * A new execution over exactly the objects {@code failed}, a finished migration, recorded as failed
     * ({@link MigrateJob#retryFailed}), with its parameters and reference time.
     */
    static JobRun.Plan retryFailed(Session session, JobExecution failed) {
        long id = failed.getId();
        MigrateParameters parameters = MigrateParameters.from(failed.getJobParameters());
        Instant referenceTime = Instant.parse(failed.getJobParameters().getString(JobRunner.REFERENCE_TIME));
        return new JobRun.Plan(MigrateJob.NAME, p -> Long.valueOf(id).equals(p.getLong(MigrateJob.RETRY_OF)),
                () -> Preflight.of(session).migration(parameters.source(), parameters.target(), parameters.excludes(),
                        !parameters.dryRun()),
                (stop, listed) -> session.bean(MigrateJob.class).retryFailed(parameters, id, referenceTime, stop, listed),
                parameters.dryRun(), JobView.MIGRATE);
    }

    /** The plan that continues {@code execution}, or empty for a job the command line cannot restart. */
    static Optional<JobRun.Plan> restart(Session session, JobExecution execution) {
        JobParameters p = execution.getJobParameters();
        return switch (execution.getJobInstance().getJobName()) {
            case MigrateJob.NAME -> Optional.of(p.getLong(MigrateJob.RETRY_OF) != null
                    ? retryFailed(session, session.bean(JobRepository.class).getJobExecution(p.getLong(MigrateJob.RETRY_OF)))
                    : migrate(session, MigrateParameters.from(p)));
            case DeleteJob.NAME -> Optional.of(delete(session, DeleteParameters.from(p)));
            case ArchiveJob.NAME -> Optional.of(archive(session, ArchiveParameters.from(p)));
            case RestoreJob.NAME -> Optional.of(restore(session, RestoreParameters.from(p)));
            case VerifyJob.NAME -> Optional.of(verify(session, VerifyParameters.from(p)));
            default -> Optional.empty();
        };
    }

    /** Whether two jobs' parameters name one job instance: the same identifying values, the run aside. */
    private static boolean sameIdentity(JobParameters mine, JobParameters theirs) {
        for (JobParameter<?> parameter : mine.getIdentifyingParameters()) {
            if (parameter.name().equals(JobRunner.RUN)) {
                continue;
            }
            JobParameter<?> other = theirs.getParameter(parameter.name());
            if (other == null || !other.identifying() || !Objects.equals(parameter.value(), other.value())) {
                return false;
            }
        }
        return true;
    }
}
