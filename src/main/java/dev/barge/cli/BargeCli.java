package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.StorageException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
        return commandLine(java.util.Arrays.asList(args).contains("--json"), subcommandNamed(args)).execute(args);
    }

    /** The whole command line, every subcommand in it. */
    CommandLine commandLine() {
        return commandLine(false, null);
    }

    /**
     * The subcommand {@code args} name: the first argument that is neither a global option nor the
     * value of one, if it is a subcommand's name; else {@code null}.
     */
    static Class<?> subcommandNamed(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--config") || arg.equals("--db-url")) {
                i++; // its value
            } else if (!arg.startsWith("-")) {
                for (Class<?> command : BargeCommand.SUBCOMMANDS) {
                    if (command.getAnnotation(CommandLine.Command.class).name().equals(arg)) {
                        return command;
                    }
                }
                return null;
            }
        }
        return null;
    }

    /**
     * @param json whether {@code --json} was asked for: errors are then also one JSON object on
     *     stdout (usage errors included, which picocli reports before any option is known)
     * @param only the one subcommand to add, or {@code null} for all of them (a command line that
     *     names none, or none that exists: the usage lists them, and picocli suggests the nearest)
     */
    CommandLine commandLine(boolean json, Class<?> only) {
        CommandLine cli = new CommandLine(new BargeCommand(starter), new CommandFactory(terminal));
        for (Class<?> command : only != null ? List.of(only) : BargeCommand.SUBCOMMANDS) {
            cli.addSubcommand(command);
        }
        cli.setOut(writer(terminal.out()));
        cli.setErr(writer(terminal.err()));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            String message = e.getMessage() == null ? "" : e.getMessage();
            message = message.startsWith("Error: ") ? message.substring(7) : message;
            message = message.replace("option option ", "option "); // picocli's words for a bad key=value
            err.println("barge: " + Formats.oneLine(message));
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for the options and examples.");
            err.flush();
            if (json) {
                printJson(Json.error("USAGE_ERROR", ExitCode.USAGE, message, List.of()));
            }
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code;
            String message;
            if (e instanceof CliError error) {
                message = error.getMessage();
                code = error.exitCode();
            } else if (Errors.storageCause(e) != null) {
                StorageException storage = Errors.storageCause(e);
                message = Errors.message(storage, Errors.remote(storage, parseResult));
                code = Errors.exitCode(storage);
            } else {
                message = "unexpected failure: " + Errors.rootMessage(e) + " (details in the log under $BARGE_HOME)";
                code = ExitCode.FAILED;
            }
            err.println("barge: " + Formats.oneLine(message));
            err.flush();
            if (json) {
                printJson(Json.error(code == ExitCode.USAGE ? "USAGE_ERROR" : "FAILED", code, message, List.of()));
            }
            return code;
        });
        return cli;
    }

    private void printJson(String json) {
        terminal.out().println(json);
        terminal.out().flush();
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
