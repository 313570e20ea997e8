package dev.barge.job;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;

/**
 * A request to stop one run of a job after its chunk in flight, which may come at any moment:
 * before the run's execution exists (while the command starts up), while it is being created, or
 * while it runs. A request made early is kept, and the execution is stopped as soon as it starts
 * ({@link #beforeJob}), before its first chunk; the stopped execution resumes like any other.
 *
 * <p>Register it as a listener of the job it stops, after {@link ExecutionOwnership}.
 */
public final class StopRequest implements JobExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(StopRequest.class);

    private final JobOperator operator;
    private final JobRepository repository;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicReference<Long> running = new AtomicReference<>();
    private volatile Long started;

    public StopRequest(JobOperator operator, JobRepository repository) {
        this.operator = requireNonNull(operator, "operator is null");
        this.repository = requireNonNull(repository, "repository is null");
    }

    /**
     * Asks for the stop; safe from any thread, any number of times.
     *
     * @return the id of the execution asked to stop, or {@code null} when it has not started yet
     *     (it stops as it starts)
     */
    public Long request() {
        requested.set(true);
        Long id = running.get();
        if (id != null) {
            // a copy of its own: the job's thread keeps using the execution it runs with
            JobExecution execution = repository.getJobExecution(id);
            if (execution != null) {
                stop(execution);
            }
        }
        return id;
    }

    /** Whether a stop was asked for. */
    public boolean isRequested() {
        return requested.get();
    }

    /**
     * The execution of the run this request is for, once it exists: kept after the run ended, so
     * that a run that failed by an exception can still say which execution it made.
     */
    public Long startedExecution() {
        return started;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        started = execution.getId();
        running.set(execution.getId());
        if (requested.get()) {
            log.info("execution {} was asked to stop before it started; stopping it", execution.getId());
            stop(execution);
        }
    }

    @Override
    public void afterJob(JobExecution execution) {
        running.set(null);
    }

    private void stop(JobExecution execution) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            operator.stop(execution);
        } catch (JobExecutionNotRunningException e) {
            // it ended meanwhile
        }
    }
}
