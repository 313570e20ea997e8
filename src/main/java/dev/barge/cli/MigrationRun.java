package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.JobRecords;
import dev.barge.job.ExecutionOwnership;
import dev.barge.job.JobRunner;
import dev.barge.job.MigrateJob;
import dev.barge.job.MigrateParameters;
import dev.barge.storage.Location;
import dev.barge.storage.StoreRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.utils.Signals;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Runs a migration in the calling thread, with progress while it runs, a clean stop on Ctrl-C
 * (a shutdown hook asks {@link JobOperator#stop} and waits for the job to end, so the chunk in
 * flight commits and the same command resumes), and a summary at the end.
 */
final class MigrationRun {
    private final Session session;
    private final Terminal terminal;

    MigrationRun(Session session, Terminal terminal) {
        this.session = requireNonNull(session, "session is null");
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    /**
     * Runs the migration to its end. Ctrl-C (SIGINT) is handled as a signal, before the JVM begins
     * to shut down: the job is asked to stop after the chunk in flight, then ends as STOPPED, the
     * summary is printed and the repository closed, so the same command resumes it. A second
     * Ctrl-C ends the process at once (the next run recovers the execution). Other terminations
     * (SIGTERM) go through a shutdown hook that asks for the same stop, with less certainty: the
     * embedded database may close first, and then the next run recovers the execution.
     */
    /**
     * Checks the migration's locations first ({@link Preflight}); when a check fails, prints one line
     * per problem and returns {@link ExitCode#USAGE} with nothing started; otherwise {@link #run}s it.
     */
    int preflightAndRun(MigrateParameters parameters, boolean json) {
        List<String> problems = new Preflight(session.bean(StoreRegistry.class)).migration(
                parameters.source(), parameters.target(), parameters.excludes(), !parameters.dryRun());
        if (!problems.isEmpty()) {
            problems.forEach(p -> terminal.err().println("barge: " + p));
            terminal.err().println("barge: nothing was started");
            return ExitCode.USAGE;
        }
        return run(parameters, json);
    }

    int run(MigrateParameters parameters, boolean json) {
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        Object previousHandler = Signals.register("INT", () -> onInterrupt(parameters, interrupts));
        Thread stopOnShutdown = new Thread(() -> stop(parameters, finished), "barge-stop");
        Runtime.getRuntime().addShutdownHook(stopOnShutdown);
        try {
            MigrationSummary summary = runWithProgress(parameters, json, finished);
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
            Signals.unregister("INT", previousHandler);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnShutdown);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    private void onInterrupt(MigrateParameters parameters, AtomicInteger interrupts) {
        if (interrupts.incrementAndGet() > 1) {
            terminal.err().println("barge: stopping at once; the next run of the same command recovers the execution");
            terminal.err().flush();
            Runtime.getRuntime().halt(ExitCode.FAILED);
        }
        Thread request = new Thread(() -> requestStop(parameters), "barge-stop-request");
        request.setDaemon(true);
        request.start();
    }

    /** Asks this process's running execution of the migration to stop after its chunk in flight. */
    private void requestStop(MigrateParameters parameters) {
        try {
            Optional<JobExecution> running = running(parameters);
            if (running.isPresent()) {
                terminal.err().println("barge: stopping execution " + running.get().getId()
                        + " after the chunk in flight; run the same command again to resume"
                        + " (Ctrl-C again to stop at once)");
                terminal.err().flush();
                session.bean(JobOperator.class).stop(running.get());
            }
        } catch (Exception e) {
            terminal.err().println("barge: could not stop cleanly: " + Errors.rootMessage(e)
                    + "; the next run recovers the execution");
        }
    }

    private MigrationSummary runWithProgress(MigrateParameters parameters, boolean json, CountDownLatch finished) {
        JobRepository repository = session.bean(JobRepository.class);
        JobRecords records = session.bean(JobRecords.class);
        Location from = Location.parse(parameters.source());
        JobExecution execution;
        try (ProgressReporter progress = json ? null : new ProgressReporter(terminal, records,
                session.bean(StoreRegistry.class).store(from), from)) {
            if (progress != null) {
                progress.start();
                // the execution appears in the repository once the job starts; this thread finds it
                Thread finder = new Thread(() -> watch(parameters, progress, finished), "barge-find-execution");
                finder.setDaemon(true);
                finder.start();
            }
            execution = session.bean(MigrateJob.class).run(parameters);
        } catch (JobRunner.AlreadyRunning e) {
            throw CliError.failed(e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw CliError.failed("the migration could not start: " + Errors.rootMessage(e));
        }
        return MigrationSummary.of(repository.getJobExecution(execution.getId()), records.totals(execution.getId()),
                parameters.dryRun());
    }

    /** Tells the reporter which execution is this process's run of {@code parameters}. */
    private void watch(MigrateParameters parameters, ProgressReporter progress, CountDownLatch finished) {
        try {
            while (finished.getCount() > 0) {
                Optional<JobExecution> running = running(parameters);
                if (running.isPresent()) {
                    progress.executionStarted(running.get().getId());
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

    private void stop(MigrateParameters parameters, CountDownLatch finished) {
        requestStop(parameters);
        try {
            finished.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This process's running execution of the migration, if it has started. */
    private Optional<JobExecution> running(MigrateParameters parameters) {
        JobRepository repository = session.bean(JobRepository.class);
        ExecutionOwnership ownership = session.bean(ExecutionOwnership.class);
        long pid = ProcessHandle.current().pid();
        return repository.findRunningJobExecutions(MigrateJob.NAME).stream()
                .filter(e -> parameters.source().equals(e.getJobParameters().getString("source"))
                        && parameters.target().equals(e.getJobParameters().getString("target")))
                .filter(e -> {
                    ExecutionOwnership.Owner owner = ownership.owner(e.getId());
                    return owner != null && owner.pid() == pid;
                })
                .max(Comparator.comparingLong(JobExecution::getId));
    }
}
