package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.config.StoresOnly;
import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.qiniu.KodoEmulator;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.test.TempDirs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code barge link}: presigned URLs that work (an HTTP GET of one returns the object, a PUT URL stores
 * one) on S3Proxy ({@code s3t}), GET links to private objects on the OSS and Kodo emulators (Kodo
 * refuses PUT links, with the reason), and a refusal that names the remote and its type on the local driver
 * ({@code disk}), which cannot presign. In the stores-only context, as {@link #barge} checks.
 */
class LinkCommandTest {
    private static final S3ProxyServer S3 = S3ProxyServer.inMemoryForTests();
    private static final OssEmulator OSS = OssEmulator.start("oss-ak", "oss-sk");
    private static final KodoEmulator KODO = KodoEmulator.start("kodo-ak", "kodo-sk");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext context;
    private static StoreRegistry stores;

    @BeforeAll
    static void start() throws IOException {
        Path files = TempDirs.create("barge-link-");
        Files.createDirectories(files.resolve("disk/bucket"));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("barge.home", files.resolve("home").toString());
        properties.put("logging.threshold.console", "off");
        properties.put("barge.remotes.disk.type", "local");
        properties.put("barge.remotes.disk.root", files.resolve("disk").toString());
        properties.put("barge.remotes.s3t.type", "s3");
        properties.put("barge.remotes.s3t.endpoint", S3.endpoint());
        properties.put("barge.remotes.s3t.region", "us-east-1");
        properties.put("barge.remotes.s3t.path-style", "true");
        properties.put("barge.remotes.s3t.access-key-id", S3ProxyServer.ACCESS_KEY);
        properties.put("barge.remotes.s3t.secret-access-key", S3ProxyServer.SECRET_KEY);
        properties.put("barge.remotes.s3t.retry.max-attempts", "1");
        properties.put("barge.remotes.oss.type", "oss");
        properties.put("barge.remotes.oss.endpoint", OSS.endpoint());
        properties.put("barge.remotes.oss.access-key-id", "oss-ak");
        properties.put("barge.remotes.oss.secret-access-key", "oss-sk");
        properties.put("barge.remotes.kodo.type", "qiniu");
        properties.put("barge.remotes.kodo.endpoint", "http://" + KODO.hostAndPort());
        properties.put("barge.remotes.kodo.access-key-id", "kodo-ak");
        properties.put("barge.remotes.kodo.secret-access-key", "kodo-sk");
        context = new SpringApplicationBuilder(StoresOnly.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false).registerShutdownHook(false)
                .properties(properties).run();
        stores = context.getBean(StoreRegistry.class);
        stores.store("s3t").createBucket("links");
    }

    @AfterAll
    static void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        S3.close();
        OSS.close();
        KODO.close();
    }

    record Result(int exitCode, String out, String err) {}

    private static Result barge(String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), false, Duration.ofHours(1),
                new ByteArrayInputStream(new byte[0]));
        List<Launch.Needs> needs = new ArrayList<>();
        int code = new BargeCli(launch -> {
            needs.add(launch.needs());
            return new Session(context, () -> { });
        }, terminal).execute(args);
        assertThat(needs).as("what link asked to start").doesNotContain(Launch.Needs.JOBS);
        return new Result(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aGetLinkDownloadsTheObjectWithoutCredentials() throws Exception {
        stores.store("s3t").put(PutRequest.builder("links", "docs/a.txt").build(),
                Payload.ofBytes("hello link".getBytes(StandardCharsets.UTF_8)));

        Result run = barge("link", "s3t:links/docs/a.txt", "--expires", "15m");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String url = run.out().strip();
        assertThat(url).startsWith(S3.endpoint()).contains("X-Amz-Signature=", "X-Amz-Expires=900")
                .doesNotContain(S3ProxyServer.SECRET_KEY);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello link");
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"oss", "kodo"})
    void aGetLinkOnOssAndKodoReadsAPrivateObjectWithoutCredentials(String remote) throws Exception {
        String bucket = "links-" + remote;
        stores.store(remote).createBucket(bucket);
        if (remote.equals("kodo")) {
            KODO.setBucketPrivate(bucket, true);
            KODO.bindDefaultDomain(bucket);
        }
        stores.store(remote).put(PutRequest.builder(bucket, "docs/shared file.txt").build(),
                Payload.ofBytes(("hello from " + remote).getBytes(StandardCharsets.UTF_8)));

        Result run = barge("link", remote + ":" + bucket + "/docs/shared file.txt", "--expires", "1h");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String url = run.out().strip();
        assertThat(url).doesNotContain(remote + "-sk");
        HttpResponse<String> signed = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(signed.body()).isEqualTo("hello from " + remote);
        HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(url.substring(0, url.indexOf('?'))))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).as("the object is private: without the signature it is refused")
                .isIn(401, 403);
    }

    @Test
    void aPutLinkOnKodoIsRefusedWithTheReason() {
        Result run = barge("link", "kodo:links-kodo/uploads/x.txt", "--put");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Kodo has no presigned upload URLs", "only GET");
    }

    @Test
    void aPutLinkUploadsTheObject() throws Exception {
        Result run = barge("link", "s3t:links/uploads/b.txt", "--put", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("{\"url\":\"").contains("\"method\":\"PUT\"", "\"remote\":\"s3t\"",
                "\"bucket\":\"links\"", "\"key\":\"uploads/b.txt\"", "\"expires\":\"");
        String url = run.out().substring("{\"url\":\"".length(), run.out().indexOf("\",\"method\""));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofString("uploaded by link")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try (ObjectContent content = stores.store("s3t").get("links", "uploads/b.txt")) {
            assertThat(new String(content.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("uploaded by link");
        }
    }

    @Test
    void aStoreThatCannotPresignIsRefusedNamingTheRemoteAndItsType() {
        Result run = barge("link", "disk:bucket/a.txt");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("remote 'disk' (type local) cannot make presigned URLs");
    }

    @Test
    void anExpiryBeyondTheVendorsMaximumOrNotADurationIsRefused() {
        Result tooLong = barge("link", "s3t:links/docs/a.txt", "--expires", "8d");
        assertThat(tooLong.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(tooLong.err()).contains("is too long for remote 's3t' (type s3): its presigned URLs last at most 7"
                + " days; give --expires 7d or less");
        assertThat(barge("link", "s3t:links/docs/a.txt", "--expires", "7d").exitCode()).isZero();

        Result notADuration = barge("link", "s3t:links/docs/a.txt", "--expires", "soon");
        assertThat(notADuration.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(notADuration.err()).contains("'soon' is not an expiry", "15m, 1h or 7d");

        Result zero = barge("link", "s3t:links/docs/a.txt", "--expires", "0s");
        assertThat(zero.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(zero.err()).contains("an expiry must be longer than zero");
    }

    @Test
    void helpHasExamples() {
        Result help = barge("link", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--expires", "--put", "--json", "Examples:", "barge link prod:photos/2024/a.jpg");
    }
}
