package dev.barge.cli;

/** The exit codes of {@code barge}, the same for every command. */
public final class ExitCode {
    /** The command did what it was asked; a migration completed with every object in place. */
    public static final int OK = 0;
    /** The command or the job failed (or was stopped); the same command resumes a migration. */
    public static final int FAILED = 1;
    /** Bad usage or configuration: nothing was started. */
    public static final int USAGE = 2;
    /** A migration completed, but some objects failed and were skipped: see {@code barge jobs failures ID}. */
    public static final int COMPLETED_WITH_SKIPS = 3;
    /** A check (verify) completed and found differences: see {@code barge jobs failures ID}. */
    public static final int DIFFERENCES = 4;

    private ExitCode() {}
}
