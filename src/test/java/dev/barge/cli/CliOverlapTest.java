package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.batch.MigrationMode;
import dev.barge.job.LocationOverlap;
import dev.barge.job.MigrateJob;
import dev.barge.job.MigrateParameters;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.test.TempDirs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The overlap guard through the command line (issue 10): a source and target that are one place,
 * or where one contains the other, are refused with one line and nothing started, on the local
 * file system and on S3Proxy, where {@code s3a} and {@code s3b} are two remotes on one server
 * that {@link StoreRegistry#sameStore} tells apart (other host spelling and region).
 */
// closed with the class, before the JVM's exit deletes its temporary directories: an H2 database
// still open then writes a trace file into the deleted directory and leaves it behind
@DirtiesContext
@SpringBootTest
class CliOverlapTest {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final S3ProxyServer S3 = S3ProxyServer.inMemoryForTests();
    private static Path files;

    @Autowired
    ApplicationContext context;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MigrateJob migrateJob;

    private Path dir;
    private String bucket;

    @AfterAll
    static void stopS3() throws Exception {
        S3.close();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        files = TempDirs.create("barge-overlap-");
        Path home = Files.createDirectories(files.resolve("home"));
        registry.add("barge.home", home::toString);
        String port = S3.endpoint().substring(S3.endpoint().lastIndexOf(':') + 1);
        Map<String, String[]> remotes = Map.of(
                "s3a", new String[] {S3.endpoint(), "us-east-1"},
                "s3b", new String[] {"http://LOCALHOST:" + port + "/", "eu-west-1"});
        remotes.forEach((name, settings) -> {
            registry.add("barge.remotes." + name + ".type", () -> "s3");
            registry.add("barge.remotes." + name + ".endpoint", () -> settings[0]);
            registry.add("barge.remotes." + name + ".region", () -> settings[1]);
            registry.add("barge.remotes." + name + ".path-style", () -> "true");
            registry.add("barge.remotes." + name + ".access-key-id", () -> S3ProxyServer.ACCESS_KEY);
            registry.add("barge.remotes." + name + ".secret-access-key", () -> S3ProxyServer.SECRET_KEY);
            registry.add("barge.remotes." + name + ".retry.max-attempts", () -> "1");
        });
    }

    record Result(int exitCode, String out, String err) {}

    private Result barge(String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), false, Duration.ofHours(1));
        int code = new BargeCli(launch -> new Session(context, () -> {}), terminal).execute(args);
        return new Result(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void places() throws IOException {
        int n = RUNS.incrementAndGet();
        dir = Files.createDirectories(files.resolve("x" + n));
        bucket = "overlap-" + n;
        stores.store("s3a").createBucket(bucket);
    }

    private long executions() {
        return jdbc.queryForObject("select count(*) from BATCH_JOB_EXECUTION", Long.class);
    }

    private static String uri(Path path) {
        return "file://" + path;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Every file under {@code root} (hidden ones too) and its bytes, as hex. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(f -> {
                try {
                    tree.put(root.relativize(f).toString(), HexFormat.of().formatHex(Files.readAllBytes(f)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return tree;
    }

    /** Every object of the test's bucket and its bytes, as hex. */
    private Map<String, String> objects() {
        ObjectStore store = stores.store("s3a");
        Map<String, String> objects = new TreeMap<>();
        ListRequest request = ListRequest.of(bucket, "");
        while (true) {
            var page = store.list(request);
            for (var object : page.objects()) {
                try (ObjectContent content = store.get(bucket, object.key())) {
                    objects.put(object.key(), HexFormat.of().formatHex(content.body().readAllBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (!page.truncated()) {
                return objects;
            }
            request = request.next(page);
        }
    }

    private void put(String key, String text) {
        stores.store("s3a").put(PutRequest.builder(bucket, key).build(),
                Payload.ofBytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A refusal: exit 2, the one line naming both locations, then "nothing was started", and no execution. */
    private void assertRefused(long executionsBefore, String source, String target, String why, String... args) {
        Result result = barge(args);
        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(ExitCode.USAGE);
        List<String> lines = result.err().lines().toList();
        assertThat(lines).as(result.err()).hasSize(2);
        assertThat(lines.get(0)).startsWith("barge: ").contains("'" + source + "'", "'" + target + "'", why);
        assertThat(lines.get(1)).isEqualTo("barge: nothing was started");
        assertThat(result.out()).isEmpty();
        assertThat(executions()).as("no job execution was created").isEqualTo(executionsBefore);
    }

    @Test
    void aMoveOntoItselfIsRefusedAndDeletesNothing() throws IOException {
        Path d = dir.resolve("d");
        for (int i = 0; i < 3; i++) {
            write(d.resolve("f" + i + ".txt"), "file " + i);
        }
        Map<String, String> before = tree(dir);
        long executions = executions();

        assertRefused(executions, uri(d), uri(d), "are the same location",
                "migrate", uri(d), uri(d), "--mode", "move");
        assertRefused(executions, uri(d), uri(d) + "/", "are the same location",
                "migrate", uri(d), uri(d) + "/", "--mode", "move", "--dry-run");
        assertRefused(executions, uri(d), uri(d), "are the same location", "migrate", uri(d), uri(d));

        assertThat(tree(dir)).isEqualTo(before).hasSize(3);
    }

    @Test
    void aSyncFromAPrefixIntoItsParentIsRefusedAndTheSourceStays() throws IOException {
        Path n = dir.resolve("n");
        for (int i = 0; i < 50; i++) {
            write(n.resolve("a").resolve("f" + i + ".txt"), "a " + i);
        }
        write(n.resolve("other.txt"), "kept");
        Map<String, String> before = tree(dir);
        long executions = executions();

        assertRefused(executions, uri(n.resolve("a")), uri(n), "is inside target",
                "migrate", uri(n.resolve("a")), uri(n), "--mode", "sync", "--delete-extraneous");
        assertRefused(executions, uri(n.resolve("a")), uri(n), "is inside target",
                "migrate", uri(n.resolve("a")), uri(n), "--mode", "sync", "--delete-extraneous", "--exclude", "a/**");

        assertThat(tree(dir)).isEqualTo(before).hasSize(51);
    }

    @Test
    void aCopyIntoASubPrefixOfTheSourceIsRefusedUnlessAnExcludeLeavesItOut() throws IOException {
        Path s = dir.resolve("S");
        write(s.resolve("a.txt"), "alpha");
        write(s.resolve("deep/b.txt"), "beta");
        write(s.resolve("sub/old.txt"), "was here");
        Map<String, String> before = tree(dir);
        long executions = executions();

        for (String mode : List.of("copy", "sync", "move")) {
            assertRefused(executions, uri(s), uri(s.resolve("sub")), "--exclude 'sub/**'",
                    "migrate", uri(s), uri(s.resolve("sub")), "--mode", mode);
        }
        assertRefused(executions, uri(s), uri(s.resolve("sub")), "is inside source",
                "migrate", uri(s), uri(s.resolve("sub")), "--exclude", "sub/*");
        assertRefused(executions, uri(s), uri(s.resolve("sub")), "is inside source",
                "migrate", uri(s), uri(s.resolve("sub")), "--exclude", "*.txt", "--include", "deep/**");
        assertThat(tree(dir)).isEqualTo(before);

        Result allowed = barge("migrate", uri(s), uri(s.resolve("sub")), "--exclude", "sub/**");
        assertThat(allowed.exitCode()).as(allowed.out() + allowed.err()).isZero();
        assertThat(allowed.out()).containsPattern("copied\\s+2 objects");
        Map<String, String> after = tree(s);
        assertThat(after.keySet().stream().filter(k -> !k.startsWith(".barge") && !k.contains("/.barge")))
                .containsExactlyInAnyOrder("a.txt", "deep/b.txt", "sub/old.txt", "sub/a.txt", "sub/deep/b.txt");
        for (String key : List.of("a.txt", "deep/b.txt", "sub/old.txt")) {
            assertThat(after.get(key)).as(key).isEqualTo(before.get("S/" + key));
        }
        assertThat(after.get("sub/a.txt")).isEqualTo(before.get("S/a.txt"));
        assertThat(after.get("sub/deep/b.txt")).isEqualTo(before.get("S/deep/b.txt"));

        Result again = barge("migrate", uri(s), uri(s.resolve("sub")), "--exclude", "sub/**");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).containsPattern("copied\\s+0 objects").doesNotContain("sub/sub");
        assertThat(Files.exists(s.resolve("sub/sub"))).isFalse();
    }

    @Test
    void theJobItselfRefusesOverlappingLocationsForAnyLauncher() throws IOException {
        Path d = dir.resolve("d");
        write(d.resolve("f.txt"), "keep me");
        Map<String, String> before = tree(dir);
        long executions = executions();

        assertThatThrownBy(() -> migrateJob.run(MigrateParameters.builder(uri(d), uri(d)).mode(MigrationMode.MOVE)
                .build()))
                .isInstanceOf(LocationOverlap.Refused.class)
                .hasMessageContaining("source '" + uri(d) + "' and target '" + uri(d) + "' are the same location");
        assertThatThrownBy(() -> migrateJob.run(MigrateParameters.builder(uri(dir), uri(d)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--exclude 'd/**'");

        assertThat(executions()).isEqualTo(executions);
        assertThat(tree(dir)).isEqualTo(before);
    }

    @Test
    void onS3TwoRemotesOnOneServerAreRefusedTooWithOrWithoutDryRun() {
        assertThat(stores.sameStore("s3a", "s3b")).as("not one store for server-side copy").isFalse();
        put("d/f1.txt", "one");
        put("d/f2.txt", "two");
        for (int i = 0; i < 5; i++) {
            put("n/a/f" + i + ".txt", "a" + i);
        }
        put("n/kept.txt", "kept");
        put("S/x.txt", "ex");
        Map<String, String> before = objects();
        long executions = executions();
        String b = bucket;

        for (String[] pair : new String[][] {{"s3a", "s3a"}, {"s3a", "s3b"}}) {
            String from = pair[0];
            String to = pair[1];
            for (String dryRun : List.of("--dry-run", "--concurrency=8")) {
                assertRefused(executions, from + ":" + b + "/d", to + ":" + b + "/d/", "are the same location",
                        "migrate", from + ":" + b + "/d", to + ":" + b + "/d/", "--mode", "move", dryRun);
                assertRefused(executions, from + ":" + b + "/n/a", to + ":" + b + "/n", "is inside target",
                        "migrate", from + ":" + b + "/n/a", to + ":" + b + "/n", "--mode", "sync",
                        "--delete-extraneous", dryRun);
                assertRefused(executions, from + ":" + b, to + ":" + b + "/S/sub", "--exclude 'S/sub/**'",
                        "migrate", from + ":" + b, to + ":" + b + "/S/sub", dryRun);
            }
        }
        assertThat(objects()).isEqualTo(before);

        Result sibling = barge("migrate", "s3a:" + b + "/d", "s3b:" + b + "/d2");
        assertThat(sibling.exitCode()).as(sibling.err()).isZero();
        Result allowed = barge("migrate", "s3a:" + b + "/S", "s3b:" + b + "/S/sub", "--exclude", "sub/**");
        assertThat(allowed.exitCode()).as(allowed.out() + allowed.err()).isZero();
        Map<String, String> after = objects();
        assertThat(after).containsAllEntriesOf(before);
        assertThat(after).containsEntry("S/sub/x.txt", before.get("S/x.txt"))
                .containsEntry("d2/f1.txt", before.get("d/f1.txt")).containsEntry("d2/f2.txt", before.get("d/f2.txt"))
                .hasSize(before.size() + 3);
    }
}
