package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.StorageException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code barge} command line: picocli parses and dispatches; commands start the Spring
 * context they need through a {@link ContextStarter}. Every failure ends as one line on stderr
 * and an {@link ExitCode}.
 */
public final class BargeCli {
    private final ContextStarter starter;
    private final Terminal terminal;

    public BargeCli(ContextStarter starter, Terminal terminal) {
        this.starter = requireNonNull(starter, "starter is null");
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    /** Runs {@code barge args...} as a process: the real environment and terminal. */
    public static int run(String[] args) {
        return new BargeCli(new SpringContextStarter(System.getenv(), Map.of()), Terminal.system()).execute(args);
    }

    /** Runs one command line and returns its exit code. */
    public int execute(String... args) {
        return commandLine().execute(args);
    }

    CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BargeCommand(starter), new CommandFactory(terminal));
        cli.setOut(writer(terminal.out()));
        cli.setErr(writer(terminal.err()));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            String message = e.getMessage() == null ? "" : e.getMessage();
            err.println("barge: " + (message.startsWith("Error: ") ? message.substring(7) : message));
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for the options and examples.");
            err.flush();
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code;
            if (e instanceof CliError error) {
                err.println("barge: " + error.getMessage());
                code = error.exitCode();
            } else if (Errors.storageCause(e) != null) {
                StorageException storage = Errors.storageCause(e);
                err.println("barge: " + Errors.message(storage));
                code = Errors.exitCode(storage);
            } else {
                err.println("barge: unexpected failure: " + Errors.rootMessage(e) + " (details in the log under"
                        + " $BARGE_HOME)");
                code = ExitCode.FAILED;
            }
            err.flush();
            return code;
        });
        return cli;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
