package dev.barge.emulator;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A vendor's official Node.js SDK, run against an emulator by one of the scripts in {@code src/test/js}: the
 * emulators' check with a second official client (issue 15).
 *
 * <p>The SDKs come from npm, pinned, installed by {@code .ci/run} into {@code $BARGE_NPM_CLIENTS_HOME} or
 * {@code ~/.cache/barge/npm-clients}; {@code node} is {@code $BARGE_NODE} or the one on the PATH. When either
 * is missing, {@link #run} fails saying how to install it: CI installs them, so a missing SDK is an error,
 * never a skip.
 *
 * @param packageName the npm package, e.g. {@code ali-oss}
 * @param version the version {@code .ci/run} installs
 * @param script the script, relative to the project directory
 */
public record NodeClient(String packageName, String version, Path script) {

    /** Aliyun's Node.js SDK, the version {@code .ci/run} pins. */
    public static final NodeClient ALI_OSS = new NodeClient("ali-oss", "6.23.0", Path.of("src/test/js/oss-second-client.js"));
    /** Qiniu's Node.js SDK, the version {@code .ci/run} pins. */
    public static final NodeClient QINIU = new NodeClient("qiniu", "7.15.2", Path.of("src/test/js/kodo-second-client.js"));

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    public NodeClient {
        requireNonNull(packageName, "packageName is null");
        requireNonNull(version, "version is null");
        requireNonNull(script, "script is null");
    }

    /** What the script printed (stdout and stderr, interleaved) and how it ended. */
    public record Outcome(int exitCode, String output) {}

    /** Where {@code .ci/run} installs the SDKs. */
    public static Path home() {
        String home = System.getenv("BARGE_NPM_CLIENTS_HOME");
        return home != null && !home.isBlank() ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".cache", "barge", "npm-clients");
    }

    /**
     * Runs the script with {@code arguments} and returns how it ended; throws {@link AssertionError} with the
     * installation command when node or the SDK is missing, and when the script runs longer than 3 minutes.
     */
    public Outcome run(String... arguments) {
        Path modules = home().resolve("node_modules");
        String install = "run .ci/run, or: npm install --prefix " + home() + " ali-oss@" + ALI_OSS.version
                + " qiniu@" + QINIU.version;
        Path packageJson = modules.resolve(packageName).resolve("package.json");
        if (!Files.isRegularFile(packageJson)) {
            throw new AssertionError(packageName + " is not installed in " + modules + ": " + install
                    + " (npm comes with Node.js 18+: apt-get install nodejs npm)");
        }
        if (!readString(packageJson).contains("\"version\": \"" + version + "\"")) {
            throw new AssertionError(packageName + " in " + modules + " is not version " + version + ": " + install);
        }
        List<String> command = new ArrayList<>();
        String node = System.getenv("BARGE_NODE");
        command.add(node != null && !node.isBlank() ? node : "node");
        command.add(script.toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("NODE_PATH", modules.toString());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command.get(0) + " (" + e.getMessage() + "): install Node.js 18+"
                    + " and npm (apt-get install nodejs npm) or set BARGE_NODE to a node binary", e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "node " + script.getFileName());
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                reader.join(TimeUnit.SECONDS.toMillis(10));
                throw new AssertionError(script + " did not finish within " + TIMEOUT.toMinutes() + " minutes; its output:\n"
                        + text(output));
            }
            reader.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + script + " ran", e);
        }
        return new Outcome(process.exitValue(), text(output));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process ended; what was read is kept
        }
    }

    private static String text(ByteArrayOutputStream output) {
        return output.toString(StandardCharsets.UTF_8);
    }

    private static String readString(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
