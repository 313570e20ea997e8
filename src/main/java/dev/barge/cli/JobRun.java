package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.ListingProgress;
import dev.barge.batch.Outcome;
import dev.barge.job.ExecutionOwnership;
import dev.barge.job.JobCatalog;
import dev.barge.job.JobRecords;
import dev.barge.job.JobRequest;
import dev.barge.job.JobRunner;
import dev.barge.job.PartitionNotices;
import dev.barge.job.StopRequest;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jline.utils.Signals;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Runs a job in the calling thread, with progress while it runs, a clean stop on Ctrl-C or
 * SIGTERM, and a summary at the end: {@code migrate}, {@code delete} and every job after them, each
 * described by a {@link Plan}.
 *
 * <p>From the preflight on, SIGINT and SIGTERM are handled as signals, before the JVM begins to
 * shut down: the run is asked to stop after the chunk in flight ({@link StopRequest}: a request
 * made before the execution exists stops it as it starts), then ends as STOPPED, the summary is
 * printed and the repository closed, so the same command resumes it. A second signal ends the
 * process at once; the next run recovers the execution it left ({@link dev.barge.job.JobRunner}).
 * SIGTERM is handled here rather than by the JVM's shutdown because the embedded H2 database closes
 * itself in a shutdown hook of its own ({@code DB_CLOSE_ON_EXIT}, which its {@code AUTO_SERVER} mode
 * requires), under a job still committing its chunk. Other terminations (SIGHUP) still go through
 * a shutdown hook that asks for the same stop and waits for the run to end; if the database closes
 * first, the execution is left unfinished and the next run recovers it.
 */
final class JobRun {
    private static final List<String> STOP_SIGNALS = List.of("INT", "TERM");

    /** Starts a job's execution and runs it to its end, or until {@code stop} is requested. */
    @FunctionalInterface
    interface Launcher {
        JobExecution run(StopRequest stop, ListingProgress listed) throws Exception;
    }

    /**
     * One run of a job, as this class needs to know it.
     *
     * @param jobName the job's name in the repository
     * @param isThisRun whether a running execution's parameters are this run's (its identifying ones)
     * @param preflight the problems found before the start; empty when the job may start
     * @param launcher starts it
     * @param dryRun whether it writes and deletes nothing
     * @param view how its totals are shown
     * @param ended told the execution's id once it has ended, before the summary (a report to write, say)
     */
    record Plan(String jobName, Predicate<JobParameters> isThisRun, Supplier<List<String>> preflight,
            Launcher launcher, boolean dryRun, JobView view, LongConsumer ended) {
        Plan {
            requireNonNull(jobName, "jobName is null");
            requireNonNull(isThisRun, "isThisRun is null");
            requireNonNull(preflight, "preflight is null");
            requireNonNull(launcher, "launcher is null");
            requireNonNull(view, "view is null");
            requireNonNull(ended, "ended is null");
        }

        Plan(String jobName, Predicate<JobParameters> isThisRun, Supplier<List<String>> preflight, Launcher launcher,
                boolean dryRun, JobView view) {
            this(jobName, isThisRun, preflight, launcher, dryRun, view, id -> { });
        }

        /** The plan of {@code request}: checked, started and continued as {@link JobCatalog} does. */
        static Plan of(Session.Jobs jobs, JobRequest request) {
            JobCatalog catalog = jobs.catalog();
            return new Plan(request.jobName(), request::isRunOf, () -> catalog.problems(request),
                    (stop, listed) -> catalog.run(request, stop, listed), request.dryRun(), JobView.of(request));
        }

        /** This plan, telling {@code ended} the execution's id once it has ended. */
        Plan whenEnded(LongConsumer ended) {
            return new Plan(jobName, isThisRun, preflight, launcher, dryRun, view, ended);
        }
    }

    private final Session.Jobs jobs;
    private final Terminal terminal;

    JobRun(Session.Jobs jobs, Terminal terminal) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    /**
     * Checks the job first ({@link Plan#preflight}); when a check fails, prints one line per problem and
     * returns {@link ExitCode#USAGE} with nothing started; otherwise runs it to its end.
     */
    int preflightAndRun(JobRequest request, boolean json) {
        return preflightAndRun(Plan.of(jobs, request), json);
    }

    /** {@link #preflightAndRun(JobRequest, boolean)} of a plan. */
    int preflightAndRun(Plan plan, boolean json) {
        StopRequest stop = jobs.catalog().stopRequest();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        Map<String, Object> previousHandlers = new LinkedHashMap<>();
        STOP_SIGNALS.forEach(signal -> previousHandlers.put(signal, Signals.register(signal,
                () -> onSignal(stop, signals))));
        Thread stopOnShutdown = new Thread(() -> stopAndWait(stop, finished), "barge-stop");
        Runtime.getRuntime().addShutdownHook(stopOnShutdown);
        try {
            List<String> problems = plan.preflight().get();
            if (!problems.isEmpty()) {
                problems.forEach(p -> terminal.err().println("barge: " + p));
                terminal.err().println("barge: nothing was started");
                if (json) {
                    terminal.out().println(Json.error("NOT_STARTED", ExitCode.USAGE, "the checks before the start failed;"
                            + " nothing was started", problems));
                    terminal.out().flush();
                }
                return ExitCode.USAGE;
            }
            JobSummary summary = runWithProgress(plan, json, stop, finished);
            if (json) {
                terminal.out().println(summary.json());
            } else {
                terminal.out().print(summary.text());
            }
            terminal.out().flush();
            return summary.exitCode();
        } finally {
            // after the summary: a shutdown hook waiting on this lets the JVM end only now
            finished.countDown();
            previousHandlers.forEach(Signals::unregister);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnShutdown);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    private void onSignal(StopRequest stop, AtomicInteger signals) {
        if (signals.incrementAndGet() > 1) {
            terminal.err().println("barge: stopped at once; run the same command again to resume");
            terminal.err().flush();
            Runtime.getRuntime().halt(ExitCode.FAILED);
        }
        Thread request = new Thread(() -> requestStop(stop), "barge-stop-request");
        request.setDaemon(true);
        request.start();
    }

    /** Asks the run to stop after its chunk in flight, or as it starts when it has not yet. */
    private void requestStop(StopRequest stop) {
        try {
            Long id = stop.request();
            terminal.err().println("barge: stopping " + (id != null ? "execution " + id + " " : "")
                    + "after the chunk in flight; run the same command again to resume"
                    + " (Ctrl-C again to stop at once)");
        } catch (RuntimeException e) {
            terminal.err().println("barge: could not stop cleanly: " + Errors.rootMessage(e)
                    + "; the next run of the same command resumes");
        }
        terminal.err().flush();
    }

    private JobSummary runWithProgress(Plan plan, boolean json, StopRequest stop, CountDownLatch finished) {
        JobRepository repository = jobs.repository();
        JobRecords records = jobs.records();
        ListingProgress listed = new ListingProgress();
        JobExecution execution;
        // one job runs in this process: whatever its partitions' manager notices is about it
        try (PartitionNotices.Subscription notices = jobs.notices().listen(this::tell);
                ProgressReporter progress = json ? null : new ProgressReporter(terminal, plan.view(), records, listed,
                plan.dryRun())) {
            if (progress != null) {
                progress.start();
                // the execution appears in the repository once the job starts; this thread finds it
                Thread finder = new Thread(() -> watch(plan, progress, finished), "barge-find-execution");
                finder.setDaemon(true);
                finder.start();
            }
            execution = plan.launcher().run(stop, listed);
        } catch (JobRunner.AlreadyRunning e) {
            throw CliError.failed(e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw CliError.failed("the " + plan.jobName() + " job could not start: " + Errors.rootMessage(e));
        }
        JobExecution ended = repository.getJobExecution(execution.getId());
        plan.ended().accept(execution.getId());
        return JobSummary.of(plan.view(), ended, records.totals(execution.getId()),
                records.instanceTotals(ended.getJobInstanceId()), records.executionsWithFailures(ended.getJobInstanceId()),
                plan.dryRun(), resumed(plan, ended).orElse(null));
    }

    /**
     * The execution {@code execution} resumes, and what the executions of its job instance before it
     * had done; empty for a first run.
     */
    private Optional<JobSummary.Resumed> resumed(Plan plan, JobExecution execution) {
        JobRepository repository = jobs.repository();
        JobRecords records = jobs.records();
        List<JobExecution> earlier = repository.getJobExecutions(execution.getJobInstance()).stream()
                .filter(e -> e.getId() < execution.getId())
                .toList();
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        long objects = 0;
        long bytes = 0;
        for (JobExecution e : earlier) {
            Map<Outcome, ExecutionRecords.Total> totals = records.totals(e.getId());
            for (Outcome outcome : plan.view().finished()) {
                objects += totals.get(outcome).objects();
                bytes += totals.get(outcome).bytes();
            }
        }
        long last = earlier.stream().mapToLong(JobExecution::getId).max().orElseThrow();
        return Optional.of(new JobSummary.Resumed(last, new ExecutionRecords.Total(objects, bytes)));
    }

    /** A notice of the job's remote partitions (a lost worker's partition handed on), on the console. */
    private void tell(PartitionNotices.Notice notice) {
        terminal.err().println("barge: execution " + notice.jobExecutionId() + ": " + notice.text());
        terminal.err().flush();
    }

    /** Tells the reporter which execution is this process's run of {@code plan}. */
    private void watch(Plan plan, ProgressReporter progress, CountDownLatch finished) {
        try {
            while (finished.getCount() > 0) {
                Optional<JobExecution> running = running(plan);
                if (running.isPresent()) {
                    progress.executionStarted(running.get().getId());
                    resumed(plan, running.get()).ifPresent(r -> {
                        terminal.err().println("barge: execution " + running.get().getId() + " " + r.text());
                        terminal.err().flush();
                    });
                    return;
                }
                finished.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // no progress then; the job itself is unaffected
        }
    }

    private void stopAndWait(StopRequest stop, CountDownLatch finished) {
        requestStop(stop);
        try {
            finished.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This process's running execution of the plan's job, if it has started. */
    private Optional<JobExecution> running(Plan plan) {
        JobRepository repository = jobs.repository();
        ExecutionOwnership ownership = jobs.ownership();
        long pid = ProcessHandle.current().pid();
        return repository.findRunningJobExecutions(plan.jobName()).stream()
                .filter(e -> plan.isThisRun().test(e.getJobParameters()))
                .filter(e -> {
                    ExecutionOwnership.Owner owner = ownership.owner(e.getId());
                    return owner != null && owner.pid() == pid;
                })
                .max(Comparator.comparingLong(JobExecution::getId));
    }
}
