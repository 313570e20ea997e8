package dev.barge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.cli.BargeCli;
import dev.barge.cli.ContextStarter;
import dev.barge.cli.Launch;
import dev.barge.cli.ServeOptions;
import dev.barge.cli.Session;
import dev.barge.cli.SpringContextStarter;
import dev.barge.cli.Terminal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code barge serve} as the command line starts it: what it refuses to start with (an address beyond
 * this machine with no password, a user configured wrong, a spec that is wrong), each a usage error
 * (exit 2) that says what to set; and a good start that serves until its context closes, then ends 0.
 */
class ServeStartTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    // not a @TempDir: the log file of a start that failed stays open in the logging system after the
    // test, and would make the directory again when JUnit has deleted it; this one goes when the JVM ends
    private final Path dir = dev.barge.test.TempDirs.create("barge-serve-start-");

    record Result(int exitCode, String out, String err) {}

    /** {@code barge serve ARGS} on an in-memory job repository, with the properties {@code extra}. */
    private CompletableFuture<Result> serve(ContextStarter starter, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ofHours(1));
            String[] all = new String[args.length + 2];
            all[0] = "serve";
            System.arraycopy(args, 0, all, 1, args.length);
            all[all.length - 1] = "--db-url=jdbc:h2:mem:serve-start-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
            int code = new BargeCli(starter, terminal).execute(all);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        });
    }

    private SpringContextStarter starter(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("barge.home", dir.resolve("home").toString());
        properties.put("logging.threshold.console", "off");
        properties.put("barge.remotes.prod.type", "local");
        properties.put("barge.remotes.prod.root", dir.toString());
        return new SpringContextStarter(Map.of(), properties);
    }

    private Path jobs(String name, String spec) throws IOException {
        Path jobs = Files.createDirectories(dir.resolve(name));
        if (spec != null) {
            Files.writeString(jobs.resolve("purge.yml"), spec);
        }
        return jobs;
    }

    @Test
    void anAddressBeyondThisMachineWithNoPasswordIsRefusedSayingWhatToSet() throws Exception {
        Result result = serve(starter(Map.of()), "--bind", "0.0.0.0", "--port", "0", "--jobs-dir",
                jobs("none", null).toString()).get(120, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("barge: barge serve: --bind 0.0.0.0 reaches beyond this machine",
                "set BARGE_SERVE_OPERATOR_PASSWORD", "barge.serve.users.<name>.password");
        assertThat(result.out()).doesNotContain("the dashboard is on");
    }

    @Test
    void aUserWithAnUnknownRoleOrNoPasswordIsRefused() throws Exception {
        Result result = serve(starter(Map.of("barge.serve.users.alice.password", "{noop}pw",
                        "barge.serve.users.alice.role", "admin", "barge.serve.users.bob.role", "viewer")),
                "--port", "0", "--jobs-dir", jobs("none", null).toString()).get(120, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("user 'alice' has role 'admin'", "is viewer or operator",
                "user 'bob' has no password: set barge.serve.users.bob.password (BARGE_SERVE_USERS_BOB_PASSWORD)");
    }

    @Test
    void aMalformedSpecIsRefusedAtStartNamingItsFileAndField() throws Exception {
        Path jobs = jobs("bad", """
                name: purge
                cron: "0 0 4 * * SUN"
                job: delete
                parameters:
                  location: prod:scratch/tmp/
                """);

        Result result = serve(starter(Map.of()), "--port", "0", "--jobs-dir", jobs.toString())
                .get(120, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(jobs.resolve("purge.yml") + ": parameters.yes (line 4): a scheduled delete"
                + " has no terminal");
    }

    @Test
    void aGoodStartServesUntilItsContextClosesThenEndsCleanly() throws Exception {
        Files.createDirectories(dir.resolve("scratch"));
        Path jobs = jobs("good", """
                name: purge
                cron: "0 0 4 * * SUN"
                job: delete
                parameters:
                  location: prod:scratch/tmp/
                  yes: true
                """);
        SpringContextStarter real = starter(Map.of("barge.serve.operator-password", "op-pw"));
        CompletableFuture<ConfigurableApplicationContext> started = new CompletableFuture<>();
        ContextStarter capturing = new ContextStarter() {
            @Override
            public Session start(Launch launch) {
                return real.start(launch);
            }

            @Override
            public ConfigurableApplicationContext serve(Launch launch, ServeOptions options) {
                ConfigurableApplicationContext context = real.serve(launch, options);
                started.complete(context);
                return context;
            }
        };

        CompletableFuture<Result> run = serve(capturing, "--port", "0", "--jobs-dir", jobs.toString());
        CompletableFuture.anyOf(started, run).get(120, TimeUnit.SECONDS);
        assertThat(started).as("started, not ended: %s", run.isDone() ? run.get() : "").isDone();
        ConfigurableApplicationContext context = started.get();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        ServeFixture.Response login = ServeFixture.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/login")).GET().build(), HttpClient.newHttpClient());
        assertThat(login.status()).isEqualTo(200);
        assertThat(run).isNotDone();

        context.close();

        Result result = run.get(60, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("barge serve: the dashboard is on http://127.0.0.1:" + port + "/")
                .endsWith("barge serve: stopped\n");
        assertThat(List.of(result.err().split("\n"))).allMatch(String::isBlank);
    }
}
