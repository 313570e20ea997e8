package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Where a command reads and writes, and how it shows progress.
 *
 * @param out standard output: results, {@code cat}'s bytes, the {@code --json} object
 * @param err standard error: progress, summaries of failures, error messages
 * @param interactive whether a person watches (a live progress bar) or not (periodic lines)
 * @param progressInterval how often progress is shown when not interactive
 * @param in standard input: the bytes of {@code cp - DST} and {@code append KEY -}
 */
public record Terminal(PrintStream out, PrintStream err, boolean interactive, Duration progressInterval,
        InputStream in) {
    public Terminal {
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        requireNonNull(progressInterval, "progressInterval is null");
        requireNonNull(in, "in is null");
    }

    /** A terminal whose standard input is empty. */
    public Terminal(PrintStream out, PrintStream err, boolean interactive, Duration progressInterval) {
        this(out, err, interactive, progressInterval, InputStream.nullInputStream());
    }

    /** The process's streams; interactive when it has a console. */
    public static Terminal system() {
        return new Terminal(System.out, System.err, System.console() != null, Duration.ofSeconds(10), System.in);
    }
}
