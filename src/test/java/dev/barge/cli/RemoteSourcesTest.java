package dev.barge.cli;

import dev.barge.test.TempDirs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Remotes from BARGE_REMOTE_* variables and from a remotes file, down to a real context start. */
class RemoteSourcesTest {

    @Test
    void environmentVariablesBecomeRemoteProperties() {
        Map<String, Object> properties = RemoteEnvironment.properties(Map.of(
                "BARGE_REMOTE_BACKUP_TYPE", "s3",
                "BARGE_REMOTE_BACKUP_SECRET_ACCESS_KEY", "s",
                "BARGE_REMOTE_OSS_PROD_REGION", "cn-hangzhou",
                "BARGE_REMOTE_MY_ROOT_ROOT", "/srv",
                "BARGE_REMOTE_KODO_OPTIONS_DOWNLOAD_DOMAIN", "https://cdn",
                "BARGE_REMOTE_X_RATE_LIMIT_BYTES_PER_SECOND", "10MB",
                "PATH", "/bin"));
        assertThat(properties).containsExactlyInAnyOrderEntriesOf(Map.of(
                "barge.remotes.backup.type", "s3",
                "barge.remotes.backup.secret-access-key", "s",
                "barge.remotes.oss_prod.region", "cn-hangzhou",
                "barge.remotes.my_root.root", "/srv",
                "barge.remotes.kodo.options.download-domain", "https://cdn",
                "barge.remotes.x.rate-limit.bytes-per-second", "10MB"));

        assertThatThrownBy(() -> RemoteEnvironment.properties(Map.of("BARGE_REMOTE_NOSETTING", "x")))
                .isInstanceOf(CliError.class).hasMessageContaining("BARGE_REMOTE_NOSETTING names no setting");
    }

    @Test
    void aRemotesFileHasRemoteNamesAtTheTop() throws Exception {
        Path file = Files.writeString(TempDirs.file("remotes-", ".yml"),
                "archive:\n  type: local\n  root: /srv/archive\n  options:\n    sync: false\n");
        var properties = RemotesFile.properties(file);
        assertThat(properties.getProperty("barge.remotes.archive.type")).isEqualTo("local");
        assertThat(properties.getProperty("barge.remotes.archive.options.sync")).isEqualTo(false);
        Path flat = Files.writeString(TempDirs.file("remotes-", ".yml"), "type: local\n");
        assertThatThrownBy(() -> RemotesFile.properties(flat)).isInstanceOf(CliError.class)
                .hasMessageContaining("'type' is not a remote with settings");
    }

    @Test
    void aRealContextTakesRemotesFromTheFileAndTheEnvironment() throws Exception {
        Path dir = TempDirs.create("barge-remotes-");
        Path file = Files.writeString(dir.resolve("remotes.yml"), "fromfile:\n  type: local\n  root: " + dir + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ofHours(1));
        SpringContextStarter starter = new SpringContextStarter(Map.of(
                "BARGE_REMOTE_FROMENV_TYPE", "s3",
                "BARGE_REMOTE_FROMENV_ACCESS_KEY_ID", "AKIAEXAMPLE",
                "BARGE_REMOTE_FROMENV_SECRET_ACCESS_KEY", "very-secret"),
                Map.of("barge.home", dir.resolve("home").toString()));

        int code = new BargeCli(starter, terminal).execute("remotes", "--config", file.toString());

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("fromfile", "local", "fromenv", "s3", "AKIA****",
                "******").doesNotContain("very-secret", "AKIAEXAMPLE");

        int missing = new BargeCli(starter, terminal).execute("remotes", "--config", dir.resolve("nope.yml").toString());
        assertThat(missing).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.yml does not exist");
    }
}
