package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.barge.config.StoresOnly;
import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.qiniu.KodoEmulator;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.azure.AzuriteServer;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.test.Blackhole;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The bad-input catalogue: one row per way a user can get the input wrong, each with the command line
 * (and what it needs on disk, in a store or in the environment), the exit code it must end with and the
 * fragments of its message that say what was wrong, which object or setting, and what to do. Every row
 * runs the real command line in-process, a Spring context started per command through
 * {@link SpringContextStarter} as {@code bin/barge} does, against one S3Proxy, one OSS and one Kodo
 * emulator and one Azurite for the class. Every row also ends within 30 s (an unreachable endpoint must
 * fail within its connect timeout, not after minutes of retries), and no message is a stack trace, a
 * Spring dump or an "unexpected failure".
 *
 * <p>Placeholders in a row's arguments, remotes and message: {@code {b}} a bucket name of the row's own,
 * {@code {d}} a directory of the row's own, {@code {down}} the port where connects hang, and in the
 * message {@code {remotes}} the remotes file the row ran with.
 */
final class BadInputCatalogueTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String UNREACHABLE = "  connect-timeout: 2s\n  retry:\n    max-attempts: 20\n    max-elapsed: 5m\n";
    private static final AtomicInteger ROWS = new AtomicInteger();
    private static final long OSS_MAX_OBJECT = 1 << 20;
    private static final ShiftedClock OSS_CLOCK = new ShiftedClock();
    private static final ShiftedClock KODO_CLOCK = new ShiftedClock();

    @TempDir
    static Path dir;

    private static S3ProxyServer s3;
    private static OssEmulator oss;
    private static KodoEmulator kodo;
    private static AzuriteServer azurite;
    private static Blackhole blackhole;
    private static Path config;
    private static ConfigurableApplicationContext stores;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3ProxyServer.inMemoryForTests();
        // OSS takes objects of up to 5 GiB; this one of 1 MiB, so that a row can go over the store's own limit
        oss = OssEmulator.builder().credentials("oss-ak", "oss-sk").clock(OSS_CLOCK).maxObjectSize(OSS_MAX_OBJECT)
                .build().start();
        kodo = KodoEmulator.builder().credentials("kodo-ak", "kodo-sk").clock(KODO_CLOCK).start();
        azurite = AzuriteServer.start();
        blackhole = new Blackhole();
        Files.createDirectories(dir.resolve("disk"));
        Files.createDirectories(dir.resolve("rows"));
        String down = "127.0.0.1:" + blackhole.port();
        StringBuilder yaml = new StringBuilder()
                .append("disk:\n  type: local\n  root: ").append(dir.resolve("disk")).append("\n  options:\n    sync: false\n")
                .append(s3("s3", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
                .append(s3("s3bad", S3ProxyServer.ACCESS_KEY, "not-the-secret"))
                .append(s3("s3badid", "nobody-we-know", S3ProxyServer.SECRET_KEY))
                .append(remote("oss", "oss", oss.endpoint(), "oss-ak", "oss-sk"))
                .append(remote("ossbad", "oss", oss.endpoint(), "oss-ak", "not-the-secret"))
                .append(remote("kodo", "qiniu", "http://" + kodo.hostAndPort(), "kodo-ak", "kodo-sk"))
                .append(remote("kodobad", "qiniu", "http://" + kodo.hostAndPort(), "kodo-ak", "not-the-secret"))
                .append(remote("az", "azure", azurite.endpoint(), AzuriteServer.ACCOUNT, AzuriteServer.KEY))
                .append(remote("azbad", "azure", azurite.endpoint(), AzuriteServer.ACCOUNT,
                        "bm90LXRoZS1rZXk=")) // base64 of "not-the-key"
                // where nothing answers: connects hang until the connect timeout, and a command must fail after
                // one, not after the 20 attempts these remotes allow (over 40 s)
                .append(s3("s3down", "AK", "SK").replace("endpoint: " + s3.endpoint(), "endpoint: http://" + down))
                .append(UNREACHABLE)
                .append(remote("ossdown", "oss", "http://" + down, "oss-ak", "oss-sk")).append(UNREACHABLE)
                .append(remote("kododown", "qiniu", "http://" + down, "kodo-ak", "kodo-sk")).append(UNREACHABLE)
                .append(remote("azdown", "azure", "http://" + down + "/" + AzuriteServer.ACCOUNT, AzuriteServer.ACCOUNT,
                        AzuriteServer.KEY)).append(UNREACHABLE);
        config = Files.writeString(dir.resolve("remotes.yml"), yaml);

        // the rows' buckets and objects are made, and their results read, through the same remotes
        stores = new SpringApplicationBuilder(StoresOnly.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false).registerShutdownHook(false)
                .initializers(context -> context.getEnvironment().getPropertySources()
                        .addLast(RemotesFile.properties(config)))
                .properties(Map.of("logging.threshold.console", "off")).run();
    }

    private static String s3(String name, String accessKey, String secret) {
        return remote(name, "s3", s3.endpoint(), accessKey, secret) + "  region: us-east-1\n  path-style: true\n";
    }

    private static String remote(String name, String type, String endpoint, String accessKey, String secret) {
        return name + ":\n  type: " + type + "\n  endpoint: " + endpoint + "\n  access-key-id: " + accessKey
                + "\n  secret-access-key: '" + secret + "'\n";
    }

    @AfterAll
    static void stop() throws Exception {
        if (stores != null) {
            stores.close();
        }
        for (AutoCloseable server : new AutoCloseable[] {blackhole, azurite, kodo, oss, s3}) {
            if (server != null) {
                server.close();
            }
        }
    }

    // ---- the catalogue ---------------------------------------------------------------------------

    static Stream<Row> rows() {
        List<Row> rows = new ArrayList<>();

        // locations and remotes
        rows.add(row("ls: a scheme Barge does not know", "ls", "ftp://host/x")
                .fails(ExitCode.USAGE, "'ftp://host/x' is not a valid location", "'ftp://' is not a scheme", "file:///"));
        rows.add(row("cat: an unknown remote", "cat", "nosuch:{b}/k")
                .fails(ExitCode.USAGE, "unknown remote 'nosuch'", "define it under barge.remotes.nosuch"));
        rows.add(row("cat: a location without a key", "cat", "disk:{b}")
                .fails(ExitCode.USAGE, "'disk:{b}'", "key"));
        rows.add(row("ls: an empty remote name", "ls", ":{b}")
                .fails(ExitCode.USAGE, "':{b}'", "remote:bucket/prefix"));
        rows.add(row("ls: a relative file URI", "ls", "file://relative/dir")
                .fails(ExitCode.USAGE, "'file://relative/dir'", "file:///"));
        rows.add(row("mb: a bucket name the store refuses", "mb", "s3:AB")
                .fails(ExitCode.USAGE, "remote 's3'", "the bucket name 'AB' is not valid", "between 3 and 63", "lower-case"));

        // credentials, missing and wrong, for every driver
        rows.add(row("s3: a wrong secret", "ls", "s3bad:{b}").setup(p -> p.bucket("s3"))
                .fails(ExitCode.USAGE, "remote 's3bad' rejects its credentials", "secret-access-key"));
        rows.add(row("s3: an unknown access key id", "cat", "s3badid:{b}/k").setup(p -> p.bucket("s3"))
                .fails(ExitCode.USAGE, "remote 's3badid' rejects its credentials", "InvalidAccessKeyId", "access-key-id"));
        rows.add(row("s3: a secret without an access key id", "ls", "nokey:{b}")
                .remotes("nokey:\n  type: s3\n  endpoint: http://127.0.0.1:9\n  secret-access-key: x\n")
                .fails(ExitCode.USAGE, "remote 'nokey'", "access-key-id"));
        rows.add(row("s3: a wrong secret on rm", "rm", "s3bad:{b}/k").setup(p -> p.bucket("s3").object("s3", "k", "x"))
                .fails(ExitCode.FAILED, "could not delete s3bad:{b}/k", "secret-access-key",
                        "1 of 1 objects could not be deleted; once what is said above is fixed, run the same command"));
        rows.add(row("oss: a wrong secret", "ls", "ossbad:{b}").setup(p -> p.bucket("oss"))
                .fails(ExitCode.USAGE, "remote 'ossbad' rejects its credentials", "SignatureDoesNotMatch", "secret-access-key"));
        rows.add(row("oss: a wrong secret on upload", "cp", "{d}/small.txt", "ossbad:{b}/k")
                .setup(p -> p.bucket("oss").file("small.txt", "hello"))
                .fails(ExitCode.USAGE, "remote 'ossbad' rejects its credentials", "SignatureDoesNotMatch", "secret-access-key"));
        rows.add(row("qiniu: a wrong secret", "ls", "kodobad:{b}").setup(p -> p.bucket("kodo"))
                .fails(ExitCode.USAGE, "remote 'kodobad' rejects its credentials", "bad token", "secret-access-key"));
        rows.add(row("qiniu: a wrong secret on upload", "cp", "{d}/small.txt", "kodobad:{b}/k")
                .setup(p -> p.bucket("kodo").file("small.txt", "hello"))
                .fails(ExitCode.USAGE, "remote 'kodobad' rejects its credentials", "bad token", "secret-access-key"));
        rows.add(row("qiniu: no secret, in the environment", "ls", "kenv:{b}")
                .env("BARGE_REMOTE_KENV_TYPE", "qiniu").env("BARGE_REMOTE_KENV_ACCESS_KEY_ID", "kodo-ak")
                .fails(ExitCode.USAGE, "remote 'kenv'", "BARGE_REMOTE_KENV_SECRET_ACCESS_KEY"));
        rows.add(row("azure: a wrong account key", "ls", "azbad:{b}").setup(p -> p.bucket("az"))
                .fails(ExitCode.USAGE, "remote 'azbad' rejects its credentials", "AuthorizationFailure", "secret-access-key"));
        // without credentials an azure remote signs in with Entra ID, over https only (the chain itself runs in
        // AzureEntraIdTest, in a child JVM with an environment of its own)
        rows.add(row("azure: no credentials on an http endpoint", "ls", "aznone:{b}")
                .remotes("aznone:\n  type: azure\n  endpoint: http://127.0.0.1:9/devstoreaccount1\n")
                .fails(ExitCode.USAGE, "remote 'aznone'", "plain http", "use an https endpoint", "access-key-id",
                        "secret-access-key"));
        rows.add(row("azure: no credentials and no endpoint", "ls", "aznone:{b}")
                .remotes("aznone:\n  type: azure\n")
                .fails(ExitCode.USAGE, "remote 'aznone'", "no credentials and no endpoint",
                        "https://<account>.blob.core.windows.net", "secret-access-key"));

        // a missing bucket
        rows.add(row("s3: ls of a missing bucket", "ls", "s3:{b}")
                .fails(ExitCode.USAGE, "bucket '{b}' does not exist on remote 's3'", "create it with 'barge mb s3:{b}'"));
        rows.add(row("oss: cp into a missing bucket", "cp", "{d}/small.txt", "oss:{b}/k")
                .setup(p -> p.file("small.txt", "hello"))
                .fails(ExitCode.USAGE, "bucket '{b}' does not exist on remote 'oss'", "create it with 'barge mb oss:{b}'"));
        rows.add(row("qiniu: stat in a missing bucket", "stat", "kodo:{b}/k")
                .fails(ExitCode.USAGE, "bucket '{b}' does not exist on remote 'kodo'", "create it with 'barge mb kodo:{b}'"));
        rows.add(row("azure: ls of a missing container", "ls", "az:{b}")
                .fails(ExitCode.USAGE, "bucket '{b}' does not exist on remote 'az'", "create it with 'barge mb az:{b}'"));
        rows.add(row("migrate: a missing target bucket", "migrate", "disk:{b}", "s3:{b}-missing")
                .setup(p -> p.bucket("disk").object("disk", "a.txt", "a"))
                .fails(ExitCode.USAGE, "bucket '{b}-missing' does not exist on remote 's3'", "nothing was started"));

        // overlapping locations
        rows.add(row("migrate: the source as its own target", "migrate", "oss:{b}/x", "oss:{b}/x")
                .setup(p -> p.bucket("oss").object("oss", "x/a.txt", "a"))
                .fails(ExitCode.USAGE, "'oss:{b}/x'", "nothing was started"));
        rows.add(row("verify: a location against itself", "verify", "kodo:{b}", "kodo:{b}")
                .setup(p -> p.bucket("kodo").object("kodo", "a.txt", "a"))
                .fails(ExitCode.USAGE, "'kodo:{b}'", "nothing was started"));
        rows.add(row("archive --to: a target inside the source", "archive", "disk:{b}", "--storage-class", "archive",
                "--to", "disk:{b}/cold")
                .setup(p -> p.bucket("disk").object("disk", "a.txt", "a"))
                .fails(ExitCode.USAGE, "'disk:{b}/cold'", "nothing was started"));

        // keys
        String key1024 = "k/" + "x".repeat(200) + "/" + "y".repeat(200) + "/" + "z".repeat(200) + "/"
                + "w".repeat(200) + "/" + "v".repeat(1024 - 2 - 4 * 201);
        rows.add(row("s3: a key of 1,024 bytes is written", "cp", "{d}/small.txt", "s3:{b}/" + key1024)
                .setup(p -> p.bucket("s3").file("small.txt", "hello"))
                .succeeds((p, r) -> assertThat(p.stat("s3", key1024).size()).isEqualTo(5)));
        rows.add(row("s3: a key of 1,025 bytes", "cp", "{d}/small.txt", "s3:{b}/" + key1024 + "v")
                .setup(p -> p.bucket("s3").file("small.txt", "hello"))
                .fails(ExitCode.USAGE, "remote 's3'", "the key 'k/xxx", "is 1025 UTF-8 bytes, more than the 1024 S3 takes",
                        "shorten it"));
        rows.add(row("oss: a key of 1,024 bytes", "cp", "{d}/small.txt", "oss:{b}/" + key1024)
                .setup(p -> p.bucket("oss").file("small.txt", "hello"))
                .fails(ExitCode.USAGE, "remote 'oss'", "the key 'k/xxx", "is 1024 UTF-8 bytes, more than the 1023 OSS takes",
                        "shorten it"));
        rows.add(row("qiniu: a key of 1,025 bytes", "cp", "{d}/small.txt", "kodo:{b}/" + key1024 + "v")
                .setup(p -> p.bucket("kodo").file("small.txt", "hello"))
                .fails(ExitCode.USAGE, "remote 'kodo'", "the key 'k/xxx", "is 1025 UTF-8 bytes", "shorten it"));
        rows.add(row("local: a key with a name segment of 256 bytes", "cp", "{d}/small.txt",
                "disk:{b}/" + "n".repeat(256))
                .setup(p -> p.bucket("disk").file("small.txt", "hello"))
                .fails(ExitCode.USAGE, "cannot store this key", "'nnnnnnnn", "longer than 255 bytes"));
        // S3 takes any UTF-8 in a key: control characters go as they are, and come back the same
        rows.add(row("s3: a key with a control character is written as it is", "cp", "{d}/small.txt",
                "s3:{b}/bell\u0007key")
                .setup(p -> p.bucket("s3").file("small.txt", "hello"))
                .succeeds((p, r) -> assertThat(p.stat("s3", "bell\u0007key").size()).isEqualTo(5)));
        rows.add(row("cat: a missing key with a newline and an escape stays one line", "cat",
                "s3:{b}/no\nsuch\u001b[2Jkey")
                .setup(p -> p.bucket("s3"))
                .fails(ExitCode.FAILED, "remote 's3': get {b}/no\\nsuch\\u001b[2Jkey: ", "NoSuchKey")
                .then((p, r) -> assertThat(r.err().lines()).hasSize(1)));
        rows.add(row("migrate: a file whose name has a newline and a tab", "migrate", "disk:{b}", "s3:{b}")
                .setup(p -> p.bucket("disk").bucket("s3").object("disk", "line\nbreak\t.txt", "a")
                        .object("disk", "fine.txt", "b"))
                .succeeds((p, r) -> assertThat(p.stat("s3", "line\nbreak\t.txt").size()).isEqualTo(1)));

        // empty objects
        rows.add(row("s3: a 0-byte file is copied", "cp", "{d}/empty", "s3:{b}/empty")
                .setup(p -> p.bucket("s3").file("empty", ""))
                .succeeds((p, r) -> assertThat(p.stat("s3", "empty").size()).isZero()));
        rows.add(row("oss: a 0-byte file is copied", "cp", "{d}/empty", "oss:{b}/empty")
                .setup(p -> p.bucket("oss").file("empty", ""))
                .succeeds((p, r) -> assertThat(p.stat("oss", "empty").size()).isZero()));
        rows.add(row("qiniu: a 0-byte file is copied", "cp", "{d}/empty", "kodo:{b}/empty")
                .setup(p -> p.bucket("kodo").file("empty", ""))
                .succeeds((p, r) -> assertThat(p.stat("kodo", "empty").size()).isZero()));
        rows.add(row("azure: a 0-byte stream is copied", "cp", "-", "az:{b}/empty")
                .setup(p -> p.bucket("az"))
                .succeeds((p, r) -> assertThat(p.stat("az", "empty").size()).isZero()));
        rows.add(row("migrate: 0-byte objects from OSS to Kodo", "migrate", "oss:{b}", "kodo:{b}")
                .setup(p -> p.bucket("oss").bucket("kodo").object("oss", "e1", "").object("oss", "d/e2", ""))
                .succeeds((p, r) -> {
                    assertThat(p.stat("kodo", "e1").size()).isZero();
                    assertThat(p.stat("kodo", "d/e2").size()).isZero();
                }));

        // objects larger than the target takes: Kodo holds 10,000 parts of 1 GiB (a sparse file, never read)
        rows.add(row("qiniu: a file over the largest object", "cp", "{d}/huge", "kodo:{b}/huge")
                .setup(p -> p.bucket("kodo").sparse("huge", 10_000L * (1L << 30) + 1))
                .fails(ExitCode.USAGE, "remote 'kodo'", "'{b}/huge' is 10737418240001 bytes, more than the target can hold",
                        "at most 10000 parts of 1073741824 bytes", "choose a target"));

        rows.add(row("oss: a file over the store's own largest object", "cp", "{d}/big", "oss:{b}/big")
                .setup(p -> p.bucket("oss").random("big", OSS_MAX_OBJECT + 1))
                .fails(ExitCode.USAGE, "remote 'oss': put {b}/big: ", "exceeds the maximum allowed size",
                        "choose a target that takes objects this large", "EntityTooLarge"));

        // files Barge may not read, targets it may not write
        rows.add(row("cp: a source file nobody may read", "cp", "{d}/secret.txt", "s3:{b}/k")
                .setup(p -> p.bucket("s3").file("secret.txt", "x").unreadable("secret.txt"))
                .fails(ExitCode.USAGE, "{d}/secret.txt", "permission"));
        rows.add(row("migrate: a source file nobody may read", "migrate", "file://{d}/src", "s3:{b}")
                .setup(p -> p.bucket("s3").file("src/ok.txt", "ok").file("src/locked.txt", "x")
                        .unreadable("src/locked.txt"))
                .fails(ExitCode.COMPLETED_WITH_SKIPS, "barge jobs failures"));
        rows.add(row("cp: a read-only target directory", "cp", "{d}/small.txt", "file://{d}/ro/k")
                .setup(p -> p.file("small.txt", "x").readOnlyDirectory("ro"))
                .fails(ExitCode.USAGE, "directory {d}/ro: ", "give this user the right to it", "choose another location"));
        rows.add(row("migrate: a read-only target directory", "migrate", "disk:{b}", "file://{d}/ro")
                .setup(p -> p.bucket("disk").object("disk", "a.txt", "a").readOnlyDirectory("ro"))
                .fails(ExitCode.USAGE, "target 'file://{d}/ro': cannot write to bucket 'tmp' on remote 'file'",
                        "directory {d}/ro: ", "give this user the right to it", "nothing was started"));
        rows.add(row("oss: a target that refuses writes", "cp", "{d}/small.txt", "oss:{b}/k")
                .setup(p -> p.bucket("oss").file("small.txt", "x").ossFault(FaultRule.builder().method("PUT")
                        .keyPrefix("k").fault(Fault.error(403, "AccessDenied")).build()))
                .fails(ExitCode.USAGE, "remote 'oss' denies the request", "put {b}/k", "AccessDenied",
                        "grant its credentials that permission"));

        // clock skew beyond the signature window
        rows.add(row("oss: the clock an hour off", "ls", "oss:{b}")
                .setup(p -> p.bucket("oss").ossClock(Duration.ofHours(1)))
                .fails(ExitCode.USAGE, "remote 'oss' rejects its credentials", "RequestTimeTooSkewed", "clock",
                        "synchronise it"));
        rows.add(row("qiniu: the clock two hours off", "cp", "{d}/small.txt", "kodo:{b}/k")
                .setup(p -> p.bucket("kodo").file("small.txt", "x").kodoClock(Duration.ofHours(2)))
                .fails(ExitCode.USAGE, "remote 'kodo' rejects its credentials", "expired token", "clock is wrong"));

        // endpoints that do not answer
        rows.add(row("s3: an unreachable endpoint", "ls", "s3down:{b}")
                .fails(ExitCode.FAILED, "remote 's3down'", "127.0.0.1:{down}", "check endpoint of remote 's3down'"));
        rows.add(row("oss: an unreachable endpoint", "ls", "ossdown:{b}")
                .fails(ExitCode.FAILED, "remote 'ossdown'", "127.0.0.1:{down}", "check endpoint of remote 'ossdown'"));
        rows.add(row("qiniu: an unreachable endpoint", "cat", "kododown:{b}/k")
                .fails(ExitCode.FAILED, "remote 'kododown'", "127.0.0.1:{down}",
                        "check endpoint (or rs-host) of remote 'kododown'"));
        rows.add(row("azure: an unreachable endpoint", "ls", "azdown:{b}")
                .fails(ExitCode.FAILED, "remote 'azdown'", "127.0.0.1:{down}", "check endpoint of remote 'azdown'"));
        rows.add(row("migrate: an unreachable source", "migrate", "s3down:{b}", "disk:{b}")
                .setup(p -> p.bucket("disk"))
                .fails(ExitCode.USAGE, "cannot list bucket '{b}' on remote 's3down' at http://127.0.0.1:{down}",
                        "check the endpoint and the network", "nothing was started"));

        // conflicting flags
        rows.add(row("verify: --checksum and --size-only", "verify", "disk:{b}", "s3:{b}", "--checksum", "--size-only")
                .fails(ExitCode.USAGE, "--checksum, --size-only are mutually exclusive", "barge verify --help"));
        rows.add(row("archive: --delete-source without --to", "archive", "disk:{b}", "--storage-class", "archive",
                "--delete-source")
                .setup(p -> p.bucket("disk"))
                .fails(ExitCode.USAGE, "--delete-source needs --to", "barge archive --help"));
        rows.add(row("restore: --then-storage-class without --then-copy-to", "restore", "oss:{b}",
                "--then-storage-class", "archive")
                .setup(p -> p.bucket("oss"))
                .fails(ExitCode.USAGE, "--then-storage-class needs --then-copy-to", "barge restore --help"));
        rows.add(row("migrate: --min-age above --max-age", "migrate", "disk:{b}", "s3:{b}", "--min-age", "30d",
                "--max-age", "7d")
                .fails(ExitCode.USAGE, "--min-age 30d is above --max-age 7d", "swap them"));
        rows.add(row("cp: --metadata without a value", "cp", "{d}/small.txt", "s3:{b}/k", "--metadata", "owner")
                .setup(p -> p.file("small.txt", "x"))
                .fails(ExitCode.USAGE, "option '--metadata' (NAME=VALUE) should be in KEY=VALUE format but was owner",
                        "barge cp --help"));

        // numbers out of range
        rows.add(row("archive: --concurrency 0", "archive", "disk:{b}", "--storage-class", "archive", "--concurrency", "0")
                .fails(ExitCode.USAGE, "--concurrency must be a whole number from 1 to 256; 0 is not"));
        rows.add(row("migrate: --chunk-size -1", "migrate", "disk:{b}", "s3:{b}", "--chunk-size", "-1")
                .fails(ExitCode.USAGE, "--chunk-size must be a whole number of at least 1", "e.g. --chunk-size 500",
                        "-1 is not"));
        rows.add(row("verify: --chunk-size 0", "verify", "disk:{b}", "s3:{b}", "--chunk-size", "0")
                .fails(ExitCode.USAGE, "--chunk-size must be at least 1; 0 is not"));
        rows.add(row("delete: --chunk-size 0", "delete", "disk:{b}/x", "--chunk-size", "0", "--yes")
                .fails(ExitCode.USAGE, "--chunk-size must be a whole number from 1 to 1000 (objects per batch delete)",
                        "0 is not"));
        rows.add(row("migrate: --tps-limit 0", "migrate", "disk:{b}", "s3:{b}", "--tps-limit", "0")
                .fails(ExitCode.USAGE, "--tps-limit must be above 0, not 0:", "e.g. --tps-limit 50"));
        rows.add(row("migrate: --bwlimit -1", "migrate", "disk:{b}", "s3:{b}", "--bwlimit", "-1")
                .fails(ExitCode.USAGE, "option '--bwlimit': '-1' is not a size", "e.g. 100, 10KB, 10MB"));
        rows.add(row("restore: --days 0", "restore", "oss:{b}", "--days", "0")
                .fails(ExitCode.USAGE, "--days must be at least 1", "0 is not"));
        rows.add(row("restore: --poll 0s", "restore", "oss:{b}", "--wait", "--poll", "0s")
                .fails(ExitCode.USAGE, "option '--poll': an interval must be longer than zero", "e.g. 10s"));
        rows.add(row("restore: --timeout 0s", "restore", "oss:{b}", "--wait", "--timeout", "0s")
                .fails(ExitCode.USAGE, "option '--timeout': an interval must be longer than zero", "e.g. 10s"));
        rows.add(row("jobs list: an unknown status", "jobs", "list", "--status", "BOGUS")
                .fails(ExitCode.USAGE, "option '--status': expected one of [COMPLETED", "but was 'BOGUS'"));

        // the remotes file and the environment
        rows.add(row("remotes file: a tab for indentation", "remotes")
                .remotes("x:\n  type: s3\n\tregion: us-east-1\n")
                .fails(ExitCode.USAGE, "remotes file {remotes} is not valid YAML at line 3, column 1",
                        "Do not use \\t(TAB) for indentation", "check the indentation"));
        rows.add(row("remotes file: a remote that is a plain value", "remotes")
                .remotes("good:\n  type: local\n  root: /\nbad: hello\n")
                .fails(ExitCode.USAGE, "remotes file {remotes}, line 4: 'bad' is not a remote with settings",
                        "write each remote as a name followed by its settings"));
        rows.add(row("remotes file: a remote named twice", "remotes")
                .remotes("twice:\n  type: local\n  root: /\ntwice:\n  type: s3\n")
                .fails(ExitCode.USAGE, "remotes file {remotes} is not valid YAML at line 4, column 1",
                        "found duplicate key twice"));
        rows.add(row("remotes file: a remote without a type", "remotes")
                .remotes("untyped:\n  region: us-east-1\n")
                .fails(ExitCode.USAGE, "remote 'untyped': type is missing: set type of remote 'untyped' in {remotes}"));
        rows.add(row("remotes file: a negative connect timeout", "remotes")
                .remotes("x:\n  type: s3\n  connect-timeout: -5s\n")
                .fails(ExitCode.USAGE, "remotes file {remotes}, line 3: connect-timeout=-5s is not valid",
                        "longer than zero"));
        rows.add(row("remotes file: zero retry attempts", "remotes")
                .remotes("x:\n  type: s3\n  retry:\n    max-attempts: 0\n")
                .fails(ExitCode.USAGE, "remotes file {remotes}, line 4: retry.max-attempts=0 is not valid",
                        "at least 1"));
        rows.add(row("remotes file: an unknown listing option", "ls", "x:{b}")
                .remotes("x:\n  type: s3\n  endpoint: http://127.0.0.1:9\n  access-key-id: a\n  secret-access-key: b\n"
                        + "  options:\n    listing: sideways\n")
                .fails(ExitCode.USAGE, "remote 'x': option listing=sideways must be flat or walk"));
        rows.add(row("remotes file: one that does not exist", "--config", "{d}/none.yml", "remotes")
                .fails(ExitCode.USAGE, "remotes file {d}/none.yml does not exist or is not a file"));
        rows.add(row("environment: a retry setting that is not a number", "remotes")
                .env("BARGE_REMOTE_E_TYPE", "s3").env("BARGE_REMOTE_E_RETRY_MAX_ATTEMPTS", "lots")
                .fails(ExitCode.USAGE, "environment variable BARGE_REMOTE_E_RETRY_MAX_ATTEMPTS=lots is not valid",
                        "it must be a whole number"));
        rows.add(row("job repository: a URL no driver takes", "jobs", "list", "--db-url", "jdbc:nosuch://db/barge")
                .fails(ExitCode.USAGE, "cannot open the job repository jdbc:nosuch://db/barge (--db-url)",
                        "jdbc:postgresql://"));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a row that hangs fails, not the build
    void eachBadInputIsExplainedInOneMessage(Row row) throws Exception {
        int n = ROWS.incrementAndGet();
        Place place = new Place(n, "cat-" + n, Files.createDirectories(dir.resolve("rows").resolve("r" + n)),
                new ArrayList<>());
        try {
            row.setup().prepare(place);
            Path remotes = config;
            if (row.remotes() != null) {
                remotes = Files.writeString(place.dir().resolve("remotes.yml"), place.resolve(row.remotes()));
            }
            List<String> args = new ArrayList<>();
            if (!row.args().contains("--config")) {
                args.add("--config");
                args.add(remotes.toString());
            }
            row.args().forEach(a -> args.add(place.resolve(a)));
            String remotesName = remotes.toString();

            long started = System.nanoTime();
            Result result = barge(row.env(), place, args);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

            String all = result.out() + result.err();
            System.out.printf("[%s] exit %d in %d ms%n%s%n", row.name(), result.exitCode(), elapsed.toMillis(), all);
            assertThat(result.exitCode()).as("%s: exit code of %s%n%s", row.name(), args, all).isEqualTo(row.exitCode());
            assertThat(elapsed).as("%s: how long it took", row.name()).isLessThan(BOUND);
            for (String fragment : row.fragments()) {
                String expected = place.resolve(fragment).replace("{remotes}", remotesName);
                assertThat(result.err()).as("%s: the message", row.name()).contains(expected);
            }
            assertThat(all).as("%s: no stack trace, Spring dump or vague failure", row.name())
                    .doesNotContain("\tat ", "Caused by:", "unexpected failure", "org.springframework", "java.lang.",
                            "APPLICATION FAILED TO START");
            if (row.exitCode() != ExitCode.OK && row.exitCode() != ExitCode.COMPLETED_WITH_SKIPS) {
                assertThat(result.err()).as("%s: one line saying what is wrong", row.name()).startsWith("barge: ");
            }
            row.check().verify(place, result);
        } finally {
            OSS_CLOCK.shift(Duration.ZERO);
            KODO_CLOCK.shift(Duration.ZERO);
            oss.faults().clear();
            place.restorePermissions();
        }
    }

    private static Result barge(Map<String, String> env, Place place, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ofHours(1),
                new ByteArrayInputStream(new byte[0]));
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.put("HOME", place.dir().toString()); // no remotes file of the user running the tests
        SpringContextStarter starter = new SpringContextStarter(environment, Map.of());
        int code = new BargeCli(starter, terminal).execute(args.toArray(String[]::new));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Row row(String name, String... args) {
        return new Row(name, List.of(args), Map.of(), null, p -> { }, ExitCode.OK, List.of(), (p, r) -> { });
    }

    record Result(int exitCode, String out, String err) {}

    /** What a row prepares before its command runs. */
    @FunctionalInterface
    interface Setup {
        void prepare(Place place) throws Exception;
    }

    /** What a row checks after its command ran, beyond the exit code and the message. */
    @FunctionalInterface
    interface Check {
        void verify(Place place, Result result) throws Exception;
    }

    /**
     * One bad input.
     *
     * @param remotes a remotes file of the row's own in place of the shared one, or {@code null}
     */
    record Row(String name, List<String> args, Map<String, String> env, String remotes, Setup setup, int exitCode,
            List<String> fragments, Check check) {
        Row setup(Setup setup) {
            return new Row(name, args, env, remotes, setup, exitCode, fragments, check);
        }

        Row remotes(String yaml) {
            return new Row(name, args, env, yaml, setup, exitCode, fragments, check);
        }

        Row env(String variable, String value) {
            Map<String, String> more = new LinkedHashMap<>(env);
            more.put(variable, value);
            return new Row(name, args, Map.copyOf(more), remotes, setup, exitCode, fragments, check);
        }

        Row fails(int code, String... message) {
            return new Row(name, args, env, remotes, setup, code, List.of(message), check);
        }

        Row then(Check then) {
            return new Row(name, args, env, remotes, setup, exitCode, fragments, then);
        }

        Row succeeds(Check then) {
            return new Row(name, args, env, remotes, setup, ExitCode.OK, List.of(), then);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A row's own bucket name and directory, and what it can set up with them.
     *
     * @param immutable the directories the row made immutable, to give back after it
     */
    record Place(int number, String bucket, Path dir, List<Path> immutable) {
        String resolve(String text) {
            return text.replace("{b}", bucket).replace("{d}", dir.toString())
                    .replace("{down}", Integer.toString(blackhole.port()));
        }

        ObjectStore store(String remote) {
            return stores.getBean(StoreRegistry.class).store(remote);
        }

        Place bucket(String remote) {
            store(remote).createBucket(bucket);
            return this;
        }

        Place object(String remote, String key, String text) {
            store(remote).put(PutRequest.builder(bucket, key).build(), Payload.ofBytes(text.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        ObjectInfo stat(String remote, String key) {
            return store(remote).stat(bucket, key);
        }

        Place file(String name, String text) throws IOException {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return this;
        }

        /** A file of {@code size} random bytes. */
        Place random(String name, long size) throws IOException {
            byte[] bytes = new byte[Math.toIntExact(size)];
            new SplittableRandom(size).nextBytes(bytes);
            Files.write(dir.resolve(name), bytes);
            return this;
        }

        /** A file of {@code size} bytes that takes no room on disk (and must never be read). */
        Place sparse(String name, long size) throws IOException {
            try (RandomAccessFile file = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
                file.setLength(size);
            }
            return this;
        }

        /** chmod 000; root reads it all the same, so such a row cannot show anything as root. */
        Place unreadable(String name) throws IOException {
            Path file = dir.resolve(name);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
            if (Files.isReadable(file)) {
                abort("running as root (or with CAP_DAC_OVERRIDE): a file with mode 000 is still readable, so this"
                        + " row would show nothing");
            }
            return this;
        }

        /**
         * chmod 555. Root writes into that all the same, so as root the directory is made immutable
         * ({@code chattr +i}, which binds root too) where the file system and capabilities allow it; else the
         * row cannot show anything and is skipped.
         */
        Place readOnlyDirectory(String name) throws Exception {
            Path directory = Files.createDirectories(dir.resolve(name));
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-xr-xr-x"));
            if (Files.isWritable(directory)) {
                if (chattr("+i", directory) != 0) {
                    abort("running as root (or with CAP_DAC_OVERRIDE): a directory with mode 555 is still writable,"
                            + " and chattr +i is not available here, so this row would show nothing");
                }
                immutable.add(directory);
            }
            return this;
        }

        private static int chattr(String flag, Path directory) throws IOException, InterruptedException {
            try {
                Process chattr = new ProcessBuilder("chattr", flag, directory.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return chattr.waitFor();
            } catch (IOException noChattr) {
                return -1;
            }
        }

        Place ossFault(FaultRule rule) {
            oss.faults().add(rule);
            return this;
        }

        Place ossClock(Duration shift) {
            OSS_CLOCK.shift(shift);
            return this;
        }

        Place kodoClock(Duration shift) {
            KODO_CLOCK.shift(shift);
            return this;
        }

        /** Gives back what {@link #unreadable} and {@link #readOnlyDirectory} took, so that the directory can go. */
        void restorePermissions() throws Exception {
            for (Path directory : immutable) {
                assertThat(chattr("-i", directory)).as("chattr -i %s", directory).isZero();
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.toList()) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                            Files.isDirectory(p) ? "rwx------" : "rw-------"));
                }
            }
        }
    }

    /** The system clock moved by a shift the rows set: the emulators' view of "now". */
    private static final class ShiftedClock extends Clock {
        private volatile Duration shift = Duration.ZERO;

        void shift(Duration to) {
            shift = to;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }
    }

}
