package dev.barge.cli;

import static java.util.Objects.requireNonNull;

/**
 * A failure the command line reports as one line, {@code barge: <message>}, with an exit code;
 * no stack trace. Thrown by commands; turned into output by {@link BargeCli}.
 */
public final class CliError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CliError(int exitCode, String message) {
        super(requireNonNull(message, "message is null"));
        this.exitCode = exitCode;
    }

    /** A usage or configuration error: exit code 2, nothing started. */
    public static CliError usage(String message) {
        return new CliError(ExitCode.USAGE, message);
    }

    /** A failure of the work itself: exit code 1. */
    public static CliError failed(String message) {
        return new CliError(ExitCode.FAILED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
