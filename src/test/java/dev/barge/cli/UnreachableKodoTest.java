package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kodo remote where nothing listens (127.0.0.1:9): {@code ls}, {@code cat}, {@code stat} and
 * {@code migrate}'s preflight name the host the remote was configured with and what to check, also
 * for a remote without an endpoint. One attempt per request, so that each command fails at once.
 */
class UnreachableKodoTest {
    private static final String NOBODY = "127.0.0.1:9";

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {}

    private Result barge(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ofHours(1));
        SpringContextStarter starter = new SpringContextStarter(Map.of(),
                Map.of("barge.home", dir.resolve("home").toString()));
        int code = new BargeCli(starter, terminal).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code kn}: one endpoint; {@code kh}: no endpoint, a host per role (all of them where nothing listens). */
    private Path remotes() throws IOException {
        StringBuilder hosts = new StringBuilder();
        for (String role : new String[] {"up", "rs", "rsf", "api", "uc", "io"}) {
            hosts.append("    ").append(role).append("-host: http://").append(NOBODY).append('\n');
        }
        String keys = "  access-key-id: kodo-ak\n  secret-access-key: kodo-sk\n  retry:\n    max-attempts: 1\n";
        Files.createDirectories(dir.resolve("disk"));
        return Files.writeString(dir.resolve("remotes.yml"), "kn:\n  type: qiniu\n  endpoint: http://" + NOBODY + "\n"
                + keys + "kh:\n  type: qiniu\n  region: z0\n" + keys + "  options:\n" + hosts
                + "disk:\n  type: local\n  root: " + dir.resolve("disk") + "\n");
    }

    @Test
    void lsCatAndStatNameTheConfiguredHostAndWhatToCheck() throws IOException {
        Path file = remotes();

        Result ls = barge("--config", file.toString(), "ls", "kn:photos/");
        Result cat = barge("--config", file.toString(), "cat", "kn:photos/a.jpg");
        Result stat = barge("--config", file.toString(), "stat", "kn:photos/a.jpg");
        Result lsWithoutEndpoint = barge("--config", file.toString(), "ls", "kh:photos");

        assertThat(ls.err()).as(ls.err()).contains("Kodo at " + NOBODY + " (the rsf host of remote 'kn') did not answer",
                "check endpoint (or rsf-host) of remote 'kn' and that this machine can reach it");
        assertThat(cat.err()).as(cat.err()).contains("Kodo at " + NOBODY + " (the rs host of remote 'kn') did not answer",
                "check endpoint (or rs-host) of remote 'kn'");
        assertThat(stat.err()).as(stat.err()).contains("Kodo at " + NOBODY + " (the rs host of remote 'kn') did not answer",
                "check endpoint (or rs-host) of remote 'kn'");
        assertThat(lsWithoutEndpoint.err()).as(lsWithoutEndpoint.err())
                .contains("Kodo at " + NOBODY + " (the rsf host of remote 'kh') did not answer",
                        "check endpoint (or rsf-host) of remote 'kh'");
        for (Result run : new Result[] {ls, cat, stat, lsWithoutEndpoint}) {
            assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(run.out() + run.err()).doesNotContain("kodo-sk");
        }
    }

    @Test
    void migratesPreflightNamesTheHostOfARemoteWithoutAnEndpoint() throws IOException {
        Path file = remotes();
        Files.createDirectories(dir.resolve("disk/target"));

        Result run = barge("--config", file.toString(), "migrate", "kh:photos/", "disk:target/photos/");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("cannot list bucket 'photos' on remote 'kh' at " + NOBODY + ": ",
                "(the rsf host of remote 'kh') did not answer: ConnectException: ").doesNotContain("check the endpoint and the network");
    }
}
