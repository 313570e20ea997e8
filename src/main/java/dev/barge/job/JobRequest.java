package dev.barge.job;

import java.util.List;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * What a job is asked to do: the parameters of one of Barge's jobs. The command line, the
 * dashboard and the scheduler each build one and hand it to {@link JobCatalog}, which checks it,
 * starts it and, from an execution's parameters, rebuilds it for a restart; a new job is a new
 * implementation here and a case there.
 */
public sealed interface JobRequest
        permits MigrateParameters, DeleteParameters, ArchiveParameters, RestoreParameters, VerifyParameters,
        RetryFailed {

    /** The job's name in the job repository. */
    String jobName();

    /** Whether it only reports what it would do, writing and deleting nothing. */
    boolean dryRun();

    /** What stands in the way of it, one sentence each, as {@code preflight} finds; empty when it may start. */
    List<String> problems(Preflight preflight);

    /** Whether a running execution's parameters {@code p} are of this request's run, whichever run it is. */
    boolean isRunOf(JobParameters p);
}
