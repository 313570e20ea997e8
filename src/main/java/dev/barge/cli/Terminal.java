package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Where a command writes, and how it shows progress.
 *
 * @param out standard output: results, {@code cat}'s bytes, the {@code --json} object
 * @param err standard error: progress, summaries of failures, error messages
 * @param interactive whether a person watches (a live progress bar) or not (periodic lines)
 * @param progressInterval how often progress is shown when not interactive
 */
public record Terminal(PrintStream out, PrintStream err, boolean interactive, Duration progressInterval) {
    public Terminal {
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        requireNonNull(progressInterval, "progressInterval is null");
    }

    /** The process's streams; interactive when it has a console. */
    public static Terminal system() {
        return new Terminal(System.out, System.err, System.console() != null, Duration.ofSeconds(10));
    }
}
