package dev.barge.cli;

import dev.barge.test.TempDirs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/barge.jar} as a real process for the jar tests: on a Barge home of the
 * test's own (so the embedded default repository), never the developer's {@code BARGE_DB_URL}.
 */
final class BargeJar {
    static final Path JAR = Path.of("target", "barge.jar");

    private BargeJar() {}

    /** What a finished {@code barge} printed and returned. */
    record Run(int exitCode, String out, String err) {}

    /** A condition polled until it holds. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws IOException;
    }

    /** Runs {@code barge args...} to its end (2 minutes at most). */
    static Run run(Path home, String... args) throws IOException, InterruptedException {
        return run(home, Map.of(), args);
    }

    /** {@link #run(Path, String...)} with {@code environment} added to this JVM's. */
    static Run run(Path home, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Path stdout = TempDirs.file("barge-out-", ".txt");
        Path stderr = TempDirs.file("barge-err-", ".txt");
        Process process = start(home, environment, stdout, stderr, args);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("barge ended within 2 minutes").isTrue();
        return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    /** Starts {@code barge args...} with its output going to two files. */
    static Process start(Path home, Path stdout, Path stderr, String... args) throws IOException {
        return start(home, Map.of(), stdout, stderr, args);
    }

    /** {@link #start(Path, Path, Path, String...)} with {@code environment} added to this JVM's. */
    static Process start(Path home, Map<String, String> environment, Path stdout, Path stderr, String... args)
            throws IOException {
        assertThat(JAR).as("the package phase builds the jar before this test").isRegularFile();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return start(command, home, environment, stdout, stderr);
    }

    /**
     * Runs {@code script args...} (a copy of {@code bin/barge}) to its end, with {@code environment}
     * added to this JVM's, less {@code BARGE_JAVA} and {@code BARGE_JAVA_OPTS} unless given.
     */
    static Run runScript(Path script, Path home, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        Path stdout = TempDirs.file("barge-out-", ".txt");
        Path stderr = TempDirs.file("barge-err-", ".txt");
        List<String> command = new ArrayList<>(List.of("sh", script.toString()));
        command.addAll(List.of(args));
        Process process = start(command, home, environment, stdout, stderr);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("barge ended within 2 minutes").isTrue();
        return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    private static Process start(List<String> command, Path home, Map<String, String> environment, Path stdout,
            Path stderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().put("BARGE_HOME", home.toString());
        builder.environment().remove("BARGE_DB_URL");
        builder.environment().remove("BARGE_JAVA");
        builder.environment().remove("BARGE_JAVA_OPTS");
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Sends a signal ({@code INT}, {@code TERM}, {@code KILL}) to a process, as kill(1) does. */
    static void signal(Process process, String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
        assertThat(exit).as("kill -%s %d", signal, process.pid()).isZero();
    }

    /**
     * Polls {@code condition} every 10 ms until it holds, while {@code process} runs: fails when
     * the process ends first or the deadline passes.
     */
    static void await(Process process, Path stderr, Duration deadline, String what, Condition condition)
            throws IOException, InterruptedException {
        Instant end = Instant.now().plus(deadline);
        while (!condition.holds()) {
            assertThat(process.isAlive()).as("still running while waiting for " + what + ": "
                    + Files.readString(stderr)).isTrue();
            assertThat(Instant.now()).as(what + " within " + deadline).isBefore(end);
            process.waitFor(10, TimeUnit.MILLISECONDS);
        }
    }
}
