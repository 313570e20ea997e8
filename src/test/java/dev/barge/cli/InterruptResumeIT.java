package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.cli.BargeJar.Run;
import dev.barge.test.LocalObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real migration interrupted every way a user or a supervisor interrupts one (Ctrl-C, two
 * Ctrl-C in a row, SIGTERM, kill -9; during start-up, in the middle, during the last chunk), then
 * resumed by the same command or by {@code barge jobs restart ID}: each resumes to exit 0 with
 * every file in place, and the user never sees a Spring Batch dump.
 */
class InterruptResumeIT {
    private static final int OBJECTS = 400;
    private static final int CHUNK = 100;

    @TempDir
    Path root;

    /** When the signals are sent: the first run's state that is waited for. */
    enum When {
        /** while the preflight's marker object is in the target: before the job's execution exists */
        START_UP,
        /** the third chunk under way: more than a second of it is left in flight, more than 0.5 s */
        MIDWAY,
        /** the last chunk being copied */
        LAST_CHUNK
    }

    /** Who resumes the interrupted run. */
    enum Resumer { SAME_COMMAND, JOBS_RESTART }

    /**
     * One way to interrupt: signals sent {@code gap} apart once the run reaches {@code when}, and
     * the exit code the interrupted process ends with.
     */
    record Interruption(String name, When when, List<String> signals, Duration gap, int exitCode, Resumer resumer) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> interruptions() {
        return Stream.of(
                new Interruption("two Ctrl-C 0.1 s apart", When.MIDWAY, List.of("INT", "INT"), Duration.ofMillis(100),
                        1, Resumer.SAME_COMMAND),
                new Interruption("two Ctrl-C 0.5 s apart, then jobs restart", When.MIDWAY, List.of("INT", "INT"),
                        Duration.ofMillis(500), 1, Resumer.JOBS_RESTART),
                new Interruption("SIGTERM", When.MIDWAY, List.of("TERM"), Duration.ZERO, 1, Resumer.SAME_COMMAND),
                new Interruption("kill -9, then jobs restart", When.MIDWAY, List.of("KILL"), Duration.ZERO, 137,
                        Resumer.JOBS_RESTART),
                new Interruption("Ctrl-C during start-up", When.START_UP, List.of("INT"), Duration.ZERO, 1,
                        Resumer.SAME_COMMAND),
                new Interruption("Ctrl-C during the last chunk", When.LAST_CHUNK, List.of("INT"), Duration.ZERO, 1,
                        Resumer.SAME_COMMAND)).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interruptions")
    void anInterruptedMigrationResumesToTheEnd(Interruption interruption) throws Exception {
        Path home = Files.createDirectories(root.resolve("home"));
        Path dst = root.resolve("dst");
        for (int i = 0; i < OBJECTS; i++) {
            Path file = root.resolve(String.format("src/d%d/f%03d.txt", i % 7, i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, "object " + i);
        }
        String[] migrate = {"migrate", "file://" + root.resolve("src"), "file://" + dst, "--chunk-size", "" + CHUNK};
        Path stdout = root.resolve("first.out");
        Path stderr = root.resolve("first.err");
        // slowed down so that every moment can be caught: at 50 requests/s, the three quarters of a
        // chunk left when the signals go take 1.5 s (longer than the 0.5 s between two Ctrl-C, and
        // than the poll's lag on a busy machine); at 2 requests/s the preflight's marker stays a while
        String tps = interruption.when() == When.START_UP ? "2" : "50";
        Process first = BargeJar.start(home, stdout, stderr, concat(migrate, "--tps-limit", tps));

        switch (interruption.when()) {
            case START_UP -> BargeJar.await(first, stderr, Duration.ofSeconds(60), "the preflight's marker",
                    () -> Files.isDirectory(dst) && hasPreflightMarker(dst));
            // a quarter into the chunk, not at its first object: the step hands objects to the writer
            // ahead of the chunk (WorkAheadItemReader), so the first objects of chunk k land while
            // chunk k-1 still commits, and a stop seen then ends the run at once, before chunk k
            case MIDWAY -> BargeJar.await(first, stderr, Duration.ofSeconds(60), "the third chunk under way",
                    () -> LocalObjects.count(dst) > 2 * CHUNK + CHUNK / 4);
            case LAST_CHUNK -> BargeJar.await(first, stderr, Duration.ofSeconds(60), "the last chunk under way",
                    () -> LocalObjects.count(dst) > OBJECTS - CHUNK + CHUNK / 4);
        }
        for (int i = 0; i < interruption.signals().size(); i++) {
            if (i > 0) {
                // the gap between two signals is what this case is about, not a wait for anything
                first.waitFor(interruption.gap().toMillis(), TimeUnit.MILLISECONDS);
            }
            BargeJar.signal(first, interruption.signals().get(i));
        }

        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("barge ends after " + interruption).isTrue();
        String out = Files.readString(stdout);
        String err = Files.readString(stderr);
        assertThat(first.exitValue()).as(out + err).isEqualTo(interruption.exitCode());
        assertNoDump(out + err);
        if (interruption.signals().size() == 2) {
            assertThat(err.lines().filter(l -> l.startsWith("barge: stopped at once")))
                    .containsExactly("barge: stopped at once; run the same command again to resume");
        }
        if (interruption.when() == When.START_UP) {
            assertThat(err).contains("barge: stopping after the chunk in flight; run the same command again to resume");
            assertThat(out).contains("Stopped execution 1");
            assertThat(LocalObjects.count(dst)).as("stopped before the first object").isZero();
        }
        if (interruption.when() == When.LAST_CHUNK) {
            assertThat(out).contains("Stopped execution 1");
        }

        Run resumed = interruption.resumer() == Resumer.SAME_COMMAND
                ? BargeJar.run(home, concat(migrate, "--json"))
                : BargeJar.run(home, "jobs", "restart", "1", "--json");

        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
        assertNoDump(resumed.out() + resumed.err());
        assertThat(resumed.out()).contains("\"status\":\"COMPLETED\"");
        if (interruption.when() != When.START_UP) {
            assertThat(jsonNumber(resumed.out(), "objectsCopied") + jsonNumber(resumed.out(), "objectsSkipped"))
                    .as("the interrupted run continued where it committed, not from scratch").isLessThan(OBJECTS);
        }
        assertThat(LocalObjects.count(dst)).isEqualTo(OBJECTS);
        for (int i = 0; i < OBJECTS; i++) {
            String name = String.format("d%d/f%03d.txt", i % 7, i);
            assertThat(Files.readString(dst.resolve(name))).as(name).isEqualTo("object " + i);
        }
    }

    private static long jsonNumber(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static boolean hasPreflightMarker(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("barge-preflight-"));
        }
    }

    private static void assertNoDump(String output) {
        assertThat(output).doesNotContain("Exception", "JobExecution:", "\tat ", "already running");
    }

    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }
}
