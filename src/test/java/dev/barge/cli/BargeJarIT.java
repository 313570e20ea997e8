package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.cli.BargeJar.Run;
import dev.barge.test.LocalObjects;
import dev.barge.test.TempDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java -jar target/barge.jar} as a real process, run by failsafe in {@code verify}, after
 * {@code package} has built the jar: a migration between two temporary directories on the
 * embedded default repository, then a usage error.
 */
class BargeJarIT {
    private static Run barge(Path home, String... args) throws IOException, InterruptedException {
        return BargeJar.run(home, args);
    }

    @Test
    void migratesBetweenTwoDirectoriesAsARealProcess() throws Exception {
        Path root = TempDirs.create("barge-it-");
        Path home = Files.createDirectories(root.resolve("home"));
        Path src = Files.createDirectories(root.resolve("src/nested"));
        Files.writeString(src.resolve("b.txt"), "bravo");
        Files.writeString(root.resolve("src/a.txt"), "alpha");

        Run run = barge(home, "migrate", "file://" + root.resolve("src"), "file://" + root.resolve("dst"));

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Completed execution 1").containsPattern("copied\\s+2 objects");
        assertThat(run.err()).as("no banner or log noise").isEmpty();
        assertThat(Files.readString(root.resolve("dst/a.txt"), StandardCharsets.UTF_8)).isEqualTo("alpha");
        assertThat(Files.readString(root.resolve("dst/nested/b.txt"), StandardCharsets.UTF_8)).isEqualTo("bravo");

        Run again = barge(home, "migrate", "file://" + root.resolve("src"), "file://" + root.resolve("dst"), "--json");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("\"jobExecutionId\":2", "\"objectsSkipped\":2", "\"objectsCopied\":0");

        Run usage = barge(home, "migrate", "file://" + root.resolve("src"), "nosuch:bucket");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("unknown remote 'nosuch'", "nothing was started");
    }

    private static final int OBJECTS = 1500;

    /** {@value #OBJECTS} small files under {@code root/src}. */
    private static void fill(Path root) throws IOException {
        for (int i = 0; i < OBJECTS; i++) {
            Path file = root.resolve(String.format("src/d%02d/f%04d.txt", i % 15, i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, "object " + i);
        }
    }

    /**
     * A migration of {@code root/src} to {@code root/dst} slowed to 60 requests/s, running when this
     * returns: some 20 s of work left, time enough for a second JVM to start and stop it on a loaded machine.
     */
    private static Process startSlowMigration(Path root, Path home, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "migrate", "file://" + root.resolve("src"), "file://" + root.resolve("dst"),
                "--chunk-size", "50", "--tps-limit", "60"));
        args.addAll(List.of(more));
        Process first = BargeJar.start(home, root.resolve("first.out"), root.resolve("first.err"),
                args.toArray(String[]::new));
        BargeJar.await(first, root.resolve("first.err"), java.time.Duration.ofSeconds(90), "200 objects copied",
                () -> LocalObjects.count(root.resolve("dst")) >= 200);
        return first;
    }

    @Test
    void requestAndByteLimitsHoldTheMigrationBack() throws Exception {
        Path root = TempDirs.create("barge-it-limits-");
        Path home = Files.createDirectories(root.resolve("home"));
        for (int i = 0; i < 40; i++) {
            Files.createDirectories(root.resolve("few"));
            Files.writeString(root.resolve("few/f" + i), "x");
        }
        // bytes pass through Barge only between two stores (one store copies server-side): two local roots
        Files.createDirectories(root.resolve("left/big"));
        Files.createDirectories(root.resolve("right/big-copy"));
        Files.write(root.resolve("left/big/blob"), new byte[300 * 1024]);
        Path config = Files.writeString(root.resolve("remotes.yml"), "left:\n  type: local\n  root: "
                + root.resolve("left") + "\nright:\n  type: local\n  root: " + root.resolve("right") + "\n");

        Run requests = barge(home, "migrate", "file://" + root.resolve("few"), "file://" + root.resolve("few-copy"),
                "--tps-limit", "10", "--json");
        Run bytes = barge(home, "--config", config.toString(), "migrate", "left:big", "right:big-copy",
                "--bwlimit", "100KB", "--json");

        assertThat(requests.exitCode()).as(requests.out() + requests.err()).isZero();
        assertThat(bytes.exitCode()).as(bytes.out() + bytes.err()).isZero();
        // lower bounds the limiter guarantees: 40 reads at 10/s with a burst of 10 take at least 3 s,
        // 300 KiB at 100 KiB/s with a burst of 100 KiB at least 2 s; unlimited, each takes well under 1 s
        assertThat(jsonDecimal(requests.out(), "elapsedSeconds")).isGreaterThanOrEqualTo(3.0);
        assertThat(jsonDecimal(bytes.out(), "elapsedSeconds")).isGreaterThanOrEqualTo(2.0);
        assertThat(Files.size(root.resolve("right/big-copy/blob"))).isEqualTo(300 * 1024);
    }

    private static double jsonDecimal(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":([0-9.]+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 200})
    void onATerminalTheProgressBarFitsTheWidthAndEndsAtTheTotalsOfTheSummary(int columns) throws Exception {
        Path root = TempDirs.create("barge-it-tty-");
        Path home = Files.createDirectories(root.resolve("home"));
        for (int i = 1; i <= 300; i++) {
            Files.createDirectories(root.resolve("src"));
            Files.writeString(root.resolve("src/f" + i), i + "\n");
        }
        String migrate = String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                BargeJar.JAR.toString(), "migrate", "file://" + root.resolve("src"), "file://" + root.resolve("dst"));
        // script(1) runs the command on a pseudo-terminal, so barge sees a console as on a user's screen
        ProcessBuilder builder = new ProcessBuilder("script", "-q", "-e", "-c",
                "stty cols " + columns + " rows 50; exec " + migrate, "/dev/null")
                .redirectErrorStream(true).redirectOutput(root.resolve("tty.out").toFile());
        builder.environment().put("BARGE_HOME", home.toString());
        builder.environment().remove("BARGE_DB_URL");
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String screen = Files.readString(root.resolve("tty.out")).replace('\r', '\n');

        assertThat(process.exitValue()).as(screen).isZero();
        assertThat(screen).contains("100% [", "300/300 objects", "1.1 KiB copied")
                .contains("Completed execution 1").containsPattern("copied\\s+300 objects\\s+1.1 KiB");
        List<String> bars = screen.lines().filter(l -> l.contains("objects") && l.contains("[")).toList();
        assertThat(bars).as(screen).isNotEmpty();
        for (String bar : bars) {
            assertThat(bar.length()).as("fits %d columns: %s", columns, bar).isLessThanOrEqualTo(columns);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[([=> <]*)]").matcher(bar);
            assertThat(m.find()).as(bar).isTrue();
            assertThat(m.group(1).length()).as("still a bar: %s", bar).isGreaterThanOrEqualTo(10);
        }
        if (columns >= 120) {
            assertThat(screen).contains("migrate 100% [");
        }
    }

    @Test
    void theDefaultHomeFollowsHomeAndXdgDataHomeAndTheLogIsTheOwnersOnly() throws Exception {
        Path root = TempDirs.create("barge-it-home-");
        Path user = Files.createDirectories(root.resolve("user"));
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("src/a.txt"), "alpha");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (boolean xdg : new boolean[] {false, true}) {
            ProcessBuilder builder = new ProcessBuilder(javaBin, "-jar", BargeJar.JAR.toString(), "migrate",
                    "file://" + root.resolve("src"), "file://" + root.resolve(xdg ? "dst-xdg" : "dst"), "--json")
                    .redirectErrorStream(true).redirectOutput(root.resolve("out-" + xdg).toFile());
            builder.environment().remove("BARGE_HOME");
            builder.environment().remove("BARGE_DB_URL");
            builder.environment().remove("XDG_DATA_HOME");
            builder.environment().put("HOME", user.toString());
            if (xdg) {
                builder.environment().put("XDG_DATA_HOME", root.resolve("data").toString());
            }
            Process process = builder.start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(root.resolve("out-" + xdg))).isZero();

            Path barge = xdg ? root.resolve("data/barge") : user.resolve(".local/share/barge");
            assertThat(barge.resolve("barge.log")).isRegularFile();
            assertThat(Files.getPosixFilePermissions(barge.resolve("barge.log")))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(barge.resolve("barge.log"))).as("Flyway's H2 version warning is off")
                    .doesNotContain("newer than the version Flyway has been verified with");
        }
    }

    @Test
    void jobsStopFromAnotherProcessStopsARunningMigrationThatPrintsProgressLines() throws Exception {
        Path root = TempDirs.create("barge-it-stop-");
        Path home = Files.createDirectories(root.resolve("home"));
        fill(root);
        Process first = startSlowMigration(root, home, "--stats", "200ms");

        Run stop = barge(home, "jobs", "stop", "1");

        assertThat(stop.exitCode()).as(stop.out() + stop.err()).isZero();
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("the migration ends after jobs stop").isTrue();
        String out = Files.readString(root.resolve("first.out"));
        String err = Files.readString(root.resolve("first.err"));
        assertThat(first.exitValue()).as(out + err).isEqualTo(1);
        assertThat(out).contains("Stopped execution 1");
        assertThat(err.lines().filter(l -> l.startsWith("[barge] ") && l.contains(" objects")).count())
                .as("progress lines every 200 ms on a non-terminal: " + err).isGreaterThanOrEqualTo(2);
        assertThat(LocalObjects.count(root.resolve("dst"))).isLessThan(OBJECTS);

        Run resumed = barge(home, "migrate", "file://" + root.resolve("src"), "file://" + root.resolve("dst"));
        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
        assertThat(LocalObjects.count(root.resolve("dst"))).isEqualTo(OBJECTS);
    }

    @Test
    void ctrlCStopsTheMigrationCleanlyAndTheSameCommandResumesIt() throws Exception {
        Path root = TempDirs.create("barge-it-interrupt-");
        Path home = Files.createDirectories(root.resolve("home"));
        int objects = OBJECTS;
        fill(root);
        String src = "file://" + root.resolve("src");
        String dst = "file://" + root.resolve("dst");
        Path stdout = root.resolve("first.out");
        Path stderr = root.resolve("first.err");
        Process first = startSlowMigration(root, home);

        BargeJar.signal(first, "INT");

        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("barge ends after Ctrl-C").isTrue();
        String err = Files.readString(stderr);
        String out = Files.readString(stdout);
        assertThat(err).contains("barge: stopping execution 1 after the chunk in flight; run the same command again"
                + " to resume").doesNotContain("could not stop cleanly");
        assertThat(out).as("the summary of the stopped run").contains("Stopped execution 1");
        assertThat(first.exitValue()).as(out + err).isEqualTo(1);
        long copiedBefore = LocalObjects.count(root.resolve("dst"));
        assertThat(copiedBefore).isBetween(200L, (long) objects - 1);

        Run resumed = barge(home, "migrate", src, dst, "--json");

        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
        assertThat(resumed.err()).as("the stopped execution was not left for recovery").doesNotContain("recover");
        assertThat(LocalObjects.count(root.resolve("dst"))).isEqualTo(objects);
        for (int i = 0; i < objects; i += 97) {
            String name = String.format("d%02d/f%04d.txt", i % 15, i);
            assertThat(Files.readString(root.resolve("dst").resolve(name))).isEqualTo("object " + i);
        }
        long copied = jsonNumber(resumed.out(), "objectsCopied");
        long skipped = jsonNumber(resumed.out(), "objectsSkipped");
        assertThat(copied + skipped).as("the resumed run starts where the stopped one committed, not from scratch")
                .isLessThan(objects);
    }

    private static long jsonNumber(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

}
