package dev.barge.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.barge.BargeApplication;
import dev.barge.test.TempDirs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An {@code azure} remote with no key, SAS token or connection string signs in with Microsoft Entra ID
 * (DefaultAzureCredential), checked end to end with no mock of the SDK: {@code barge} runs as a child
 * JVM, as a user runs it, with the environment the SDK's credential chain reads (the chain takes the
 * process environment, which a JVM cannot change for itself).
 *
 * <p>The service is Azurite over https with OAuth ({@code --oauth basic}: it checks a bearer token's
 * issuer, audience and lifetime, not its signature), on a self-signed certificate made here with
 * keytool and trusted by the child through {@code javax.net.ssl.trustStore}. The identity is the
 * App Service flavour of managed identity ({@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER}): a
 * token endpoint on 127.0.0.1 that this test runs, which hands out a JWT Azurite accepts.
 *
 * <p>The chain's other managed identity source, IMDS, is sent to a port on 127.0.0.1 where connects
 * hang ({@code AZURE_POD_IDENTITY_AUTHORITY_HOST}) in every run: never to 169.254.169.254, and the
 * run without an identity shows that a chain finding nothing fails within seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class AzureEntraIdTest {
    private static final String STORE_PASSWORD = "barge-test";
    /** What App Service gives a process to prove to its token endpoint that it runs there. */
    private static final String IDENTITY_HEADER = "identity-header-" + Long.toHexString(System.nanoTime());

    private Path dir;
    private Path truststore;
    private AzuriteServer azurite;
    private HttpServer tokens;
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private String token;
    private Blackhole imds;

    @BeforeAll
    void start() throws Exception {
        dir = TempDirs.create("azure-entra-");
        truststore = dir.resolve("azurite.p12");
        keytool("-genkeypair", "-alias", "azurite", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        azurite = AzuriteServer.startHttpsWithOAuth(truststore, STORE_PASSWORD);
        token = jwt("https://storage.azure.com");
        tokens = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tokens.createContext("/msi/token", exchange -> token(exchange, token));
        tokens.createContext("/msi/other-audience", exchange -> token(exchange, jwt("https://management.azure.com")));
        tokens.start();
        imds = new Blackhole();
    }

    @AfterAll
    void stop() throws IOException {
        if (tokens != null) {
            tokens.stop(0);
        }
        if (imds != null) {
            imds.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void withoutAKeyTheRemoteSignsInWithItsManagedIdentity() throws Exception {
        Map<String, String> identity = Map.of(
                "IDENTITY_ENDPOINT", "http://127.0.0.1:" + tokens.getAddress().getPort() + "/msi/token",
                "IDENTITY_HEADER", IDENTITY_HEADER,
                // Azurite's gap: it checks user delegation SAS of versions up to 2025-11-05 only (the SDK's
                // 2026-06-06 signs two more fields); the SDK's own setting makes it sign that version
                "AZURE_STORAGE_SAS_SERVICE_VERSION", "2025-11-05");
        Path file = Files.writeString(dir.resolve("hello.txt"), "hello from a managed identity");
        List<Run> runs = new ArrayList<>();
        tokenRequests.clear(); // this test's own

        runs.add(barge(identity, "mb", "azid:photos").succeeds());
        runs.add(barge(identity, "cp", file.toString(), "azid:photos/a/hello.txt").succeeds());
        Run cat = barge(identity, "cat", "azid:photos/a/hello.txt").succeeds();
        runs.add(cat);
        assertThat(cat.out()).isEqualTo("hello from a managed identity");
        // a copy within the account: Copy Blob, its source read with the same bearer token
        runs.add(barge(identity, "cp", "azid:photos/a/hello.txt", "azid:photos/b/copy.txt").succeeds());
        Run ls = barge(identity, "ls", "-R", "azid:photos").succeeds();
        runs.add(ls);
        assertThat(ls.out()).contains("a/hello.txt", "b/copy.txt");
        Run copied = barge(identity, "cat", "azid:photos/b/copy.txt").succeeds();
        assertThat(copied.out()).isEqualTo("hello from a managed identity");
        runs.add(copied);
        // a user delegation SAS: signed with a key the identity got from the service, read with no credentials
        Run link = barge(identity, "link", "azid:photos/a/hello.txt", "--expires", "10m").succeeds();
        runs.add(link);
        URI url = URI.create(link.out().strip());
        assertThat(url.getQuery()).contains("skoid=", "sig=");
        HttpResponse<String> download = HttpClient.newBuilder().sslContext(trusting(truststore)).build()
                .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(download.statusCode()).as(download.body()).isEqualTo(200);
        assertThat(download.body()).isEqualTo("hello from a managed identity");

        // every run asked the identity endpoint for a storage token, as App Service expects to be asked
        assertThat(tokenRequests).hasSizeGreaterThanOrEqualTo(runs.size())
                .allSatisfy(request -> assertThat(request).contains("resource=https://storage.azure.com")
                        .contains("header=ok"));
        for (Run run : runs) {
            assertThat(run.out() + run.err()).doesNotContain(token).doesNotContain(IDENTITY_HEADER);
        }
    }

    @Test
    void withoutAKeyOrAnIdentityTheRemoteIsRefusedWithinSecondsSayingWhatToSet() throws Exception {
        Instant start = Instant.now();
        Run run = barge(Map.of(), "ls", "azid:photos");
        Duration took = Duration.between(start, Instant.now());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("remote 'azid' has no account key, SAS token or connection string",
                "Microsoft Entra ID sign-in (DefaultAzureCredential) found no identity",
                "ManagedIdentityCredential", "access-key-id", "secret-access-key", "AZURE_CLIENT_ID",
                "managed identity", "az login");
        assertThat(run.err()).doesNotContain("\tat ", "Exception");
        // a child JVM's start included; the IMDS probe gives up after 1 s, the chain's tools are not installed
        assertThat(took).as("the refusal came after %s", took).isLessThan(Duration.ofSeconds(30));

        // a migration's preflight passes the driver's explanation on, before any job starts
        Run migrate = barge(Map.of(), "migrate", "azid:photos", dir.resolve("out").toUri().toString());
        assertThat(migrate.exitCode()).as(migrate.err()).isEqualTo(2);
        assertThat(migrate.err()).contains("remote 'azid' has no account key, SAS token or connection string",
                "found no identity", "nothing was started");
    }

    /** A token the service refuses (here: for another audience) is rejected credentials, as a wrong key is. */
    @Test
    void aTokenTheServiceRefusesIsReportedAsRejectedCredentials() throws Exception {
        Map<String, String> identity = Map.of(
                "IDENTITY_ENDPOINT", "http://127.0.0.1:" + tokens.getAddress().getPort() + "/msi/other-audience",
                "IDENTITY_HEADER", IDENTITY_HEADER);

        Run ls = barge(identity, "ls", "azid:photos");
        assertThat(ls.exitCode()).as(ls.err()).isEqualTo(2);
        assertThat(ls.err()).contains("remote 'azid' rejects its credentials", "AuthenticationFailed",
                "signs in with Microsoft Entra ID");
        Run migrate = barge(identity, "migrate", "azid:photos", dir.resolve("out").toUri().toString());
        assertThat(migrate.exitCode()).as(migrate.err()).isEqualTo(2);
        assertThat(migrate.err()).contains("remote 'azid' rejects the credentials its azure default chain found",
                "AuthenticationFailed", "nothing was started");
    }

    @Test
    void aPlainHttpEndpointWithoutAKeyIsRefusedBeforeAnyRequest() throws Exception {
        Run run = barge(Map.of("BARGE_REMOTE_AZID_ENDPOINT", "http://127.0.0.1:9/devstoreaccount1"),
                "ls", "azid:photos");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("remote 'azid'", "plain http", "https endpoint", "secret-access-key");
    }

    // ---- the child barge ------------------------------------------------------------------------

    record Run(int exitCode, String out, String err) {
        Run succeeds() {
            assertThat(exitCode).as("exit code; stderr: %s", err).isZero();
            return this;
        }
    }

    /**
     * {@code barge args...} in a child JVM with the test's classpath, the remote {@code azid} (Azurite's
     * https endpoint, no credentials), and none of this machine's Azure variables or sign-ins, plus
     * {@code environment}.
     */
    private Run barge(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Path out = TempDirs.file("barge-out-", ".txt");
        Path err = TempDirs.file("barge-err-", ".txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", // as bin/barge runs it: a short run starts faster
                "-Djavax.net.ssl.trustStore=" + truststore, "-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                BargeApplication.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AZURE_") || name.startsWith("IDENTITY_")
                || name.startsWith("MSI_") || name.startsWith("IMDS_") || name.startsWith("BARGE_")
                || name.equals("AWS_CA_BUNDLE"));
        // no sign-in of the developer's (az login, IntelliJ) is found under a home of the test's own
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        env.put("BARGE_HOME", dir.resolve("barge-home").toString());
        env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:" + imds.port());
        env.put("BARGE_REMOTE_AZID_TYPE", "azure");
        env.put("BARGE_REMOTE_AZID_ENDPOINT", azurite.endpoint());
        env.putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("barge ended within 2 minutes").isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    // ---- the identity -----------------------------------------------------------------------------

    /** App Service's token endpoint: GET ?resource=...&api-version=2019-08-01 with X-IDENTITY-HEADER. */
    private void token(HttpExchange exchange, String token) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER");
        boolean ok = IDENTITY_HEADER.equals(header);
        tokenRequests.add(exchange.getRequestURI().getQuery() + " header=" + (ok ? "ok" : "wrong"));
        long expires = Instant.now().plusSeconds(3600).getEpochSecond();
        String body = ok
                ? "{\"access_token\":\"" + token + "\",\"expires_on\":\"" + expires + "\",\"resource\":"
                        + "\"https://storage.azure.com\",\"token_type\":\"Bearer\",\"client_id\":\"barge-test\"}"
                : "{\"statusCode\":400,\"message\":\"wrong X-IDENTITY-HEADER\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(ok ? 200 : 400, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** A token as Entra ID issues them for storage, unsigned: Azurite's basic OAuth reads only its claims. */
    private static String jwt(String audience) {
        long now = Instant.now().getEpochSecond();
        String claims = "{\"aud\":\"" + audience + "\",\"iss\":\"https://sts.windows.net/"
                + "00000000-0000-0000-0000-000000000001/\",\"iat\":" + (now - 60) + ",\"nbf\":" + (now - 60)
                + ",\"exp\":" + (now + 3600) + ",\"oid\":\"00000000-0000-0000-0000-000000000002\","
                + "\"tid\":\"00000000-0000-0000-0000-000000000001\",\"ver\":\"1.0\"}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("not-a-signature".getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trusting(Path pkcs12) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(pkcs12)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool ended").isTrue();
        assertThat(process.exitValue()).as("keytool: %s", output).isZero();
    }

    /** A port on 127.0.0.1 whose accept queue is full: connects to it hang until their timeout. */
    private static final class Blackhole implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> fillers = new ArrayList<>();

        Blackhole() throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            for (int i = 0; i < 64; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(address, 200);
                    fillers.add(socket);
                } catch (SocketTimeoutException full) {
                    socket.close();
                    return;
                }
            }
            throw new IllegalStateException("the accept queue of port " + port() + " never filled up");
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : fillers) {
                socket.close();
            }
            server.close();
        }
    }
}
