package dev.barge.cli;

import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * The progress of one object's bytes: a live bar on standard error when a person watches and the
 * object is large (or of unknown length), else nothing. Never on standard output, which may be the
 * data. Thread-safe: parts read in parallel report to one bar.
 */
final class ByteProgress implements LongConsumer, AutoCloseable {
    /** Objects smaller than this are done before a bar would say anything useful. */
    static final long MIN_SIZE = 8L << 20;

    private static final ByteProgress NONE = new ByteProgress(null);

    private final ProgressBar bar;

    private ByteProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * A bar for {@code total} bytes ({@code -1}: unknown), or none when {@code terminal} is not
     * interactive or the object is small.
     */
    static ByteProgress start(Terminal terminal, String task, long total) {
        if (!terminal.interactive() || (total >= 0 && total < MIN_SIZE)) {
            return NONE;
        }
        return new ByteProgress(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" MiB", 1L << 20)
                .showSpeed()
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(terminal.err()))
                .build());
    }

    /** No bar at all: for copies that move no bytes through Barge. */
    static ByteProgress none() {
        return NONE;
    }

    @Override
    public void accept(long bytes) {
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            if (bar.getMax() < 0) {
                bar.maxHint(bar.getCurrent());
            }
            bar.close();
        }
    }
}
