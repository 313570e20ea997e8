package dev.barge.storage.azure;

import dev.barge.storage.Credentials;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.test.TempDirs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azurite's blob service, Microsoft's own emulator, as a child process on 127.0.0.1 and a port it
 * chooses (it prints the port once it listens: no polling, no sleeps), keeping blobs in memory; one per
 * test class, killed by {@link #close()}.
 *
 * <p>Azurite comes from npm. It is looked for at {@code $BARGE_AZURITE} (the {@code azurite-blob}
 * script), else under {@code $BARGE_AZURITE_HOME} or {@code ~/.cache/barge/azurite}, where
 * {@code .ci/run} installs it with {@code npm install --prefix ~/.cache/barge/azurite azurite@VERSION}.
 * Without it the test fails saying how to install it.
 */
public final class AzuriteServer implements AutoCloseable {
    /** The version {@code .ci/run} installs. */
    public static final String VERSION = "3.35.0";
    /** Azurite's well-known development account and key (public, documented by Microsoft). */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Pattern LISTENING = Pattern.compile("successfully listens on (https?)://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final String scheme;
    private final int port;

    private AzuriteServer(Process process, String scheme, int port) {
        this.process = process;
        this.scheme = scheme;
        this.port = port;
    }

    /** Starts Azurite, or fails saying why and how to install it. */
    public static AzuriteServer start() {
        return start(List.of());
    }

    /**
     * Starts Azurite over https with the certificate and key of a PKCS#12 file, taking OAuth bearer
     * tokens ({@code --oauth basic}: it checks a token's issuer, audience and lifetime, not its signature)
     * as well as the account key.
     */
    public static AzuriteServer startHttpsWithOAuth(Path pkcs12, String password) {
        return start(List.of("--oauth", "basic", "--cert", pkcs12.toString(), "--pwd", password));
    }

    private static AzuriteServer start(List<String> extra) {
        Path script = script();
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("Azurite is not installed at " + script + ": run .ci/run, or\n  npm install"
                    + " --prefix " + home() + " azurite@" + VERSION + "\n(or set BARGE_AZURITE to an azurite-blob script)");
        }
        List<String> command = new ArrayList<>(List.of(script.toString(), "--inMemoryPersistence",
                "--extentMemoryLimit", "1024", "--blobHost", "127.0.0.1", "--blobPort", "0", "--skipApiVersionCheck",
                "--silent", "--disableTelemetry"));
        command.addAll(extra);
        Process process;
        try {
            // its working directory, deleted when the test JVM ends: runs leave nothing in the temporary directory
            Path workspace = TempDirs.create("azurite-");
            process = new ProcessBuilder(command).directory(workspace.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + script, e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        Thread watchdog = daemon("azurite-start-watchdog", () -> {
            try {
                if (!process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    synchronized (seen) {
                        if (seen.indexOf("successfully listens") < 0) {
                            process.destroyForcibly();
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (seen) {
                    seen.append(line).append('\n');
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    int port = Integer.parseInt(m.group(2));
                    daemon("azurite-output", () -> drain(out));
                    watchdog.interrupt();
                    return new AzuriteServer(process, m.group(1), port);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("reading Azurite's output failed", e);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Azurite exited (or did not listen within " + START_TIMEOUT.toSeconds()
                + " s) before listening; its output:\n" + seen);
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // Azurite is silent but for errors; keep its pipe from filling
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    static Path home() {
        String home = System.getenv("BARGE_AZURITE_HOME");
        return home != null && !home.isBlank() ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".cache", "barge", "azurite");
    }

    static Path script() {
        String script = System.getenv("BARGE_AZURITE");
        return script != null && !script.isBlank() ? Path.of(script)
                : home().resolve("node_modules").resolve(".bin").resolve("azurite-blob");
    }

    public int port() {
        return port;
    }

    /** The blob service URL of the development account, as a remote's endpoint. */
    public String endpoint() {
        return scheme + "://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /** An {@code azure} remote on this server with the account key. */
    public RemoteConfig remote(String name) {
        return remote(name, KEY, Map.of());
    }

    /** An {@code azure} remote on this server with the given secret (a key, a SAS token, a connection string). */
    public RemoteConfig remote(String name, String secret, Map<String, String> options) {
        return new RemoteConfig(name, AzureStoreProvider.TYPE, endpoint(), null,
                new Credentials(ACCOUNT, Secret.of(secret), null), false, Duration.ofSeconds(5), Duration.ofSeconds(60),
                16, null, options);
    }

    /** Registers {@code barge.remotes.<name>}: an azure remote on this server with the account key. */
    public void registerRemote(org.springframework.test.context.DynamicPropertyRegistry registry, String name) {
        String at = "barge.remotes." + name + ".";
        registry.add(at + "type", () -> AzureStoreProvider.TYPE);
        registry.add(at + "endpoint", this::endpoint);
        registry.add(at + "access-key-id", () -> ACCOUNT);
        registry.add(at + "secret-access-key", () -> KEY);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
