package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * Configuration that is wrong stops the command at start, before any request, with exit code 2 and
 * one line naming the file and line, or the variable, and what to write instead. Each case starts
 * a real context through {@link SpringContextStarter}, as the command line does.
 */
class ConfigurationRefusalTest {
    private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYzz";

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {}

    private Result barge(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ofHours(1));
        SpringContextStarter starter = new SpringContextStarter(environment,
                Map.of("barge.home", dir.resolve("home").toString()));
        int code = new BargeCli(starter, terminal).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path remotes(String yaml) throws IOException {
        return Files.writeString(dir.resolve("remotes.yml"), yaml);
    }

    @Test
    void aMisspelledSettingInTheRemotesFileNamesTheFileTheLineAndTheClosestName() throws IOException {
        Path file = remotes("s3x:\n  type: s3\n  endpiont: http://127.0.0.1:9\n");

        Result run = barge(Map.of(), "--config", file.toString(), "ls", "s3x:bucket");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("remotes file " + file + ", line 3: endpiont is not a setting of remote 's3x'",
                "did you mean 'endpoint'?");
    }

    @Test
    void aBargeRemoteVariableThatNamesNoSettingIsRefusedWithTheClosestVariable() {
        Result run = barge(Map.of("BARGE_REMOTE_S3X_TYPE", "s3", "BARGE_REMOTE_S3X_ENDPIONT", "http://127.0.0.1:9"),
                "remotes");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("environment variable BARGE_REMOTE_S3X_ENDPIONT names no setting",
                "did you mean BARGE_REMOTE_S3X_ENDPOINT?");
    }

    @Test
    void anUnsetVariableInTheRemotesFileIsRefusedNamingItInsteadOfBecomingTheSecret() throws IOException {
        Path file = remotes("x:\n  type: s3\n  access-key-id: AKIDEXAMPLE\n"
                + "  secret-access-key: ${BARGE_TEST_SURELY_UNSET_VARIABLE}\n");

        Result run = barge(Map.of(), "--config", file.toString(), "remotes");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("remotes file " + file + ", line 4: secret-access-key refers to"
                + " ${BARGE_TEST_SURELY_UNSET_VARIABLE}, which is not set");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aValueThatDoesNotConvertNamesTheSettingAndTheValidValues() throws IOException {
        Path file = remotes("x:\n  type: s3\n  path-style: maybe\n");
        Result fromFile = barge(Map.of(), "--config", file.toString(), "remotes");
        assertThat(fromFile.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(fromFile.err()).contains("remotes file " + file + ", line 3: path-style=maybe is not valid:"
                + " it must be true or false");

        Result fromVariable = barge(Map.of("BARGE_REMOTE_Y_TYPE", "s3", "BARGE_REMOTE_Y_PATH_STYLE", "maybe"), "remotes");
        assertThat(fromVariable.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(fromVariable.err()).contains("environment variable BARGE_REMOTE_Y_PATH_STYLE=maybe is not valid:"
                + " it must be true or false");
    }

    @Test
    void anUnknownTypeIsRefusedByEveryCommandRemotesIncluded() throws IOException {
        Path file = remotes("bad:\n  type: s4\n");
        for (String[] command : new String[][] {{"remotes"}, {"ls", "bad:bucket"}, {"jobs", "list"}}) {
            String[] args = new String[command.length + 2];
            args[0] = "--config";
            args[1] = file.toString();
            System.arraycopy(command, 0, args, 2, command.length);

            Result run = barge(Map.of(), args);

            assertThat(run.exitCode()).as(String.join(" ", command) + ": " + run.out() + run.err())
                    .isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("remote 'bad': type 's4' is not one of [azure, local, oss, qiniu, s3]; did you"
                    + " mean 's3'? (set type of remote 'bad' in " + file + ")");
        }
    }

    @Test
    void aMissingSecretIsNamedInTheFormTheRemoteWasConfiguredIn() throws IOException {
        Result variables = barge(Map.of("BARGE_REMOTE_OSSE_TYPE", "oss", "BARGE_REMOTE_OSSE_ACCESS_KEY_ID", "AK"),
                "remotes");
        assertThat(variables.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(variables.err()).contains("remote 'osse': access-key-id is set but secret-access-key is not;"
                + " set BARGE_REMOTE_OSSE_SECRET_ACCESS_KEY").doesNotContain("BARGE_REMOTES_");

        Path file = remotes("osse:\n  type: oss\n  access-key-id: AK\n");
        Result inFile = barge(Map.of(), "--config", file.toString(), "remotes");
        assertThat(inFile.err()).contains("set secret-access-key of remote 'osse' in " + file);
    }

    @Test
    void remotesWithoutCredentialsWhoseVendorHasNoDefaultChainSaySoBeforeAnyRequest() throws IOException {
        assumeTrue(System.getenv("OSS_ACCESS_KEY_ID") == null, "OSS_ACCESS_KEY_ID is set: OSS has credentials");
        // endpoints where nothing listens: a request would fail differently
        Path file = remotes("kn:\n  type: qiniu\n  endpoint: http://127.0.0.1:9\n"
                + "ossn:\n  type: oss\n  endpoint: http://127.0.0.1:9\n");

        Result kodo = barge(Map.of(), "--config", file.toString(), "ls", "kn:bucket");
        assertThat(kodo.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(kodo.err()).contains("remote 'kn' has no credentials: none were given, and Qiniu has no default"
                + " credential chain; set access-key-id of remote 'kn' in " + file);

        Result oss = barge(Map.of(), "--config", file.toString(), "ls", "ossn:bucket");
        assertThat(oss.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(oss.err()).contains("remote 'ossn' has no credentials: none were given, and OSS_ACCESS_KEY_ID and"
                + " OSS_ACCESS_KEY_SECRET (OSS's default) are not set").doesNotContain("rejects", "127.0.0.1");
    }

    @Test
    void anS3RemoteWithoutCredentialsOutsideMigrateSaysSoInOneShortLine() throws IOException {
        assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
                && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
                && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null
                && System.getenv("AWS_PROFILE") == null, "the AWS default chain has credentials in this environment");
        // the rest of the default chain: no profile files, no instance metadata
        Map<String, String> properties = Map.of("aws.sharedCredentialsFile", dir.resolve("no-credentials").toString(),
                "aws.configFile", dir.resolve("no-config").toString(), "aws.disableEc2Metadata", "true");
        Map<String, String> before = new java.util.HashMap<>();
        properties.keySet().forEach(k -> before.put(k, System.getProperty(k)));
        properties.forEach(System::setProperty);
        try {
            Path file = remotes("s3n:\n  type: s3\n  region: us-east-1\n  endpoint: http://127.0.0.1:9\n");

            Result run = barge(Map.of(), "--config", file.toString(), "ls", "s3n:bucket");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("the remote has no credentials: none were given and the AWS default chain"
                    + " found none", "set the remote's access-key-id and secret-access-key")
                    .doesNotContain("Provider", "Unable to load credentials");
            assertThat(run.err().lines().count()).isEqualTo(1);
            assertThat(run.err().length()).as(run.err()).isLessThan(500);
        } finally {
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    @Test
    void aYamlErrorNamesTheLineAndColumnWithoutQuotingTheSecret() throws IOException {
        Path file = remotes("x:\n  type: s3\n  access-key-id: AKIDEXAMPLE\n  secret-access-key: " + SECRET + ": oops\n");

        Result run = barge(Map.of(), "--config", file.toString(), "remotes");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("remotes file " + file + " is not valid YAML at line 4, column ",
                "mapping values are not allowed here");
        assertThat(run.out() + run.err()).doesNotContain(SECRET, "oops");
        // In this JVM the tests' logging configuration holds, and no barge.log is written: the log file of
        // real runs of every command is scanned for secrets by SecretScanTest.
    }

    @Test
    void theDefaultRemotesFileFollowsHomeAndXdgConfigHome() throws IOException {
        Path home = dir.resolve("user");
        Files.createDirectories(home.resolve(".config/barge"));
        Files.writeString(home.resolve(".config/barge/remotes.yml"), "fromhome:\n  type: local\n  root: " + dir + "\n");
        Path xdg = dir.resolve("xdg");
        Files.createDirectories(xdg.resolve("barge"));
        Files.writeString(xdg.resolve("barge/remotes.yml"), "fromxdg:\n  type: local\n  root: " + dir + "\n");

        Result byHome = barge(Map.of("HOME", home.toString()), "remotes");
        assertThat(byHome.exitCode()).as(byHome.err()).isZero();
        assertThat(byHome.out()).contains("fromhome").doesNotContain("fromxdg");

        Result byXdg = barge(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString()), "remotes");
        assertThat(byXdg.exitCode()).as(byXdg.err()).isZero();
        assertThat(byXdg.out()).contains("fromxdg").doesNotContain("fromhome");

        Result emptyXdg = barge(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", "", "XDG_DATA_HOME", ""), "remotes");
        assertThat(emptyXdg.exitCode()).as(emptyXdg.err()).isZero();
        assertThat(emptyXdg.out()).as("an empty XDG_CONFIG_HOME is as if unset").contains("fromhome");
    }

    @Test
    void aJobRepositoryThatCannotBeReachedIsNamedWithoutItsPassword() {
        Result run = barge(Map.of(), "jobs", "list", "--db-url",
                "jdbc:postgresql://127.0.0.1:9/barge?user=barge&password=" + SECRET);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("cannot open the job repository jdbc:postgresql://127.0.0.1:9/barge (--db-url)")
                .doesNotContain(SECRET);
    }
}
