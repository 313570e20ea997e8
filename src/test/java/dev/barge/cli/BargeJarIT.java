package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar target/barge.jar} as a real process, run by failsafe in {@code verify}, after
 * {@code package} has built the jar: a migration between two temporary directories on the
 * embedded default repository, then a usage error.
 */
class BargeJarIT {
    private static final Path JAR = Path.of("target", "barge.jar");

    record Run(int exitCode, String out, String err) {}

    private static Run barge(Path home, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the package phase builds the jar before this test").isRegularFile();
        Path stdout = Files.createTempFile("barge-out-", ".txt");
        Path stderr = Files.createTempFile("barge-err-", ".txt");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put("BARGE_HOME", home.toString());
        builder.environment().remove("BARGE_DB_URL");
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("barge ended within 2 minutes").isTrue();
        return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    @Test
    void migratesBetweenTwoDirectoriesAsARealProcess() throws Exception {
        Path root = Files.createTempDirectory("barge-it-");
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
}
