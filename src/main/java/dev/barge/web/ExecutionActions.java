package dev.barge.web;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ListingProgress;
import dev.barge.config.ServeOnlyAutoConfigurations;
import dev.barge.job.ExecutionControl;
import dev.barge.job.JobCatalog;
import dev.barge.job.JobExecutionEnded;
import dev.barge.job.JobRequest;
import dev.barge.job.JobRunner;
import dev.barge.job.StopRequest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The dashboard's and the API's actions on executions, through the code {@code barge jobs stop},
 * {@code abandon} and {@code restart} use ({@link ExecutionControl}, {@link JobCatalog}): the same
 * rules and the same sentences. A restart is checked here, then runs in this process in the
 * background; {@link JobExecutionEnded} is published when it ends, as for scheduled runs, so that
 * its metrics are recorded. Closing (the server stopping) asks the restarts still going to stop after
 * their chunk in flight and waits for them: they can be restarted again.
 */
@Component
@ConditionalOnProperty(name = ServeOnlyAutoConfigurations.ENABLED, havingValue = "true")
public final class ExecutionActions implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ExecutionActions.class);
    /** How long a restart waits for its execution to appear before it answers without its id. */
    private static final Duration WAIT_FOR_EXECUTION = Duration.ofSeconds(10);
    private static final Duration LOOK_EVERY = Duration.ofMillis(100);

    private final JobCatalog catalog;
    private final ExecutionControl control;
    private final JobRepository repository;
    private final ApplicationEventPublisher events;
    private final Set<StopRequest> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService restarts;

    public ExecutionActions(JobCatalog catalog, ExecutionControl control, JobRepository repository,
            ApplicationEventPublisher events) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.control = requireNonNull(control, "control is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.events = requireNonNull(events, "events is null");
        AtomicInteger threads = new AtomicInteger();
        this.restarts = Executors.newCachedThreadPool(r -> new Thread(r, "barge-restart-" + threads.incrementAndGet()));
    }

    /**
     * What an action did.
     *
     * @param message what was done, in a sentence
     * @param executionId the execution it concerns: for a restart, the new execution when it is known
     */
    public record Result(String message, Long executionId) {
        public Result {
            requireNonNull(message, "message is null");
        }
    }

    /** {@code barge jobs stop ID}. */
    public Result stop(long id) throws Exception {
        return new Result(control.stop(id), id);
    }

    /** {@code barge jobs abandon ID}. */
    public Result abandon(long id) throws Exception {
        return new Result(control.abandon(id), id);
    }

    /**
     * {@code barge jobs restart ID}: checked as it is, then run here in the background. Answers once
     * the new execution exists (or after a few seconds without it).
     *
     * @throws JobCatalog.UnknownExecution when there is no such execution
     * @throws ExecutionControl.Refused when it completed, was abandoned or was restarted already
     * @throws JobCatalog.NotStarted when its checks fail now
     * @throws JobRunner.AlreadyRunning when its run is going in some process
     */
    public Result restart(long id) throws Exception {
        JobExecution old = catalog.execution(id);
        JobRequest request = catalog.restartOf(id);
        catalog.preflight(request);
        StopRequest stop = catalog.stopRequest();
        running.add(stop);
        CompletableFuture<JobExecution> run = new CompletableFuture<>();
        restarts.execute(() -> {
            try {
                JobExecution ended = catalog.run(request, stop, new ListingProgress());
                run.complete(ended);
                log.info("restart of execution {}: execution {} ended {}", id, ended.getId(), ended.getStatus());
                events.publishEvent(new JobExecutionEnded(ended.getId()));
            } catch (Exception | Error e) {
                run.completeExceptionally(e);
                if (!(e instanceof JobRunner.AlreadyRunning)) {
                    log.error("restart of execution {} failed: {}", id, e.toString(), e);
                    JobExecution started = newer(old);
                    if (started != null) {
                        events.publishEvent(new JobExecutionEnded(started.getId()));
                    }
                }
            } finally {
                running.remove(stop);
            }
        });
        long deadline = System.nanoTime() + WAIT_FOR_EXECUTION.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JobExecution ended = run.get(LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                return restarted(id, ended.getId());
            } catch (TimeoutException going) {
                JobExecution started = newer(old);
                if (started != null) {
                    return restarted(id, started.getId());
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }
        return new Result("execution " + id + " is being restarted; its new execution is not in the job repository"
                + " yet", null);
    }

    private static Result restarted(long id, long newId) {
        return new Result(newId == id ? "execution " + id + " continues"
                : "execution " + id + " restarted as execution " + newId, newId);
    }

    /** The execution after {@code old} in its run, once there is one. */
    private JobExecution newer(JobExecution old) {
        JobExecution last = repository.getLastJobExecution(old.getJobInstance());
        return last != null && last.getId() > old.getId() ? last : null;
    }

    @Override
    public void destroy() throws InterruptedException {
        running.forEach(StopRequest::request);
        restarts.shutdown();
        if (!restarts.awaitTermination(60, TimeUnit.SECONDS)) {
            log.warn("restarts still going as barge serve stops: {}", running.size());
        }
    }
}
