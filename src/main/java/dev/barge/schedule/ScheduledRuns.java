package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ListingProgress;
import dev.barge.job.ExecutionOwnership;
import dev.barge.job.JobCatalog;
import dev.barge.job.JobExecutionEnded;
import dev.barge.job.JobRunner;
import dev.barge.job.StopRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.support.CronExpression;

/**
 * Runs the specs of {@code jobs/} when they are due, and on request ({@link #runNow}).
 *
 * <p>On each tick, in this order: the tick is claimed in {@link ScheduleTicks} (of the instances
 * sharing the job repository, only the one that records a tick acts on it: one run per tick); then
 * the spec's cluster-wide lock is taken ({@link SpecLocks}; held for the whole run, kept alive while
 * it goes on): when another run of the spec still holds it, here or on another instance, the tick is
 * SKIPPED. The run itself goes to a bounded pool, never on the scheduler's thread, so that one long
 * run does not hold up the ticks of other specs; when every thread of the pool is busy, the tick
 * FAILED_TO_START. A run is checked first ({@link JobCatalog#preflight}) and then started like any
 * other job, continuing its unfinished run if it has one ({@link JobRunner}): a failed scheduled run
 * is in the job repository like any other, restartable, and the next tick continues it.
 */
public final class ScheduledRuns implements Schedules, SmartLifecycle, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScheduledRuns.class);
    /** How often a starting run's execution is looked for in the job repository. */
    private static final Duration FIND_EXECUTION_EVERY = Duration.ofMillis(200);
    /** How often ticks older than {@code keepTicksFor} are deleted. */
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final Map<String, ScheduleSpec> specs = new LinkedHashMap<>();
    private final TaskScheduler scheduler;
    private final TaskExecutor runs;
    private final SpecLocks locks;
    private final ScheduleTicks ticks;
    private final JobCatalog catalog;
    private final JobRepository repository;
    private final ExecutionOwnership ownership;
    private final ApplicationEventPublisher events;
    private final String node;
    private final Clock clock;
    private final Duration runNowWait;
    private final Runnable shutdown;
    private final Duration keepTicksFor;
    private final Map<String, StopRequest> running = new ConcurrentHashMap<>();
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private final AtomicLong claimedElsewhere = new AtomicLong();
    private volatile boolean started;

    /**
     * @param runs the bounded pool runs go to; it refuses a run when all its threads are busy
     * @param node this instance's name, in the ticks and the locks
     * @param runNowWait how long {@link #runNow} waits for the execution to appear
     * @param keepTicksFor how long ticks are kept (a spec's last tick, and its last that started a run, always)
     * @param shutdown shuts down the scheduler, the pool and what else this needs, once runs have been asked to stop
     */
    ScheduledRuns(List<ScheduleSpec> specs, TaskScheduler scheduler, TaskExecutor runs, SpecLocks locks,
            ScheduleTicks ticks, JobCatalog catalog, JobRepository repository, ExecutionOwnership ownership,
            ApplicationEventPublisher events, String node, Clock clock, Duration runNowWait, Duration keepTicksFor, Runnable shutdown) {
        specs.forEach(spec -> this.specs.put(spec.name(), spec));
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.locks = requireNonNull(locks, "locks is null");
        this.ticks = requireNonNull(ticks, "ticks is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.events = requireNonNull(events, "events is null");
        this.node = requireNonNull(node, "node is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.runNowWait = requireNonNull(runNowWait, "runNowWait is null");
        this.keepTicksFor = requireNonNull(keepTicksFor, "keepTicksFor is null");
        this.shutdown = requireNonNull(shutdown, "shutdown is null");
    }

    @Override
    public List<Schedule> schedules() {
        List<Schedule> all = new ArrayList<>();
        for (ScheduleSpec spec : specs.values()) {
            Optional<Tick> last = ticks.last(spec.name());
            Optional<Long> execution = ticks.lastExecution(spec.name()).map(Tick::jobExecutionId);
            Optional<BatchStatus> status = execution.flatMap(this::status);
            all.add(new Schedule(spec.name(), spec.job(), spec.request().toString(), spec.cron(), spec.zone(),
                    next(spec.cron(), spec.zone()), last, execution, status));
        }
        return List.copyOf(all);
    }

    @Override
    public List<Tick> ticks(String name, int limit) {
        return ticks.recent(spec(name).name(), limit);
    }

    @Override
    public long runNow(String name) {
        ScheduleSpec spec = spec(name);
        long tick = ticks.claimManual(name, node);
        log.info("{}: run now (tick {})", name, tick);
        CompletableFuture<Long> execution = start(spec, tick);
        try {
            return execution.get(runNowWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotStarted notStarted) {
                throw notStarted;
            }
            throw new IllegalStateException(name + ": the run failed as it started: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": the run was started (tick " + tick + "), but its execution did"
                    + " not appear within " + runNowWait.toSeconds() + " s; see the schedules page");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
    }

    private ScheduleSpec spec(String name) {
        ScheduleSpec spec = specs.get(name);
        if (spec == null) {
            throw new NoSuchElementException("there is no scheduled job '" + name + "'; the scheduled jobs are "
                    + specs.keySet());
        }
        return spec;
    }

    /** A cron tick of {@code spec} due at {@code due}, on the scheduler's thread. */
    void onTick(ScheduleSpec spec, Instant due) {
        if (!started) {
            return; // stopping: the ticks to come are another instance's, or this one's once it is back
        }
        try {
            Optional<Long> tick = ticks.claim(spec.name(), due, node);
            if (tick.isEmpty()) {
                claimedElsewhere.incrementAndGet();
                log.debug("{}: the tick due at {} is another instance's", spec.name(), due);
                return;
            }
            start(spec, tick.get());
        } catch (RuntimeException e) {
            // a tick that cannot even be recorded (the database is away) must not end the schedule
            log.error("{}: the tick due at {} could not be handled: {}", spec.name(), due, e.toString());
        }
    }

    /**
     * Takes the spec's lock and hands the run to the pool; the future gives the run's execution id,
     * or fails with {@link NotStarted} when the run was not started.
     */
    private CompletableFuture<Long> start(ScheduleSpec spec, long tick) {
        CompletableFuture<Long> execution = new CompletableFuture<>();
        Optional<SimpleLock> lock = locks.lock(spec.name());
        if (lock.isEmpty()) {
            Long going = ticks.lastExecution(spec.name()).map(Tick::jobExecutionId).orElse(null);
            String message = "the previous run of " + spec.name() + (going != null ? " (execution " + going + ")" : "")
                    + " is still going; nothing was started";
            skipped(spec, tick, Tick.Outcome.SKIPPED, going, message, execution);
            return execution;
        }
        try {
            runs.execute(() -> run(spec, tick, lock.get(), execution));
        } catch (TaskRejectedException e) {
            lock.get().unlock();
            skipped(spec, tick, Tick.Outcome.FAILED_TO_START, null, "every thread for scheduled runs is busy with"
                    + " another run (barge.schedule.max-concurrent-runs); nothing was started", execution);
        }
        return execution;
    }

    private void skipped(ScheduleSpec spec, long tick, Tick.Outcome outcome, Long executionId, String message,
            CompletableFuture<Long> execution) {
        log.warn("{}: {}", spec.name(), message);
        ticks.decide(tick, outcome, executionId, message);
        execution.completeExceptionally(new NotStarted(outcome, message));
    }

    /** One run, on a thread of the pool, holding the spec's lock until it ends. */
    private void run(ScheduleSpec spec, long tick, SimpleLock lock, CompletableFuture<Long> execution) {
        Instant startedAt = clock.instant();
        ScheduledFuture<?> finder = null;
        StopRequest stop = null;
        try {
            if (!started) {
                skipped(spec, tick, Tick.Outcome.FAILED_TO_START, null, "this barge serve was shutting down as the"
                        + " tick came; nothing was started", execution);
                return;
            }
            stop = catalog.stopRequest();
            running.put(spec.name(), stop);
            try {
                catalog.preflight(spec.request());
            } catch (JobCatalog.NotStarted e) {
                skipped(spec, tick, Tick.Outcome.FAILED_TO_START, null, e.getMessage(), execution);
                return;
            }
            if (!started) {
                stop.request(); // stop() went by before this run was listed: it stops as it starts
            }
            try {
                finder = scheduler.scheduleWithFixedDelay(() -> findExecution(spec, tick, startedAt, execution),
                        FIND_EXECUTION_EVERY);
            } catch (TaskRejectedException shuttingDown) {
                // the execution is recorded when the run ends instead
            }
            log.info("{}: starting {} (tick {})", spec.name(), spec.request(), tick);
            JobExecution ended = catalog.run(spec.request(), stop, new ListingProgress());
            // recorded before anyone waiting on the future is told, so that what they read next has it
            ticks.execution(tick, ended.getId());
            execution.complete(ended.getId());
            log.info("{}: execution {} ended {} ({})", spec.name(), ended.getId(), ended.getStatus(),
                    ended.getExitStatus().getExitCode());
            events.publishEvent(new JobExecutionEnded(ended.getId()));
        } catch (JobRunner.AlreadyRunning e) {
            // started outside the scheduler (the command line, another dashboard) and still going
            skipped(spec, tick, Tick.Outcome.SKIPPED, e.jobExecutionId(), e.getMessage(), execution);
        } catch (Exception e) {
            failed(spec, tick, e, execution, stop);
        } catch (Error e) {
            failed(spec, tick, e, execution, stop);
            throw e;
        } finally {
            if (finder != null) {
                finder.cancel(false);
            }
            try {
                lock.unlock();
            } finally {
                running.remove(spec.name());
            }
        }
    }

    /**
     * Records a run that ended in an exception rather than in a failed execution: as started, with
     * its execution, when it made one (a stop that came as it started may end it so), else as failed
     * to start.
     */
    private void failed(ScheduleSpec spec, long tick, Throwable e, CompletableFuture<Long> execution,
            StopRequest stop) {
        log.error("{}: the run of tick {} failed: {}", spec.name(), tick, e.toString(), e);
        Long known = execution.isDone() && !execution.isCompletedExceptionally() ? execution.getNow(null) : null;
        if (known == null && stop != null) {
            known = stop.startedExecution();
            if (known != null) {
                execution.complete(known);
            }
        }
        try {
            if (known == null) {
                skipped(spec, tick, Tick.Outcome.FAILED_TO_START, null, "the run failed as it started: " + e, execution);
            } else {
                ticks.decide(tick, Tick.Outcome.STARTED, known, "the run failed: " + e);
                events.publishEvent(new JobExecutionEnded(known));
            }
        } catch (RuntimeException recording) {
            log.error("{}: tick {} could not be recorded: {}", spec.name(), tick, recording.toString());
            execution.completeExceptionally(e);
        }
    }

    /** Records the execution of a starting run as soon as it is in the job repository. */
    private void findExecution(ScheduleSpec spec, long tick, Instant startedAt, CompletableFuture<Long> execution) {
        if (execution.isDone()) {
            return;
        }
        try {
            long pid = ProcessHandle.current().pid();
            repository.findRunningJobExecutions(spec.request().jobName()).stream()
                    .filter(e -> spec.request().isRunOf(e.getJobParameters()))
                    .filter(e -> e.getCreateTime() == null || !e.getCreateTime().atZone(ZoneId.systemDefault())
                            .toInstant().isBefore(startedAt.minusSeconds(1)))
                    .filter(e -> {
                        ExecutionOwnership.Owner owner = ownership.owner(e.getId());
                        return owner == null || owner.pid() == pid;
                    })
                    .map(JobExecution::getId)
                    .max(Long::compare)
                    .ifPresent(id -> {
                        ticks.execution(tick, id);
                        execution.complete(id);
                    });
        } catch (RuntimeException e) {
            log.debug("{}: looking for the execution of tick {}: {}", spec.name(), tick, e.toString());
        }
    }

    private Optional<BatchStatus> status(long executionId) {
        try {
            return Optional.ofNullable(repository.getJobExecution(executionId)).map(JobExecution::getStatus);
        } catch (RuntimeException gone) {
            return Optional.empty();
        }
    }

    private Instant next(String cron, ZoneId zone) {
        ZonedDateTime next = CronExpression.parse(cron).next(ZonedDateTime.now(clock.withZone(zone)));
        return next == null ? null : next.toInstant();
    }

    @Override
    public void start() {
        for (ScheduleSpec spec : specs.values()) {
            DueTrigger trigger = new DueTrigger(spec.trigger());
            scheduled.add(scheduler.schedule(() -> onTick(spec, trigger.due()), trigger));
            log.info("{}: {} job scheduled at '{}' ({}), next at {}", spec.name(), spec.job(), spec.cron(), spec.zone(),
                    next(spec.cron(), spec.zone()));
        }
        scheduled.add(scheduler.scheduleWithFixedDelay(this::prune, clock.instant().plus(Duration.ofMinutes(1)),
                PRUNE_EVERY));
        started = true;
    }

    private void prune() {
        try {
            int deleted = ticks.prune(clock.instant().minus(keepTicksFor));
            if (deleted > 0) {
                log.info("deleted {} ticks older than {}", deleted, keepTicksFor);
            }
        } catch (RuntimeException e) {
            log.warn("could not delete old ticks: {}", e.toString());
        }
    }

    /** Cancels the ticks to come and asks the runs going to stop after their chunk in flight (they resume later). */
    @Override
    public void stop() {
        started = false;
        scheduled.forEach(f -> f.cancel(false));
        scheduled.clear();
        running.forEach((name, stop) -> {
            log.info("{}: stopping its run after the chunk in flight; the next tick continues it", name);
            try {
                stop.request();
            } catch (RuntimeException e) {
                log.warn("{}: could not ask its run to stop: {}", name, e.toString());
            }
        });
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /**
     * Stops, and shuts the pools down: the runs asked to stop end after their chunk in flight, waited
     * for up to a minute (a run that takes longer is recovered by the next tick).
     */
    @Override
    public void close() {
        if (started) {
            stop();
        }
        shutdown.run();
    }

    /** Whether a run of spec {@code name} goes on in this instance (from its preflight until its lock is released). */
    boolean runningHere(String name) {
        return running.containsKey(name);
    }

    /** How many ticks this instance saw that another instance had already claimed. */
    long ticksClaimedElsewhere() {
        return claimedElsewhere.get();
    }

    /** The specs this scheduler runs, in file name order. */
    public List<ScheduleSpec> specs() {
        return List.copyOf(specs.values());
    }
}
