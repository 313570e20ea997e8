package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.test.LocalObjects;
import dev.barge.test.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A migration killed with {@code kill -9} half way, then run again with the same command: at the
 * end every object is there and identical, and at most one chunk was written twice.
 */
class MigrateCrashTest {
    private static final int OBJECTS = 5000;
    private static final int CHUNK = 50;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "repository on {0}, {1} partition(s)")
    @CsvSource({"h2, 1", "postgresql, 1", "postgresql, 4"})
    void aKilledMigrationResumesAndWritesAtMostOneChunkTwicePerPartition(String database, int partitions)
            throws Exception {
        Path source = Files.createDirectories(temp.resolve("src/photos"));
        Path target = Files.createDirectories(temp.resolve("dst/backup"));
        for (int i = 0; i < OBJECTS; i++) {
            Path file = source.resolve(String.format("d%02d/object-%05d.dat", i % 40, i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, "object " + i + " " + "x".repeat(i % 700));
        }
        Path putLog = temp.resolve("puts.log");
        TestPostgres.Schema schema = database.equals("postgresql") ? TestPostgres.freshSchema() : null;
        try {
            List<String> common = new ArrayList<>(List.of(
                    "--barge.home=" + temp.resolve("home"),
                    "--barge.remotes.src.type=local", "--barge.remotes.src.root=" + temp.resolve("src"),
                    "--barge.remotes.dst.type=local", "--barge.remotes.dst.root=" + temp.resolve("dst"),
                    // kill -9 loses no page cache: flushing every file would only slow the test down
                    "--barge.remotes.src.options.sync=false", "--barge.remotes.dst.options.sync=false",
                    "--test.source=src:photos", "--test.target=dst:backup", "--test.chunk-size=" + CHUNK,
                    "--test.put-log=" + putLog, "--test.partitions=" + partitions));
            if (schema != null) {
                common.addAll(List.of("--spring.datasource.url=" + schema.url(),
                        "--spring.datasource.username=" + schema.user(), "--spring.datasource.password=",
                        "--spring.flyway.schemas=" + schema.name()));
            }

            List<String> throttled = new ArrayList<>(common);
            throttled.add("--barge.remotes.dst.rate-limit.operations-per-second=800");
            Process first = child(throttled, temp.resolve("first.log"));
            awaitObjects(target, OBJECTS / 3, first);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            long beforeKill = LocalObjects.count(target);
            assertThat(beforeKill).as("killed half way").isBetween((long) OBJECTS / 3, (long) OBJECTS - 1);

            Process second = child(common, temp.resolve("second.log"));
            assertThat(second.waitFor(180, TimeUnit.SECONDS)).as("second run finishes").isTrue();
            assertThat(second.exitValue()).as(Files.readString(temp.resolve("second.log"))).isZero();

            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path copy = target.resolve(source.relativize(file));
                    assertThat(copy).as("copy of %s", file).exists().hasSameBinaryContentAs(file);
                }
            }
            assertThat(LocalObjects.count(target)).isEqualTo(OBJECTS);
            Map<String, Long> writes = Files.readAllLines(putLog, StandardCharsets.UTF_8).stream()
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            long twice = writes.values().stream().filter(n -> n > 1).count();
            assertThat(writes).hasSize(OBJECTS);
            assertThat(twice).as("objects transferred twice").isLessThanOrEqualTo((long) CHUNK * partitions);
            assertThat(Files.readString(temp.resolve("second.log"))).contains("recovering it")
                    .contains("COMPLETED");
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    @Test
    void aMoveKilledBetweenCopiesAndDeletesLosesNoObjectAndItsRerunFinishesTheMove() throws Exception {
        int objects = 1500;
        Path source = Files.createDirectories(temp.resolve("src/photos"));
        Path target = Files.createDirectories(temp.resolve("dst/backup"));
        for (int i = 0; i < objects; i++) {
            Path file = source.resolve(name(i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, content(i));
        }
        List<String> common = new ArrayList<>(List.of(
                "--barge.home=" + temp.resolve("home"),
                "--barge.remotes.src.type=local", "--barge.remotes.src.root=" + temp.resolve("src"),
                "--barge.remotes.dst.type=local", "--barge.remotes.dst.root=" + temp.resolve("dst"),
                "--barge.remotes.src.options.sync=false", "--barge.remotes.dst.options.sync=false",
                "--test.source=src:photos", "--test.target=dst:backup", "--test.chunk-size=" + CHUNK,
                "--test.mode=MOVE", "--test.put-log=" + temp.resolve("puts.log")));
        List<String> throttled = new ArrayList<>(common);
        throttled.add("--barge.remotes.dst.rate-limit.operations-per-second=400");
        Process first = child(throttled, temp.resolve("first.log"));
        awaitObjects(target, objects / 3, first);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        // killed between some copy and its delete: every object is whole on one side at least
        for (int i = 0; i < objects; i++) {
            Path original = source.resolve(name(i));
            Path copy = target.resolve(name(i));
            boolean kept = Files.exists(original) && Files.readString(original).equals(content(i));
            boolean copied = Files.exists(copy) && Files.readString(copy).equals(content(i));
            assertThat(kept || copied).as("object %d after the kill", i).isTrue();
        }
        assertThat(LocalObjects.count(source)).as("the kill came half way").isBetween(1L, (long) objects - 1);

        Process second = child(common, temp.resolve("second.log"));
        assertThat(second.waitFor(180, TimeUnit.SECONDS)).as("second run finishes").isTrue();
        assertThat(second.exitValue()).as(Files.readString(temp.resolve("second.log"))).isZero();

        assertThat(LocalObjects.count(source)).as("the move finished").isZero();
        for (int i = 0; i < objects; i++) {
            assertThat(target.resolve(name(i))).hasContent(content(i));
        }
    }

    private static String name(int i) {
        return String.format("d%02d/object-%05d.dat", i % 40, i);
    }

    private static String content(int i) {
        return "object " + i + " " + "x".repeat(i % 700);
    }

    static Process child(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(Arrays.asList(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogging.level.dev.barge=info",
                MigrateChildProcess.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits, with a deadline, until the target holds {@code n} objects; fails if the child ends first. */
    private static void awaitObjects(Path target, long n, Process child) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (LocalObjects.count(target) < n) {
            assertThat(child.isAlive()).as("the first run ended before it could be killed").isTrue();
            assertThat(Instant.now()).as("waiting for %d objects", n).isBefore(deadline);
            child.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

}
