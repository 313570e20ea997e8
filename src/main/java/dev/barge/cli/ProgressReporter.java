package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.ListingProgress;
import dev.barge.batch.Outcome;
import dev.barge.job.JobRecords;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Shows a running job's progress: on a terminal a live bar (objects done of the total, rate, ETA; the
 * work done, such as bytes copied, as its message), elsewhere a plain line every
 * {@link Terminal#progressInterval()}. What counts as done and as work is the job's {@link JobView}.
 *
 * <p>Done counts are the committed totals of the execution ({@link JobRecords#totals}), polled from
 * a thread of its own while the job runs in the caller's thread. The total is what the job's own
 * source listing has listed ({@link ListingProgress}): no second listing of the source. Until the
 * listing reaches its end the bar is indeterminate and says how many objects are listed so far; then
 * it has a maximum and an ETA. Filtered objects count as done, so done reaches the total.
 */
final class ProgressReporter implements AutoCloseable {
    private final Terminal terminal;
    private final JobView view;
    private final JobRecords records;
    private final ListingProgress listed;
    private final boolean dryRun;
    private final ProgressLine barLine;
    private final ScheduledExecutorService threads;
    private final long startNanos = System.nanoTime();
    private volatile long executionId = -1;
    private ProgressBar bar;

    /** @param dryRun whether nothing is written: no rate is shown then */
    ProgressReporter(Terminal terminal, JobView view, JobRecords records, ListingProgress listed, boolean dryRun) {
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.view = requireNonNull(view, "view is null");
        this.records = requireNonNull(records, "records is null");
        this.listed = requireNonNull(listed, "listed is null");
        this.dryRun = dryRun;
        this.barLine = new ProgressLine(view, dryRun);
        this.threads = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "barge-progress");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts showing progress of {@code jobExecutionId} once it is known. */
    void start() {
        if (terminal.interactive()) {
            bar = new ProgressBarBuilder()
                    .setTaskName(view.task())
                    .setInitialMax(-1)
                    .setRenderer(barLine)
                    .setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(terminal.err()))
                    .build();
            threads.scheduleWithFixedDelay(this::updateBar, 250, 250, TimeUnit.MILLISECONDS);
        } else {
            long every = terminal.progressInterval().toMillis();
            threads.scheduleWithFixedDelay(this::printLine, every, every, TimeUnit.MILLISECONDS);
        }
    }

    void executionStarted(long id) {
        this.executionId = id;
    }

    private record Snapshot(long objectsDone, long workBytes, long workObjects, long bytesDone) {}

    private Snapshot snapshot() {
        long id = executionId;
        if (id < 0) {
            return new Snapshot(0, 0, 0, 0);
        }
        Map<Outcome, ExecutionRecords.Total> totals = records.totals(id);
        long objects = 0;
        long bytes = 0;
        for (Outcome outcome : view.done()) {
            objects += totals.get(outcome).objects();
            bytes += totals.get(outcome).bytes();
        }
        ExecutionRecords.Total work = totals.get(view.work());
        return new Snapshot(objects, work.bytes(), work.objects(), bytes);
    }

    private void updateBar() {
        try {
            Snapshot now = snapshot();
            if (listed.complete()) {
                bar.maxHint(Math.max(listed.objects(), now.objectsDone()));
            }
            barLine.update(new ProgressLine.Extra(now.workBytes(), now.workObjects(), listed.complete(),
                    listed.objects()));
            bar.stepTo(now.objectsDone());
        } catch (RuntimeException e) {
            // a lost poll is not worth a failure
        }
    }

    private void printLine() {
        try {
            terminal.err().println(line(snapshot()));
        } catch (RuntimeException e) {
            // a lost poll is not worth a failure
        }
    }

    /**
     * {@code " (N listed so far)"} while this process lists the source, else nothing: with remote
     * partitions the workers list, and this process's count stays below what is done.
     */
    static String listedSoFar(long listed, long done) {
        return listed >= done ? " (" + listed + " listed so far)" : "";
    }

    String line(Snapshot now) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        StringBuilder line = new StringBuilder("[barge] ");
        if (listed.complete()) {
            long total = Math.max(listed.objects(), now.objectsDone());
            line.append(String.format(Locale.ROOT, "%d/%d %s, %s/%s", now.objectsDone(), total,
                    total == 1 ? "object" : "objects", Formats.bytes(now.bytesDone()), Formats.bytes(listed.bytes())));
        } else {
            line.append(String.format(Locale.ROOT, "%s, %s (total not known yet%s)",
                    Formats.count(now.objectsDone(), "object"), Formats.bytes(now.bytesDone()),
                    listed.objects() >= now.objectsDone() ? ": " + listed.objects() + " listed so far" : ""));
        }
        line.append(", ").append(Formats.bytes(now.workBytes())).append(dryRun ? " would be " : " ").append(view.verb());
        if (!dryRun) {
            line.append(" at ").append(view.byteRate() ? Formats.rate(now.workBytes(), elapsed)
                    : Formats.objectRate(now.workObjects(), elapsed));
        }
        if (listed.complete() && now.bytesDone() > 0 && listed.bytes() > now.bytesDone()) {
            double perByte = (double) elapsed.toNanos() / now.bytesDone();
            line.append(", ETA ").append(Formats.duration(
                    Duration.ofNanos((long) (perByte * (listed.bytes() - now.bytesDone())))));
        }
        return line.toString();
    }

    @Override
    public void close() {
        threads.shutdownNow();
        if (bar != null) {
            Snapshot last = snapshot();
            barLine.update(new ProgressLine.Extra(last.workBytes(), last.workObjects(), true, last.objectsDone()));
            bar.maxHint(last.objectsDone());
            bar.stepTo(last.objectsDone());
            bar.close();
        }
    }
}
