package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.job.Preflight;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.layer.ObjectStoreLayer;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.test.TempDirs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every command in-process, through picocli with captured output, against one Spring context
 * with two local remotes ({@code src}, {@code dst}), an S3Proxy remote ({@code s3t}), the same
 * S3Proxy with a wrong secret ({@code s3bad}) and a Qiniu remote without credentials.
 */
// closed with the class, before the JVM's exit deletes its temporary directories: an H2 database
// still open then writes a trace file into the deleted directory and leaves it behind
@DirtiesContext
@SpringBootTest(properties = "barge.jobs.heartbeat-interval=200ms")
@Import(CliTest.Faults.class)
class CliTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final S3ProxyServer S3 = S3ProxyServer.inMemoryForTests();
    private static Path files;

    @Autowired
    ApplicationContext context;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Faults faults;

    private String in;
    private String out;

    /** Fails objects whose key contains "poison" (denied), and the job's listings of a bucket when armed. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Faults {
        final AtomicBoolean failListings = new AtomicBoolean();

        @Bean
        StoreRegistry.StoreDecorator cliTestFaults() {
            return (RemoteConfig remote, ObjectStore store) -> new ObjectStoreLayer(store) {
                @Override
                protected <T> T invoke(Call call, Supplier<T> action) {
                    if (call.key() != null && call.key().contains("poison") && call.operation() == Operation.GET) {
                        throw StorageException.builder(ErrorKind.ACCESS_DENIED, call.operation()).bucket(call.bucket())
                                .key(call.key()).detail("denied by the test").build();
                    }
                    return action.get();
                }

                @Override
                public ListPage list(ListRequest request) {
                    // page size 1 is the preflight's listing: only the job's fail
                    if (failListings.get() && request.pageSize() > 1 && remote.name().equals("src")) {
                        throw StorageException.builder(ErrorKind.PERMANENT, Operation.LIST).bucket(request.bucket())
                                .detail("listing broken by the test").build();
                    }
                    return super.list(request);
                }
            };
        }
    }

    @AfterAll
    static void stopS3() throws Exception {
        S3.close();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        files = TempDirs.create("barge-cli-");
        Path home = Files.createDirectories(files.resolve("home"));
        registry.add("barge.home", home::toString);
        for (String remote : List.of("src", "dst")) {
            Path dir = Files.createDirectories(files.resolve(remote));
            registry.add("barge.remotes." + remote + ".type", () -> "local");
            registry.add("barge.remotes." + remote + ".root", dir::toString);
            registry.add("barge.remotes." + remote + ".options.sync", () -> "false");
        }
        for (String[] s3 : new String[][] {{"s3t", S3ProxyServer.SECRET_KEY}, {"s3bad", "not-the-secret"}}) {
            String name = s3[0];
            registry.add("barge.remotes." + name + ".type", () -> "s3");
            registry.add("barge.remotes." + name + ".endpoint", S3::endpoint);
            registry.add("barge.remotes." + name + ".region", () -> "us-east-1");
            registry.add("barge.remotes." + name + ".path-style", () -> "true");
            registry.add("barge.remotes." + name + ".access-key-id", () -> S3ProxyServer.ACCESS_KEY);
            registry.add("barge.remotes." + name + ".secret-access-key", () -> s3[1]);
            registry.add("barge.remotes." + name + ".retry.max-attempts", () -> "1");
        }
        registry.add("barge.remotes.kodo.type", () -> "qiniu");
        registry.add("barge.remotes.kodo.region", () -> "z0");
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
    void buckets() {
        int n = BUCKETS.incrementAndGet();
        in = "in" + n;
        out = "out" + n;
        stores.store("src").createBucket(in);
        stores.store("dst").createBucket(out);
        faults.failListings.set(false);
    }

    private void put(String remote, String bucket, String key, String text) {
        stores.store(remote).put(PutRequest.builder(bucket, key).build(),
                Payload.ofBytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    private String read(String remote, String bucket, String key) throws IOException {
        try (ObjectContent content = stores.store(remote).get(bucket, key)) {
            return new String(content.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private long executions() {
        return jdbc.queryForObject("select count(*) from BATCH_JOB_EXECUTION", Long.class);
    }

    private static long executionId(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("execution (\\d+)").matcher(text);
        assertThat(m.find()).as("an execution id in: %s", text).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void migratesBetweenLocalRemotesThenFindsEverythingIdentical() throws IOException {
        put("src", in, "photos/a.txt", "alpha");
        put("src", in, "photos/deep/b.txt", "beta");
        put("src", in, "other/c.txt", "gamma");

        Result first = barge("migrate", "src:" + in + "/photos", "dst:" + out + "/copy");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("Completed execution").containsPattern("copied\\s+2 objects");
        assertThat(read("dst", out, "copy/a.txt")).isEqualTo("alpha");
        assertThat(read("dst", out, "copy/deep/b.txt")).isEqualTo("beta");

        Result again = barge("migrate", "src:" + in + "/photos", "dst:" + out + "/copy", "--json");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out().strip()).startsWith("{").endsWith("}")
                .contains("\"status\":\"COMPLETED\"", "\"exitCode\":0", "\"objectsCopied\":0", "\"bytesCopied\":0",
                        "\"objectsSkipped\":2", "\"objectsFailed\":0", "\"objectsDeleted\":0", "\"elapsedSeconds\":")
                .containsPattern("\"jobExecutionId\":\\d+");
        assertThat(again.out().lines()).hasSize(1);
    }

    @Test
    void filtersDryRunAndSyncWithDeleteExtraneous() throws IOException {
        put("src", in, "a.jpg", "jpg");
        put("src", in, "b.txt", "txt");
        put("dst", out, "stale.jpg", "old");

        Result dry = barge("migrate", "src:" + in, "dst:" + out, "--mode", "sync", "--delete-extraneous",
                "--include", "*.jpg", "--dry-run", "--json");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("\"dryRun\":true", "\"objectsCopied\":1", "\"objectsDeleted\":1");
        assertThat(read("dst", out, "stale.jpg")).isEqualTo("old");

        Result sync = barge("migrate", "src:" + in, "dst:" + out, "--mode", "SYNC", "--delete-extraneous",
                "--include", "*.jpg", "--size-only", "--concurrency", "2", "--chunk-size", "1", "--tps-limit", "1000",
                "--bwlimit", "100MB");
        assertThat(sync.exitCode()).as(sync.err()).isZero();
        assertThat(sync.out()).containsPattern("copied\\s+1 object\\s").containsPattern("filtered out\\s+1 object\\R")
                .containsPattern("deleted\\s+1 object\\R");
        assertThat(read("dst", out, "a.jpg")).isEqualTo("jpg");
        assertThat(Files.exists(files.resolve("dst").resolve(out).resolve("stale.jpg"))).isFalse();
        assertThat(Files.exists(files.resolve("dst").resolve(out).resolve("b.txt"))).isFalse();
    }

    @Test
    void jobsListAndShowDescribeEachExecutionInWords() {
        put("src", in, "a.jpg", "jpg");

        Result run = barge("migrate", "src:" + in, "dst:" + out, "--mode", "sync", "--delete-extraneous",
                "--include", "*.jpg", "--exclude", "tmp/*", "--min-size", "1MiB", "--max-age", "90d");
        assertThat(run.exitCode()).as(run.err()).isZero();
        long id = executionId(run.out());
        String words = "migrate sync src:" + in + " -> dst:" + out
                + " (--delete-extraneous, include '*.jpg', exclude 'tmp/*', min-size 1 MiB, max-age 90d)";

        Result list = barge("jobs", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).containsPattern("(?m)^\\s*" + id + "\\s.*\\Q" + words + "\\E$");
        Result show = barge("jobs", "show", Long.toString(id));
        assertThat(show.out()).contains("execution " + id + ": " + words);
    }

    @Test
    void objectsThatFailAreSkippedWithExitCode3AndListedAsFailures() {
        put("src", in, "good.txt", "fine");
        put("src", in, "poison.txt", "bad");

        Result run = barge("migrate", "src:" + in, "dst:" + out);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.COMPLETED_WITH_SKIPS);
        long id = executionId(run.out());
        assertThat(run.out()).contains("1 object failed and was skipped", "barge jobs failures " + id);

        Result failures = barge("jobs", "failures", Long.toString(id), "--csv");
        assertThat(failures.exitCode()).isZero();
        assertThat(failures.out().lines().toList()).hasSize(2);
        assertThat(failures.out().lines().findFirst().orElseThrow()).startsWith("key,size,kind");
        assertThat(failures.out()).contains("poison.txt,3,ACCESS_DENIED");

        Result text = barge("jobs", "failures", Long.toString(id));
        assertThat(text.out()).contains("poison.txt", "ACCESS_DENIED", "denied by the test");

        Result show = barge("jobs", "show", Long.toString(id));
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("execution " + id + ": migrate copy src:" + in, "COMPLETED_WITH_SKIPS",
                "failures:  1", "poison.txt").containsPattern("copied\\s+1");

        Result list = barge("jobs", "list", "--status", "completed");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).containsPattern("(?m)^\\s*" + id + "\\s+COMPLETED\\s+COMPLETED_WITH_SKIPS");
        assertThat(barge("jobs", "list", "--status", "FAILED").out()).doesNotContainPattern("(?m)^\\s*" + id + "\\s");

        Result abandon = barge("jobs", "abandon", Long.toString(id));
        assertThat(abandon.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(abandon.err()).contains("execution " + id + " is COMPLETED");
        Result stop = barge("jobs", "stop", Long.toString(id));
        assertThat(stop.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(stop.err()).contains("execution " + id + " is not running (COMPLETED)");
        Result restart = barge("jobs", "restart", Long.toString(id));
        assertThat(restart.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(restart.err()).contains("nothing to restart");
    }

    @Test
    void aFailedMigrationExitsWith1AndJobsRestartFinishesIt() throws IOException {
        put("src", in, "x.txt", "ex");
        faults.failListings.set(true);

        Result failed = barge("migrate", "src:" + in, "dst:" + out);

        assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(ExitCode.FAILED);
        long id = executionId(failed.out());
        assertThat(failed.out()).contains("Failed execution " + id, "listing broken by the test",
                "run the same command again to resume");

        faults.failListings.set(false);
        Result restart = barge("jobs", "restart", Long.toString(id), "--json");
        assertThat(restart.exitCode()).as(restart.out() + restart.err()).isZero();
        assertThat(restart.out()).contains("\"objectsCopied\":1", "\"resumedExecutionId\":" + id);
        assertThat(restart.err()).as("not shown under --json").doesNotContain("resumes");
        assertThat(read("dst", out, "x.txt")).isEqualTo("ex");

        Result again = barge("jobs", "restart", Long.toString(id));
        assertThat(again.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(again.err()).contains("already restarted as execution");

        Result abandon = barge("jobs", "abandon", Long.toString(id));
        assertThat(abandon.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(abandon.out()).contains("execution " + id + " abandoned");
    }

    @Test
    void migratesToS3ThenLsCatAndStatReadItBack() {
        stores.store("s3t").createBucket("cli-" + in);
        put("src", in, "docs/readme.md", "# hello");
        put("src", in, "docs/img/logo.svg", "<svg/>");

        Result run = barge("migrate", "src:" + in, "s3t:cli-" + in + "/backup");
        assertThat(run.exitCode()).as(run.err()).isZero();

        Result flat = barge("ls", "s3t:cli-" + in + "/backup/docs");
        assertThat(flat.exitCode()).isZero();
        assertThat(flat.out().lines().toList()).containsExactly("img/", "readme.md");

        Result deep = barge("ls", "-R", "--long", "s3t:cli-" + in + "/backup");
        assertThat(deep.out().lines().toList()).hasSize(2);
        assertThat(deep.out()).containsPattern("\\s7\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+STANDARD\\s+\\S+\\s+docs/readme.md");

        Result cat = barge("cat", "s3t:cli-" + in + "/backup/docs/readme.md");
        assertThat(cat.exitCode()).isZero();
        assertThat(cat.out()).isEqualTo("# hello");

        Result stat = barge("stat", "s3t:cli-" + in + "/backup/docs/img/logo.svg");
        assertThat(stat.exitCode()).isZero();
        assertThat(stat.out()).contains("Key            backup/docs/img/logo.svg", "Size           6 B");

        Result buckets = barge("ls", "s3t:");
        assertThat(buckets.out().lines().toList()).contains("cli-" + in);

        Result missing = barge("cat", "s3t:cli-" + in + "/backup/nothing-here");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(missing.err()).contains("NOT_FOUND");
        assertThat(barge("stat", "s3t:cli-" + in + "/backup/").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void preflightRefusesEachBadLocationWithOneLineAndStartsNothing() throws IOException {
        put("src", in, "a.txt", "a");
        put("dst", out, "afile", "I am a file");
        long before = executions();

        Result unknown = barge("migrate", "nosuch:bkt/x", "dst:" + out);
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("source 'nosuch:bkt/x': unknown remote 'nosuch'", "nothing was started");

        Result malformed = barge("migrate", "ftp://host/x", "dst:" + out);
        assertThat(malformed.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(malformed.err()).contains("'ftp://host/x' is not a valid location", "'ftp://' is not a scheme");

        Result noBucket = barge("migrate", "src:no-such-bucket/x", "dst:" + out);
        assertThat(noBucket.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noBucket.err()).contains("bucket 'no-such-bucket' does not exist on remote 'src'");

        Result bucketless = barge("migrate", "src:", "dst:" + out);
        assertThat(bucketless.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bucketless.err()).contains("source 'src:' names no bucket");

        Result credentials = barge("migrate", "src:" + in, "s3bad:whatever");
        assertThat(credentials.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(credentials.err()).contains("target 's3bad:whatever': remote 's3bad' rejects its credentials");

        Result noCredentials = barge("migrate", "kodo:media", "dst:" + out);
        assertThat(noCredentials.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noCredentials.err()).contains("remote 'kodo' has no credentials");

        Result fileAsDirectory = barge("migrate", "src:" + in, "dst:" + out + "/afile");
        assertThat(fileAsDirectory.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(fileAsDirectory.err()).contains("target 'dst:" + out + "/afile' is a single object, not a prefix");

        Result underAFile = barge("migrate", "src:" + in, "dst:" + out + "/afile/sub");
        assertThat(underAFile.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(underAFile.err()).contains("target 'dst:" + out + "/afile/sub': cannot write to bucket '" + out
                + "' on remote 'dst'", "'afile' is an object, so no key can continue it");

        Path notADirectory = Files.writeString(files.resolve("plain-file"), "x");
        Result uriFile = barge("migrate", "src:" + in, "file://" + notADirectory);
        assertThat(uriFile.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(uriFile.err()).contains("is a single object, not a prefix");

        assertThat(executions()).as("no job execution was created").isEqualTo(before);
        try (var walk = Files.walk(files.resolve("dst").resolve(out))) {
            assertThat(walk.map(p -> p.getFileName().toString()))
                    .as("no preflight marker is left behind").contains("afile")
                    .noneMatch(n -> n.startsWith(Preflight.MARKER));
        }
    }

    @Test
    void conflictingAndMalformedFlagsAreUsageErrors() {
        Result both = barge("migrate", "src:" + in, "dst:" + out, "--checksum", "--size-only");
        assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).contains("--checksum, --size-only are mutually exclusive", "barge migrate --help");

        Result deleteWithoutSync = barge("migrate", "src:" + in, "dst:" + out, "--delete-extraneous");
        assertThat(deleteWithoutSync.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(deleteWithoutSync.err()).contains("--delete-extraneous needs --mode sync");

        Result stats = barge("migrate", "src:" + in, "dst:" + out, "--stats", "0s");
        assertThat(stats.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(stats.err()).contains("--stats", "an interval must be longer than zero");

        Result mode = barge("migrate", "src:" + in, "dst:" + out, "--mode", "teleport");
        assertThat(mode.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(mode.err()).contains("--mode", "teleport");

        Result size = barge("migrate", "src:" + in, "dst:" + out, "--min-size", "lots");
        assertThat(size.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(size.err()).contains("--min-size");

        Result sizes = barge("migrate", "src:" + in, "dst:" + out, "--min-size", "2MB", "--max-size", "1MB");
        assertThat(sizes.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(sizes.err()).contains("is above max size");

        Result missing = barge("migrate", "src:" + in);
        assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("Missing required parameter: 'DST'");

        Result unknownCommand = barge("teleport");
        assertThat(unknownCommand.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknownCommand.err()).contains("Unmatched argument");

        Result nothing = barge();
        assertThat(nothing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(nothing.err()).contains("Usage: barge");
    }

    @ParameterizedTest
    @ValueSource(strings = {"show", "restart", "stop", "abandon", "failures"})
    void anUnknownJobIdIsAUsageError(String subcommand) {
        Result result = barge("jobs", subcommand, "987654");
        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("there is no job execution 987654; see 'barge jobs list'");

        Result notANumber = barge("jobs", subcommand, "abc");
        assertThat(notANumber.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(notANumber.err()).contains("'abc'");
    }

    @Test
    void remotesAreListedWithCredentialsMasked() {
        Result remotes = barge("remotes");
        assertThat(remotes.exitCode()).isZero();
        assertThat(remotes.out()).contains("NAME", "src", "dst", "s3t", "s3bad", "kodo", S3.endpoint(),
                "******", "barg****").doesNotContain(S3ProxyServer.SECRET_KEY, "not-the-secret",
                S3ProxyServer.ACCESS_KEY);
        assertThat(remotes.out().lines().skip(1).map(l -> l.split(" ")[0]).toList())
                .as("sorted by name").containsExactly("dst", "kodo", "s3bad", "s3t", "src");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "migrate", "ls", "cat", "stat", "jobs", "jobs list", "jobs show", "jobs restart",
            "jobs stop", "jobs abandon", "jobs failures", "remotes"})
    void everyCommandHasHelpWithExamples(String command) {
        String[] args = (command + " --help").strip().split(" ");
        Result help = barge(args);
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: barge" + (command.isEmpty() ? "" : " " + command), "Examples:",
                "  barge ");
    }

    @Test
    void versionNamesTheProjectVersion() {
        Result version = barge("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("barge 0.").doesNotContain("unknown", "@project.version@");
    }

    @Test
    void badOptionValuesNameTheOptionAndTheValidFormsWithoutJavaExceptionText() {
        Result size = barge("migrate", "src:" + in, "dst:" + out, "--min-size", "abc");
        assertThat(size.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(size.err()).contains("--min-size", "'abc' is not a size", "10MB", "1GiB");

        Result age = barge("migrate", "src:" + in, "dst:" + out, "--max-age", "3x");
        assertThat(age.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(age.err()).contains("--max-age", "'3x' is not an age", "90d", "12h", "30m");

        Result concurrency = barge("migrate", "src:" + in, "dst:" + out, "--concurrency", "0");
        assertThat(concurrency.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(concurrency.err()).contains("--concurrency must be a whole number from 1 to "
                + MigrateCommand.MAX_CONCURRENCY);

        for (Result r : List.of(size, age, concurrency)) {
            assertThat(r.err()).doesNotContain("java.", "Exception", "DataSize", "Duration");
        }

        Result gib = barge("migrate", "src:" + in, "dst:" + out, "--min-size", "1GiB", "--dry-run", "--json");
        assertThat(gib.exitCode()).as(gib.err()).isZero();
    }

    @Test
    void aHugeConcurrencyIsCappedWithAWarning() {
        put("src", in, "a.txt", "a");
        Result run = barge("migrate", "src:" + in, "dst:" + out, "--concurrency", "100000");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("--concurrency 100000 is above the maximum of " + MigrateCommand.MAX_CONCURRENCY
                + "; copying " + MigrateCommand.MAX_CONCURRENCY + " objects at once");
        long id = executionId(run.out());
        assertThat(barge("jobs", "show", Long.toString(id)).out()).contains(
                "concurrency = " + MigrateCommand.MAX_CONCURRENCY);
    }

    @Test
    void withJsonUsageAndPreflightErrorsAreAJsonObjectOnStdoutWithTheSameExitCodes() {
        Result usage = barge("migrate", "src:" + in, "dst:" + out, "--min-size", "abc", "--json");
        assertThat(usage.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(usage.out().strip()).startsWith("{").endsWith("}")
                .contains("\"status\":\"USAGE_ERROR\"", "\"exitCode\":2", "'abc' is not a size");
        assertThat(usage.out().lines()).hasSize(1);

        Result preflight = barge("migrate", "src:no-such-bucket", "dst:" + out, "--json");
        assertThat(preflight.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(preflight.out().strip()).startsWith("{").endsWith("}")
                .contains("\"status\":\"NOT_STARTED\"", "\"exitCode\":2", "\"problems\":[\"source 'src:no-such-bucket':"
                        + " bucket 'no-such-bucket' does not exist on remote 'src'");

        Result failed = barge("jobs", "restart", "987654", "--json");
        assertThat(failed.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(failed.out()).contains("\"exitCode\":2", "there is no job execution 987654");
    }

    @Test
    void aDryRunShowsNoTransferRateAndCountsReadAsWords() {
        put("src", in, "one.txt", "1");
        Result dry = barge("migrate", "src:" + in, "dst:" + out, "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).containsPattern("copied\\s+1 object\\s").doesNotContain("/s)", "/s\n");
        Result json = barge("migrate", "src:" + in, "dst:" + out, "--dry-run", "--json");
        assertThat(json.out()).doesNotContain("bytesPerSecond");

        Result real = barge("migrate", "src:" + in, "dst:" + out);
        assertThat(real.out()).containsPattern("copied\\s+1 object\\s+1 B\\s+\\(.+/s\\)")
                .containsPattern("skipped, identical\\s+0 objects");
    }

    @Test
    void everyHelpTextIsMadeOfWholeSentences() {
        for (String command : List.of("", "migrate", "ls", "cat", "stat", "jobs", "jobs list", "jobs show",
                "jobs restart", "jobs stop", "jobs abandon", "jobs failures", "remotes")) {
            picocli.CommandLine.Model.CommandSpec spec = new BargeCli(launch -> {
                throw new AssertionError("not started");
            }, new Terminal(System.out, System.err, false, Duration.ofHours(1))).commandLine().getCommandSpec();
            for (String name : command.isEmpty() ? new String[0] : command.split(" ")) {
                spec = spec.subcommands().get(name).getCommandSpec();
            }
            // a command list shows each subcommand's first line: every line must be a whole sentence
            for (String description : spec.usageMessage().description()) {
                assertThat(description.strip()).as("barge %s: %s", command, description).endsWith(".");
            }
            for (picocli.CommandLine.Model.ArgSpec arg : spec.args()) {
                String text = String.join(" ", arg.description()).strip();
                assertThat(text).as("barge %s, %s", command, arg).endsWith(".");
            }
        }
    }
}
