package dev.barge.job;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;

/**
 * The worker's side of remote partitions ({@code barge worker}): runs the partitions managers send,
 * with Spring Batch's {@link StepExecutionRequestHandler}, which finds the partition's step execution
 * in the shared job repository and runs on it the step this class locates.
 *
 * <p>That step is the job's own range step: the job is the execution's
 * ({@link PartitionedJob}), rebuilt from the execution's parameters, and the range is the partition's
 * execution context ({@link JobSupport.RangeStep}), so a partition run here does exactly what it
 * would in the manager's process, and commits, resumes and counts the same way. The partitions of
 * one job execution that run here at once share its pools, as local partitions do.
 *
 * <p>While it runs a partition, this process is its recorded owner, with a heartbeat
 * ({@link ExecutionOwnership#ownPartition}): a manager ends the partition of a worker that died
 * ({@link RemotePartitionHandler}). A request for a partition that is no longer waiting to start
 * (one of a run that ended or was restarted since it was sent) is dropped. {@link #drain} stops the
 * partitions in flight after their chunk in flight, as a stop of their job would.
 *
 * <p>Every heartbeat interval the worker also looks at the managers of the partitions it runs: a
 * partition whose manager is gone ({@code kill -9}, a lost machine: its owner record's process is
 * dead, or silent for three heartbeats) is stopped after its chunk in flight too. Nobody waits for it
 * any more, and the job's restart (the same command again) would send it to a worker again while it
 * still ran here; stopped, it ends STOPPED and the restart resumes it from its last commit. A request
 * of a manager that is gone is not run at all: it ends STOPPED at once.
 */
public final class PartitionWorker implements StepLocator {
    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);

    private final Map<String, PartitionedJob> jobs;
    private final JobSupport support;
    private final JobRepository repository;
    private final ExecutionOwnership ownership;
    private final StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
    /** The work of each job execution's partitioned step running here, by execution id and step. */
    private final Map<String, Shared> shared = new HashMap<>();
    private final Set<StepExecution> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService managers = Executors.newSingleThreadScheduledExecutor(
            MigrateJob.threads("barge-partition-managers"));
    private volatile boolean draining;
    private volatile Consumer<String> report = line -> { };

    public PartitionWorker(List<PartitionedJob> jobs, JobSupport support, ExecutionOwnership ownership) {
        this.jobs = jobs.stream().collect(Collectors.toUnmodifiableMap(PartitionedJob::name, Function.identity()));
        this.support = requireNonNull(support, "support is null");
        this.repository = support.repository();
        this.ownership = requireNonNull(ownership, "ownership is null");
        handler.setJobRepository(repository);
        handler.setStepLocator(this);
        long every = ownership.interval().toMillis();
        managers.scheduleWithFixedDelay(this::stopOrphans, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops, after their chunk in flight, the partitions running here whose manager is gone. */
    void stopOrphans() {
        for (StepExecution execution : running) {
            try {
                long jobExecutionId = execution.getJobExecutionId();
                if (!execution.isTerminateOnly() && !ownership.isAlive(jobExecutionId)) {
                    log.warn("the manager of execution {} is gone: stopping partition {} after its chunk in flight;"
                            + " the job's restart resumes it", jobExecutionId, execution.getStepName());
                    report.accept("the manager of execution " + jobExecutionId + " is gone: stopping partition "
                            + execution.getStepName() + " after its chunk in flight");
                    execution.setTerminateOnly();
                }
            } catch (RuntimeException e) {
                // the repository did not answer: look again at the next heartbeat
                log.debug("could not look at the manager of partition {}: {}", execution.getStepName(), e.toString());
            }
        }
    }

    /** Tells {@code report} a line as each partition starts and ends here (a worker's console, say). */
    public void reportTo(Consumer<String> report) {
        this.report = requireNonNull(report, "report is null");
    }

    /** The jobs whose partitions this worker runs, by name. */
    public Set<String> jobNames() {
        return jobs.keySet();
    }

    /**
     * Runs the partition a manager asked for, in this thread, to its end (or its stop).
     *
     * @return its step execution as it ended
     */
    public StepExecution run(StepExecutionRequest request) {
        return handler.handle(request);
    }

    /** Whether {@link #drain} was called: no new partition is to be taken. */
    public boolean isDraining() {
        return draining;
    }

    /** The partitions running here now. */
    public int running() {
        return running.size();
    }

    /**
     * Stops taking partitions, and asks those in flight to stop after their chunk in flight (Spring
     * Batch's stop flag on their step executions): each ends STOPPED, and its job's restart resumes it.
     */
    public void drain() {
        draining = true;
        for (StepExecution execution : running) {
            log.info("stopping partition {} of execution {} after its chunk in flight", execution.getStepName(),
                    execution.getJobExecutionId());
            execution.setTerminateOnly();
        }
    }

    /** Waits until no partition runs here, or the deadline passes; whether none runs. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!running.isEmpty()) {
            if (!Instant.now().isBefore(deadline)) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** The range step of the job of the execution it is run on (the request names it). */
    @Override
    public Step getStep(String stepName) {
        return new Partition(stepName);
    }

    /** A partition's run: the job's range step, rebuilt here for the execution it is given. */
    private final class Partition implements Step {
        private final String name;

        Partition(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public void execute(StepExecution execution) throws JobInterruptedException {
            if (execution.getStatus() != BatchStatus.STARTING) {
                log.info("dropped the request for partition {} of execution {}: it is {} already (a request of a"
                                + " run that ended or was restarted since)", execution.getStepName(),
                        execution.getJobExecutionId(), execution.getStatus());
                return;
            }
            JobExecution jobExecution = execution.getJobExecution();
            if (!ownership.isAlive(jobExecution.getId())) {
                stopUnrun(execution, "its manager is gone; the job's restart (the same command again) runs it");
                return;
            }
            String jobName = jobExecution.getJobInstance().getJobName();
            PartitionedJob job = jobs.get(jobName);
            String workStep = job == null ? null : job.workSteps().stream()
                    .filter(step -> name.equals(JobSupport.rangeStepName(step))).findFirst().orElse(null);
            if (workStep == null) {
                fail(execution, new IllegalArgumentException("this worker runs partitions of " + jobNames()
                        + " as their range steps, not step " + name + " of job " + jobName));
                return;
            }
            running.add(execution);
            try (AutoCloseable owned = ownership.ownPartition(execution.getId())) {
                if (draining) {
                    execution.setTerminateOnly();
                }
                JobSupport.RangeWork work;
                try {
                    work = acquire(jobExecution, job, workStep);
                } catch (RuntimeException e) {
                    fail(execution, e);
                    return;
                }
                try {
                    log.info("running partition {} of {} execution {}", execution.getStepName(), jobName,
                            jobExecution.getId());
                    report.accept("running partition " + execution.getStepName() + " of " + jobName + " execution "
                            + jobExecution.getId());
                    new JobSupport.RangeStep(name, work.stepOf(), support).execute(execution);
                    log.info("partition {} of {} execution {} ended {}", execution.getStepName(), jobName,
                            jobExecution.getId(), execution.getStatus());
                    report.accept("partition " + execution.getStepName() + " of " + jobName + " execution "
                            + jobExecution.getId() + " ended " + execution.getStatus() + " (" + execution.getWriteCount()
                            + " objects, " + execution.getCommitCount() + " chunks)");
                } finally {
                    release(jobExecution.getId(), workStep);
                }
            } catch (JobInterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                // closing the owner record: the partition itself has ended
                log.warn("could not forget the owner record of partition {}: {}", execution.getId(), e.toString());
            } finally {
                running.remove(execution);
            }
        }
    }

    /** The work of a job execution's ranges of {@code workStep} on this worker, built for its first partition here. */
    private JobSupport.RangeWork acquire(JobExecution execution, PartitionedJob job, String workStep) {
        synchronized (shared) {
            String key = execution.getId() + "/" + workStep;
            Shared current = shared.get(key);
            if (current == null) {
                current = new Shared(job.rangeWork(workStep, execution.getJobParameters()));
                shared.put(key, current);
            }
            current.users++;
            return current.work;
        }
    }

    private void release(long jobExecutionId, String workStep) {
        synchronized (shared) {
            String key = jobExecutionId + "/" + workStep;
            Shared current = shared.get(key);
            if (current != null && --current.users == 0) {
                shared.remove(key);
                current.work.close();
            }
        }
    }

    /** Ends a partition not run here as STOPPED, saying why: its job's restart runs it. */
    private void stopUnrun(StepExecution execution, String why) {
        log.info("dropped the request for partition {} of execution {}: {}", execution.getStepName(),
                execution.getJobExecutionId(), why);
        report.accept("dropped the request for partition " + execution.getStepName() + ": " + why);
        LocalDateTime now = LocalDateTime.now();
        execution.setStartTime(now);
        execution.setStatus(BatchStatus.STOPPED);
        execution.setExitStatus(ExitStatus.STOPPED.addExitDescription(why));
        execution.setEndTime(now);
        repository.update(execution);
    }

    /** Ends a partition this worker could not run as FAILED, saying why, so that its manager stops waiting for it. */
    private void fail(StepExecution execution, Exception e) {
        String why = "worker process " + ProcessHandle.current().pid() + " could not run partition "
                + execution.getStepName() + ": " + e.getMessage();
        log.error(why, e);
        if (execution.getStartTime() == null) {
            execution.setStartTime(LocalDateTime.now());
        }
        execution.setStatus(BatchStatus.FAILED);
        execution.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
        execution.addFailureException(e);
        execution.setEndTime(LocalDateTime.now());
        repository.update(execution);
        report.accept(why);
    }

    private static final class Shared {
        private final JobSupport.RangeWork work;
        private int users;

        Shared(JobSupport.RangeWork work) {
            this.work = work;
        }
    }
}
