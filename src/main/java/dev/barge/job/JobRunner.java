package dev.barge.job;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Starts a job the way an operator expects: the same command after a failure, a stop or a crash
 * continues the unfinished run (finished chunks are not done again); after a finished run it
 * starts a new run; while a run is alive in some process it refuses, naming that run.
 *
 * <p>Runs of one command are instances told apart by a {@code run} number. Whatever an
 * interruption left behind is made restartable first, as long as the process that left it is
 * gone: executions left unfinished in any shape ({@link ExecutionRecovery}), and an instance whose
 * process died before it created the instance's first execution.
 */
public final class JobRunner {
    /** Identifying parameter: which run of the same command an instance is. */
    public static final String RUN = "run";
    /** When the run first started; relative settings (ages) are measured from it, restarts included. */
    public static final String REFERENCE_TIME = "reference.time";

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobRepository repository;
    private final JobOperator operator;
    private final ExecutionOwnership ownership;
    private final ExecutionRecovery recovery;
    private final Clock clock;

    public JobRunner(JobRepository repository, JobOperator operator, ExecutionOwnership ownership, Clock clock) {
        this.repository = requireNonNull(repository, "repository is null");
        this.operator = requireNonNull(operator, "operator is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.recovery = new ExecutionRecovery(repository, operator, ownership);
    }

    /** How this runner makes interrupted executions restartable. */
    public ExecutionRecovery recovery() {
        return recovery;
    }

    /**
     * Runs the job to its end in this thread.
     *
     * @param jobName the job's name
     * @param parametersOfRun the job parameters of run {@code n} started at a reference time
     * @param jobFor builds the job for a set of parameters
     * @throws AlreadyRunning when the run is alive in another process
     */
    public JobExecution run(String jobName, BiFunction<Long, Instant, JobParameters> parametersOfRun,
            Function<JobParameters, Job> jobFor) throws Exception {
        for (long run = 1; ; run++) {
            JobParameters fresh = parametersOfRun.apply(run, clock.instant());
            JobInstance instance = repository.getJobInstance(jobName, fresh);
            if (instance == null) {
                return operator.start(jobFor.apply(fresh), fresh);
            }
            List<JobExecution> executions = repository.getJobExecutions(instance);
            if (executions.isEmpty()) {
                executions = awaitFirstExecution(instance);
            }
            if (executions.isEmpty()) {
                log.warn("run {} of {} has no execution: its process died while starting it; starting it again", run,
                        jobName);
                repository.deleteJobInstance(instance);
                return operator.start(jobFor.apply(fresh), fresh);
            }
            // Spring Batch refuses a restart while any execution of the instance looks running
            JobExecution last = null;
            for (JobExecution execution : executions) {
                JobExecution settled = recovery.recoverIfOrphaned(execution);
                if (last == null || settled.getId() > last.getId()) {
                    last = settled;
                }
            }
            BatchStatus status = last.getStatus();
            if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
                continue;
            }
            // Continue the unfinished run, keeping the reference time it started with.
            JobParameters restart = parametersOfRun.apply(run, referenceTime(last, fresh));
            log.info("continuing {} run {} from execution {} ({})", jobName, run, last.getId(), last.getStatus());
            return operator.start(jobFor.apply(restart), restart);
        }
    }

    /**
     * The executions of an instance that has none yet: another process may have just created it,
     * and creates its execution within moments; past {@code 3 x} the heartbeat interval it is gone.
     */
    private List<JobExecution> awaitFirstExecution(JobInstance instance) {
        try {
            ownership.awaitUntil(() -> !repository.getJobExecutions(instance).isEmpty(),
                    clock.instant().plus(ownership.interval().multipliedBy(3)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for run of " + instance.getJobName(), e);
        }
        return repository.getJobExecutions(instance);
    }

    private static Instant referenceTime(JobExecution last, JobParameters fresh) {
        String previous = last.getJobParameters().getString(REFERENCE_TIME);
        return Instant.parse(previous != null ? previous : fresh.getString(REFERENCE_TIME));
    }

    /**
     * Whether the parameters {@code mine} of some run and {@code theirs} name one job instance but for
     * the run: the same identifying values.
     */
    static boolean sameInstanceButRun(JobParameters mine, JobParameters theirs) {
        for (JobParameter<?> parameter : mine.getIdentifyingParameters()) {
            if (parameter.name().equals(RUN)) {
                continue;
            }
            JobParameter<?> other = theirs.getParameter(parameter.name());
            if (other == null || !other.identifying() || !Objects.equals(parameter.value(), other.value())) {
                return false;
            }
        }
        return true;
    }

    /** The same job is running in a process that is alive. */
    public static final class AlreadyRunning extends Exception {
        private static final long serialVersionUID = 1L;
        private final long jobExecutionId;

        AlreadyRunning(JobExecution execution, ExecutionOwnership.Owner owner) {
            super("this " + execution.getJobInstance().getJobName() + " is already running as execution "
                    + execution.getId() + (owner != null ? " in " + owner : "")
                    + "; wait for it, or stop it with 'barge jobs stop " + execution.getId() + "'");
            this.jobExecutionId = execution.getId();
        }

        public long jobExecutionId() {
            return jobExecutionId;
        }
    }
}
