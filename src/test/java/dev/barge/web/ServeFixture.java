package dev.barge.web;

import dev.barge.cli.BargeCli;
import dev.barge.cli.Launch;
import dev.barge.cli.ServeOptions;
import dev.barge.cli.SpringContextStarter;
import dev.barge.cli.Terminal;
import dev.barge.storage.layer.RateLimitSettings;
import dev.barge.test.TempDirs;
import dev.barge.test.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * One {@code barge serve} for a test class, as the command line starts it
 * ({@link SpringContextStarter#serve}), on a PostgreSQL schema of its own, with a local remote
 * {@code disk} and two users ({@code ops}, an operator, and {@code watcher}, a viewer); and real
 * {@code barge migrate} runs, in-process through {@link BargeCli} with a context of their own, that
 * write the executions it shows.
 */
final class ServeFixture implements AutoCloseable {
    static final String OPERATOR = "ops";
    static final String OPERATOR_PASSWORD = "ops-password-1";
    static final String VIEWER = "watcher";
    static final String VIEWER_PASSWORD = "watcher-password-2";
    /** {@code watcher-password-2}, hashed: a {bcrypt} password as configuration would give it. */
    private static final String VIEWER_BCRYPT = "{bcrypt}"
            + new BCryptPasswordEncoder().encode(VIEWER_PASSWORD);
    /** A key the local driver lists but refuses (longer than 1,024 bytes): a failure with a comma and quotes in it. */
    static final String FAILING_KEY = String.join("/", Collections.nCopies(5, "d".repeat(240))) + "/a,\"b\".bin";

    private final TestPostgres.Schema schema = TestPostgres.freshSchema();
    private final Path dir = TempDirs.create("barge-serve-");
    private final Path data;
    private final Path jobs;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final int port;

    /** @param extra properties beside the fixture's (remotes with secrets, say) */
    ServeFixture(Map<String, String> extra, String jobSpec) throws IOException {
        data = Files.createDirectories(dir.resolve("data"));
        jobs = Files.createDirectories(dir.resolve("jobs"));
        if (jobSpec != null) {
            Files.writeString(jobs.resolve("spec.yml"), jobSpec);
        }
        properties.put("barge.home", dir.resolve("home").toString());
        properties.put("spring.flyway.schemas", schema.name());
        properties.put("logging.threshold.console", "off");
        properties.put("barge.jobs.heartbeat-interval", "200ms");
        // a few connections each: the server and every command's context share one PostgreSQL with other tests
        properties.put("spring.datasource.hikari.maximum-pool-size", "6");
        properties.put("spring.datasource.hikari.minimum-idle", "1");
        properties.put("barge.remotes.disk.type", "local");
        properties.put("barge.remotes.disk.root", data.toString());
        properties.put("barge.remotes.disk.options.sync", "false");
        properties.put("barge.serve.users." + OPERATOR + ".password", "{noop}" + OPERATOR_PASSWORD);
        properties.put("barge.serve.users." + OPERATOR + ".role", "operator");
        properties.put("barge.serve.users." + VIEWER + ".password", VIEWER_BCRYPT);
        properties.put("barge.serve.users." + VIEWER + ".role", "viewer");
        properties.putAll(extra);
        context = new SpringContextStarter(Map.of(), properties)
                .serve(launch(), new ServeOptions(0, "127.0.0.1", jobs));
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The job repository's URL: the schema, as user postgres (trust auth), whatever application.yml says. */
    String dbUrl() {
        return schema.url() + "&user=" + schema.user();
    }

    private Launch launch() {
        return new Launch(Launch.Needs.JOBS, null, dbUrl(), RateLimitSettings.NONE, Set.of());
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** A bucket of remote {@code disk} holding {@code count} small files, and {@link #FAILING_KEY} when asked. */
    String bucket(String name, int count, boolean failing) throws IOException {
        Path bucket = Files.createDirectories(data.resolve(name));
        for (int i = 0; i < count; i++) {
            Files.writeString(bucket.resolve(String.format("f-%03d.txt", i)), "object " + i + " of " + name);
        }
        if (failing) {
            Path file = bucket.resolve(FAILING_KEY);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "too long a key");
        }
        Files.createDirectories(data.resolve(name + "-copy"));
        return name;
    }

    /** Where bucket {@code name} of remote {@code disk} is on disk. */
    Path bucketPath(String name) {
        return data.resolve(name);
    }

    record Run(int exitCode, String out, String err) {}

    /** {@code barge ARGS --db-url ...} in-process, in a context of its own, as the command line runs it. */
    Run barge(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ofHours(1));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--db-url=" + dbUrl());
        int code = new BargeCli(new SpringContextStarter(Map.of(), properties), terminal)
                .execute(all.toArray(String[]::new));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A migration of {@code bucket} to its copy, run to its end; its execution's id. */
    long migrate(String bucket) {
        Run run = barge("migrate", "disk:" + bucket, "disk:" + bucket + "-copy", "--json");
        Matcher id = Pattern.compile("\"jobExecutionId\":(\\d+)").matcher(run.out());
        if (!id.find()) {
            throw new AssertionError("no execution: " + run);
        }
        return Long.parseLong(id.group(1));
    }

    /** A slow migration of {@code bucket} (a few objects a second), going on in the background. */
    CompletableFuture<Run> slowMigration(String bucket) {
        return CompletableFuture.supplyAsync(() -> barge("migrate", "disk:" + bucket, "disk:" + bucket + "-copy",
                "--tps-limit", "4", "--chunk-size", "2", "--concurrency", "1"));
    }

    record Response(int status, String body, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    /** A GET, as {@code user} with HTTP Basic, or anonymous for {@code null}. */
    Response get(String path, String user, String password) {
        return send(request(path, user, password).GET().build(), http);
    }

    /** A POST with no body, as {@code user} with HTTP Basic, or anonymous for {@code null}. */
    Response post(String path, String user, String password) {
        return send(request(path, user, password).POST(HttpRequest.BodyPublishers.noBody()).build(), http);
    }

    Response asOperator(String method, String path) {
        return method.equals("POST") ? post(path, OPERATOR, OPERATOR_PASSWORD) : get(path, OPERATOR, OPERATOR_PASSWORD);
    }

    Response asViewer(String method, String path) {
        return method.equals("POST") ? post(path, VIEWER, VIEWER_PASSWORD) : get(path, VIEWER, VIEWER_PASSWORD);
    }

    HttpRequest.Builder request(String path, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    /** A client with a cookie jar, as a browser keeps its session. */
    static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static Response send(HttpRequest request, HttpClient client) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits, looking every 100 ms, for {@code condition}; fails saying {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            schema.close();
        }
    }
}
