package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.cli.BargeJar.Run;
import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.oss.OssExchange;
import dev.barge.test.LocalObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job commands beside {@code migrate} as a user runs them, from the jar, interrupted. A delete
 * killed with {@code kill -9} or stopped with SIGTERM half way, then run again with the same command,
 * deletes the rest and nothing else; off a terminal, without {@code --yes}, it deletes nothing at
 * all. An archive, a restore or a verify killed half way is finished by its rerun; the restore asks
 * for no object twice, and the verify reports each difference once across the two executions.
 */
class JobInterruptIT {
    private static final int OBJECTS = 600;
    private static final int CHUNK = 20;

    @TempDir
    Path root;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"KILL", "TERM"})
    void anInterruptedDeleteIsFinishedByTheSameCommandAndTouchesNothingBesideThePrefix(String signal) throws Exception {
        Path home = Files.createDirectories(root.resolve("home"));
        Path logs = root.resolve("data/logs");
        for (int i = 0; i < OBJECTS; i++) {
            Path file = logs.resolve(String.format("d%d/f%03d.log", i % 9, i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, "line " + i);
        }
        Path sibling = Files.writeString(Files.createDirectories(root.resolve("data/logs2")).resolve("keep.log"), "keep");
        Path beside = Files.writeString(root.resolve("data/logs.txt"), "keep too");
        String[] delete = {"delete", "file://" + logs, "--yes", "--chunk-size", "" + CHUNK};
        Path stdout = root.resolve("first.out");
        Path stderr = root.resolve("first.err");
        // slowed down to about 8 chunks a second, so that the signal comes half way
        Process first = BargeJar.start(home, stdout, stderr, concat(delete, "--tps-limit", "8"));
        BargeJar.await(first, stderr, Duration.ofSeconds(60), "a quarter deleted",
                () -> LocalObjects.count(logs) < OBJECTS * 3 / 4);
        BargeJar.signal(first, signal);
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("barge ends after SIG" + signal).isTrue();
        assertThat(first.exitValue()).as(Files.readString(stdout) + Files.readString(stderr))
                .isEqualTo(signal.equals("KILL") ? 137 : ExitCode.FAILED);
        long left = LocalObjects.count(logs);
        assertThat(left).as("interrupted half way").isBetween(1L, (long) OBJECTS * 3 / 4);
        if (signal.equals("TERM")) {
            assertThat(Files.readString(stdout)).contains("Stopped execution 1");
        }

        Run again = BargeJar.run(home, concat(delete, "--json"));

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("\"status\":\"COMPLETED\"", "\"job\":\"delete\"", "\"resumedExecutionId\":1");
        assertThat(again.out() + again.err()).doesNotContain("Exception", "\tat ");
        assertThat(LocalObjects.count(logs)).as("every object under the prefix is gone").isZero();
        assertThat(sibling).hasContent("keep");
        assertThat(beside).hasContent("keep too");
    }

    @Test
    void withoutYesAndNoTerminalItRefusesAndDeletesNothing() throws Exception {
        Path home = Files.createDirectories(root.resolve("home"));
        Path logs = root.resolve("data/logs");
        Files.createDirectories(logs);
        Files.writeString(logs.resolve("a.log"), "a");

        Run refused = BargeJar.run(home, "delete", "file://" + logs);

        assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.err()).contains("without --yes", "nothing was deleted");
        assertThat(logs.resolve("a.log")).hasContent("a");
    }

    @Test
    void aKilledArchiveIsFinishedByTheSameCommand() throws Exception {
        Path home = Files.createDirectories(root.resolve("home"));
        Path media = root.resolve("data/media");
        for (int i = 0; i < OBJECTS; i++) {
            Path file = media.resolve(String.format("d%d/f%03d.mp4", i % 9, i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, "frame " + i);
        }
        String[] archive = {"archive", "file://" + media, "--storage-class", "ARCHIVE", "--chunk-size", "" + CHUNK,
                "--concurrency", "2"};
        Path stdout = root.resolve("first.out");
        Path stderr = root.resolve("first.err");
        Process first = BargeJar.start(home, stdout, stderr, concat(archive, "--tps-limit", "60", "--stats", "100ms"));
        // the progress lines count committed objects: "[barge] 180/600 objects, ..."
        BargeJar.await(first, stderr, Duration.ofSeconds(60), "a quarter archived", () -> Files.readString(stderr)
                .lines().anyMatch(l -> l.matches("\\[barge] (1[5-9]\\d|[2-5]\\d\\d)/" + OBJECTS + " objects.*")));
        BargeJar.signal(first, "KILL");
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Run again = BargeJar.run(home, concat(archive, "--json"));
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("\"status\":\"COMPLETED\"", "\"resumedExecutionId\":1");

        Run check = BargeJar.run(home, concat(archive, "--json"));
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("\"objectsArchived\":0", "\"objectsAlreadyInClass\":" + OBJECTS);
        for (int i = 0; i < OBJECTS; i += 97) {
            assertThat(media.resolve(String.format("d%d/f%03d.mp4", i % 9, i))).hasContent("frame " + i);
        }
    }

    @Test
    void aKilledVerifyIsFinishedByTheSameCommandAndCountsEveryKeyOnce() throws Exception {
        Path home = Files.createDirectories(root.resolve("home"));
        Path original = root.resolve("data/original");
        Path copy = root.resolve("data/copy");
        for (int i = 0; i < OBJECTS; i++) {
            String name = String.format("d%d/f%03d.txt", i % 9, i);
            for (Path side : List.of(original, copy)) {
                Files.createDirectories(side.resolve(name).getParent());
                Files.writeString(side.resolve(name), "line " + i);
            }
        }
        Files.writeString(copy.resolve("d0/f000.txt"), "LINE 0"); // one difference of the same size
        Files.delete(copy.resolve("d1/f001.txt"));                // one missing at the target
        String[] verify = {"verify", "file://" + original, "file://" + copy, "--download", "--chunk-size", "" + CHUNK,
                "--concurrency", "2"};
        Path stdout = root.resolve("first.out");
        Path stderr = root.resolve("first.err");
        Process first = BargeJar.start(home, stdout, stderr, concat(verify, "--tps-limit", "60", "--stats", "100ms"));
        BargeJar.await(first, stderr, Duration.ofSeconds(60), "a quarter verified", () -> Files.readString(stderr)
                .lines().anyMatch(l -> l.matches("\\[barge] (1[5-9]\\d|[2-5]\\d\\d)/" + OBJECTS + " objects.*")));
        BargeJar.signal(first, "KILL");
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Run again = BargeJar.run(home, concat(verify, "--json"));

        assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(ExitCode.DIFFERENCES);
        assertThat(again.out()).contains("\"resumedExecutionId\":1", "\"status\":\"DIFFERENCES_FOUND\"");
        Run failures = BargeJar.run(home, "jobs", "failures", "2", "--csv");
        Run earlier = BargeJar.run(home, "jobs", "failures", "1", "--csv");
        String findings = failures.out() + earlier.out();
        assertThat(findings.lines().filter(l -> l.contains("/data/original/d0/f000.txt,"))).as(findings).hasSize(1);
        assertThat(findings.lines().filter(l -> l.contains("/data/original/d1/f001.txt,"))).as(findings).hasSize(1);
        assertThat(Files.readString(copy.resolve("d0/f000.txt"))).isEqualTo("LINE 0");
    }

    @Test
    void aKilledRestoreIsFinishedByTheSameCommandAndAsksForNoObjectTwice() throws Exception {
        try (OssEmulator oss = OssEmulator.builder().credentials("it-ak", "it-sk").journalCapacity(10_000).build()
                .start()) {
            Path home = Files.createDirectories(root.resolve("home"));
            Map<String, String> remote = Map.of("BARGE_REMOTE_COLD_TYPE", "oss",
                    "BARGE_REMOTE_COLD_ENDPOINT", oss.endpoint(),
                    "BARGE_REMOTE_COLD_ACCESS_KEY_ID", "it-ak",
                    "BARGE_REMOTE_COLD_SECRET_ACCESS_KEY", "it-sk");
            Path media = root.resolve("data/media");
            for (int i = 0; i < OBJECTS; i++) {
                Path file = media.resolve(String.format("d%d/f%03d.mp4", i % 9, i));
                Files.createDirectories(file.getParent());
                Files.writeString(file, "frame " + i);
            }
            assertThat(BargeJar.run(home, remote, "mb", "cold:vault").exitCode()).isZero();
            Run archived = BargeJar.run(home, remote, "archive", "file://" + media, "--storage-class", "ARCHIVE",
                    "--to", "cold:vault/media", "--json");
            assertThat(archived.exitCode()).as(archived.out() + archived.err()).isZero();
            oss.clearJournal();

            String[] restore = {"restore", "cold:vault/media", "--days", "2", "--chunk-size", "" + CHUNK,
                    "--concurrency", "2"};
            Path stdout = root.resolve("first.out");
            Path stderr = root.resolve("first.err");
            Process first = BargeJar.start(home, remote, stdout, stderr,
                    concat(restore, "--tps-limit", "60", "--stats", "100ms"));
            BargeJar.await(first, stderr, Duration.ofSeconds(60), "a quarter requested", () -> Files.readString(stderr)
                    .lines().anyMatch(l -> l.matches("\\[barge] (1[5-9]\\d|[2-5]\\d\\d)/" + OBJECTS + " objects.*")));
            BargeJar.signal(first, "KILL");
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();

            Run again = BargeJar.run(home, remote, concat(restore, "--json"));
            assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
            assertThat(again.out()).contains("\"status\":\"COMPLETED\"", "\"resumedExecutionId\":");
            // the objects of the chunk in flight at the kill were asked for, not committed: "already restoring" now
            assertThat(field(again.out(), "objectsDoneBefore") + field(again.out(), "objectsRequested")
                    + field(again.out(), "objectsAlreadyRestoring")).as(again.out()).isEqualTo(OBJECTS);

            // every object was asked for once: a restore that started answers 202, a second request 409 or 200
            List<OssExchange> restores = oss.journal().stream()
                    .filter(e -> e.request().method().equals("POST") && e.request().hasParameter("restore"))
                    .toList();
            assertThat(restores.stream().filter(e -> e.status() == 202).map(e -> e.request().key()).distinct().count())
                    .as("objects whose restore was started").isEqualTo(OBJECTS);
            assertThat(restores.stream().filter(e -> e.status() == 202).count())
                    .as("restores started, objects asked for twice included").isEqualTo(OBJECTS);
            assertThat(restores.size()).as("requests: one per object, plus at most the chunks in flight at the kill")
                    .isLessThanOrEqualTo(OBJECTS + 2 * CHUNK);

            Run check = BargeJar.run(home, remote, concat(restore, "--json"));
            assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
            assertThat(check.out()).contains("\"objectsRequested\":0");
        }
    }

    private static long field(String json, String name) {
        return Long.parseLong(json.replaceAll("(?s).*\"" + name + "\":(\\d+).*", "$1"));
    }

    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }
}
