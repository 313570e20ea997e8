package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.config.StoresOnly;
import dev.barge.emulator.oss.OssEmulator;
import dev.barge.storage.BucketInfo;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.test.TempDirs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
 * The object and bucket commands ({@code cp}, {@code append}, {@code rm}, {@code mb}, {@code rb},
 * {@code stat}) in-process through picocli, on the local driver ({@code disk}), one S3Proxy
 * ({@code s3t}) and, for appends, the OSS emulator ({@code oss}). They run in the stores-only context
 * ({@link StoresOnly}): every command asks for nothing more, which {@link #barge} checks.
 */
class ObjectCommandsTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final S3ProxyServer S3 = S3ProxyServer.inMemoryForTests();
    private static final OssEmulator OSS = OssEmulator.start("oss-ak", "oss-sk");
    private static final int BIG = 20 << 20;

    private static Path files;
    private static ConfigurableApplicationContext context;
    private static StoreRegistry stores;

    @BeforeAll
    static void start() {
        files = TempDirs.create("barge-objects-");
        try {
            Files.createDirectories(files.resolve("disk"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("barge.home", files.resolve("home").toString());
        properties.put("logging.threshold.console", "off");
        properties.put("barge.remotes.disk.type", "local");
        properties.put("barge.remotes.disk.root", files.resolve("disk").toString());
        properties.put("barge.remotes.disk.options.sync", "false");
        properties.put("barge.remotes.disk.options.multipart-min-part-size", "1MB");
        properties.put("barge.remotes.disk2.type", "local"); // the same directory under another name
        properties.put("barge.remotes.disk2.root", files.resolve("disk").toString());
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
        // a 20 MiB file goes multipart in 5 MiB parts, as a larger one would with the defaults
        properties.put("barge.transfer.multipart-threshold", "8MB");
        properties.put("barge.transfer.part-size", "5MB");
        context = new SpringApplicationBuilder(StoresOnly.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false).registerShutdownHook(false)
                .properties(properties).run();
        stores = context.getBean(StoreRegistry.class);
    }

    @AfterAll
    static void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        S3.close();
        OSS.close();
    }

    record Result(int exitCode, byte[] bytes, String err) {
        String out() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static Result barge(String... args) {
        return barge(new byte[0], false, args);
    }

    private static Result barge(byte[] stdin, boolean interactive, String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), interactive, Duration.ofHours(1),
                new ByteArrayInputStream(stdin));
        List<Launch.Needs> needs = new ArrayList<>();
        int code = new BargeCli(launch -> {
            needs.add(launch.needs());
            return new Session(context, () -> { });
        }, terminal).execute(args);
        assertThat(needs).as("what %s asked to start", args[0]).doesNotContain(Launch.Needs.JOBS);
        return new Result(code, stdout.toByteArray(), stderr.toString(StandardCharsets.UTF_8));
    }

    /** A new bucket on the remote. */
    private static String bucket(String remote) {
        String bucket = "objects-" + BUCKETS.incrementAndGet();
        stores.store(remote).createBucket(bucket);
        return bucket;
    }

    private static void put(String remote, String bucket, String key, String text) {
        stores.store(remote).put(PutRequest.builder(bucket, key).build(), Payload.ofBytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] read(String remote, String bucket, String key) throws IOException {
        try (ObjectContent content = stores.store(remote).get(bucket, key)) {
            return content.body().readAllBytes();
        }
    }

    private static boolean exists(String remote, String bucket, String key) {
        try {
            stores.store(remote).stat(bucket, key);
            return true;
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static byte[] generated(long seed) {
        byte[] bytes = new byte[BIG];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---- cp -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"disk", "s3t"})
    void cpCopiesAFileToAnObjectAndBackAndBetweenObjects(String remote) throws Exception {
        String bucket = bucket(remote);
        Path dir = Files.createDirectories(files.resolve("cp-" + bucket));
        Path file = Files.writeString(dir.resolve("notes.txt"), "hello, barge");

        Result up = barge("cp", file.toString(), remote + ":" + bucket + "/docs/");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).contains("copied " + file + " to " + remote + ":" + bucket + "/docs/notes.txt", "MD5 verified");
        assertThat(new String(read(remote, bucket, "docs/notes.txt"), StandardCharsets.UTF_8)).isEqualTo("hello, barge");
        assertThat(stores.store(remote).stat(bucket, "docs/notes.txt").contentType()).isEqualTo("text/plain");

        Result labelled = barge("cp", file.toString(), remote + ":" + bucket + "/docs/labelled", "--content-type",
                "application/x-notes", "--metadata", "source=crm", "--metadata", "day=2024-05-01", "--storage-class",
                "standard", "--json");
        assertThat(labelled.exitCode()).as(labelled.err()).isZero();
        assertThat(labelled.out().strip()).startsWith("{").endsWith("}").contains("\"bytes\":12",
                "\"target\":\"" + remote + ":" + bucket + "/docs/labelled\"", "\"verified\":{\"MD5\":");
        ObjectInfo info = stores.store(remote).stat(bucket, "docs/labelled");
        assertThat(info.contentType()).isEqualTo("application/x-notes");
        assertThat(info.userMetadata()).containsEntry("source", "crm").containsEntry("day", "2024-05-01");

        Path back = dir.resolve("back");
        Files.createDirectories(back);
        Result down = barge("cp", remote + ":" + bucket + "/docs/notes.txt", back + "/");
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(Files.readString(back.resolve("notes.txt"))).isEqualTo("hello, barge");
        assertThat(namesIn(back)).as("no temporary file left").containsExactly("notes.txt");

        Result same = barge("cp", remote + ":" + bucket + "/docs/labelled", remote + ":" + bucket + "/copies/");
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.out()).contains("server-side copy");
        ObjectInfo copy = stores.store(remote).stat(bucket, "copies/labelled");
        assertThat(copy.contentType()).isEqualTo("application/x-notes");
        assertThat(copy.userMetadata()).containsEntry("source", "crm");

        Result relabelled = barge("cp", remote + ":" + bucket + "/docs/labelled", remote + ":" + bucket + "/copies/x",
                "--metadata", "source=erp");
        assertThat(relabelled.exitCode()).as(relabelled.err()).isZero();
        assertThat(stores.store(remote).stat(bucket, "copies/x").userMetadata()).containsEntry("source", "erp")
                .doesNotContainKey("day");

        String other = remote.equals("disk") ? "s3t" : "disk";
        String otherBucket = bucket(other);
        Result across = barge("cp", remote + ":" + bucket + "/docs/labelled", other + ":" + otherBucket + "/in/a.notes");
        assertThat(across.exitCode()).as(across.err()).isZero();
        assertThat(across.out()).doesNotContain("server-side").contains("verified");
        assertThat(new String(read(other, otherBucket, "in/a.notes"), StandardCharsets.UTF_8)).isEqualTo("hello, barge");
        assertThat(stores.store(other).stat(otherBucket, "in/a.notes").userMetadata()).containsEntry("source", "crm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"disk", "s3t"})
    void cpExplainsWhatIsWrongAndLeavesTheTargetAsItWas(String remote) throws Exception {
        String bucket = bucket(remote);
        Path dir = Files.createDirectories(files.resolve("cp-errors-" + bucket));
        Path old = Files.writeString(dir.resolve("kept.txt"), "old content");

        Result missing = barge("cp", remote + ":" + bucket + "/photos/nope.jpg", old.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(missing.err()).contains("'" + remote + ":" + bucket + "/photos/nope.jpg' does not exist",
                "barge ls " + remote + ":" + bucket + "/photos/");
        assertThat(Files.readString(old)).isEqualTo("old content");

        put(remote, bucket, "report.txt", "report");
        Files.createDirectories(dir.resolve("report.txt"));
        Result intoDirectory = barge("cp", remote + ":" + bucket + "/report.txt", dir + "/");
        assertThat(intoDirectory.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(intoDirectory.err()).contains(dir.resolve("report.txt") + "' is a directory");

        Result fromDirectory = barge("cp", dir.toString(), remote + ":" + bucket + "/x");
        assertThat(fromDirectory.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(fromDirectory.err()).contains("is a directory", "barge migrate file://");
        assertThat(exists(remote, bucket, "x")).isFalse();

        Result noFile = barge("cp", dir.resolve("absent.txt").toString(), remote + ":" + bucket + "/x");
        assertThat(noFile.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noFile.err()).contains("absent.txt' does not exist");

        Result noKey = barge("cp", "-", remote + ":" + bucket + "/dir/");
        assertThat(noKey.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noKey.err()).contains("names no key");

        Result bothLocal = barge("cp", old.toString(), dir.resolve("b.txt").toString());
        assertThat(bothLocal.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bothLocal.err()).contains("neither");
        assertThat(namesIn(dir)).containsExactly("kept.txt", "report.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"disk", "s3t"})
    void cpStreamsTwentyMebibytesFromStandardInputAndToStandardOutput(String remote) throws Exception {
        String bucket = bucket(remote);
        byte[] data = generated(remote.hashCode());

        Result in = barge(data, false, "cp", "-", remote + ":" + bucket + "/big/stream.bin", "--content-type",
                "application/octet-stream", "--metadata", "origin=pipe");
        assertThat(in.exitCode()).as(in.err()).isZero();
        assertThat(in.out()).contains("20.0 MiB (20971520 bytes)", "streamed upload");
        ObjectInfo info = stores.store(remote).stat(bucket, "big/stream.bin");
        assertThat(info.size()).isEqualTo(BIG);
        assertThat(info.userMetadata()).containsEntry("origin", "pipe");
        assertThat(md5(read(remote, bucket, "big/stream.bin"))).isEqualTo(md5(data));

        // a person watches: the bar goes to stderr, and stdout holds the object's bytes and nothing else
        Result out = barge(new byte[0], true, "cp", remote + ":" + bucket + "/big/stream.bin", "-");
        assertThat(out.exitCode()).as(out.err()).isZero();
        assertThat(out.bytes().length).isEqualTo(BIG);
        assertThat(md5(out.bytes())).isEqualTo(md5(data));
        assertThat(out.err()).contains("cp", "MiB");

        // a file of the same size goes through the transfer as a multipart upload (threshold 8 MB here)
        Path file = files.resolve("big-" + bucket + ".bin");
        Files.write(file, data);
        Result up = barge("cp", file.toString(), remote + ":" + bucket + "/big/file.bin");
        assertThat(up.exitCode()).as(up.err()).isZero();
        // no store reports an MD5 for a multipart object (the local driver's etag is S3-style too), and a
        // file has none either: its parts were checked on the way (Content-MD5, CRC-32), the whole by size
        assertThat(up.out()).contains("multipart upload", "size checked");
        Path back = files.resolve("big-" + bucket + ".back");
        Result down = barge("cp", remote + ":" + bucket + "/big/file.bin", back.toString());
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(down.out()).contains("size checked");
        assertThat(md5(Files.readAllBytes(back))).isEqualTo(md5(data));
    }

    @ParameterizedTest
    @ValueSource(strings = {"disk", "s3t"})
    void aCopyFromAStreamThatBreaksOffLeavesTheOldObjectAsItWas(String remote) throws Exception {
        String bucket = bucket(remote);
        put(remote, bucket, "kept.bin", "old content");
        byte[] data = generated(7);
        // 18 MiB arrive, then the pipe breaks: S3 has uploaded a 16 MiB part by then
        java.io.InputStream breaking = new java.io.InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= 18 << 20) {
                    throw new IOException("the pipe broke");
                }
                int n = Math.min(len, (18 << 20) - position);
                System.arraycopy(data, position, b, off, n);
                position += n;
                return n;
            }
        };
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), false, Duration.ofHours(1), breaking);
        int code = new BargeCli(launch -> new Session(context, () -> { }), terminal)
                .execute("cp", "-", remote + ":" + bucket + "/kept.bin");

        assertThat(code).isNotZero();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("the pipe broke");
        assertThat(new String(read(remote, bucket, "kept.bin"), StandardCharsets.UTF_8)).isEqualTo("old content");
        assertThat(stores.store(remote).list(dev.barge.storage.ListRequest.of(bucket, "")).objects())
                .extracting(ObjectInfo::key).containsExactly("kept.bin");
    }

    // ---- rm -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"disk", "s3t"})
    void rmDeletesExactlyTheKeysGivenAndAMissingOneIsNoError(String remote) {
        String bucket = bucket(remote);
        String at = remote + ":" + bucket + "/";
        for (String key : List.of("a.txt", "b.txt", "c.txt", "keep/d.txt", "keep/e.txt")) {
            put(remote, bucket, key, key);
        }

        Result rm = barge("rm", at + "a.txt", at + "keep/d.txt", at + "never-there.txt", at + "a.txt");
        assertThat(rm.exitCode()).as(rm.err()).isZero();
        assertThat(rm.out().lines().toList()).containsExactly("deleted " + at + "a.txt", "deleted " + at + "keep/d.txt",
                "deleted " + at + "never-there.txt");
        assertThat(exists(remote, bucket, "a.txt")).isFalse();
        assertThat(exists(remote, bucket, "keep/d.txt")).isFalse();
        assertThat(exists(remote, bucket, "b.txt")).isTrue();
        assertThat(exists(remote, bucket, "keep/e.txt")).isTrue();

        // a prefix or a bucket refuses the whole command, before any key is deleted
        Result prefix = barge("rm", at + "b.txt", at + "keep/");
        assertThat(prefix.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(prefix.err()).contains("'" + at + "keep/' ends with '/'", "never what is under a prefix",
                "nothing was deleted");
        Result wholeBucket = barge("rm", at + "b.txt", remote + ":" + bucket);
        assertThat(wholeBucket.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(wholeBucket.err()).contains("names the bucket " + bucket + ", not an object");
        Result trailingSlash = barge("rm", remote + ":" + bucket + "/");
        assertThat(trailingSlash.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(exists(remote, bucket, "b.txt")).isTrue();
        assertThat(exists(remote, bucket, "keep/e.txt")).isTrue();

        Result json = barge("rm", "--json", at + "b.txt", at + "c.txt");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out().strip()).isEqualTo("{\"deleted\":[\"" + at + "b.txt\",\"" + at + "c.txt\"],\"failed\":[]}");
        assertThat(exists(remote, bucket, "c.txt")).isFalse();
    }

    @Test
    void lsWritesKeysWithControlCharactersEscapedOnOneLineEach() {
        String bucket = bucket("s3t");
        put("s3t", bucket, "line\nbreak.txt", "x");
        put("s3t", bucket, "esc\u001b[31mred.txt", "x");
        Result ls = barge("ls", "s3t:" + bucket);
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(ls.out().lines().toList()).containsExactly("esc\\u001b[31mred.txt", "line\\nbreak.txt");
        assertThat(ls.out()).doesNotContain("\u001b");
    }

    @Test
    void rmListsTheKeysItCouldNotDeleteAndDeletesTheOthers() {
        String bucket = bucket("disk");
        put("disk", bucket, "x.txt", "x");
        Result rm = barge("rm", "disk:" + bucket + "/x.txt", "disk:" + bucket + "/a/../y.txt");
        assertThat(rm.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(rm.out()).contains("deleted disk:" + bucket + "/x.txt");
        assertThat(rm.err()).contains("could not delete disk:" + bucket + "/a/../y.txt", "1 of 2 objects");
        assertThat(exists("disk", bucket, "x.txt")).isFalse();
    }

    @Test
    void cpRefusesTwoRemotesThatReachTheSameObjectAndLeavesItAsItWas() throws IOException {
        String bucket = bucket("disk");
        put("disk", bucket, "one.txt", "the only copy");

        Result cp = barge("cp", "disk:" + bucket + "/one.txt", "disk2:" + bucket + "/one.txt");

        assertThat(cp.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cp.err()).contains("are the same object");
        assertThat(new String(read("disk", bucket, "one.txt"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("the only copy");
    }

    @Test
    void cpRefusesAFileThatIsTheObjectItWouldWriteOrReadAndLeavesItAsItWas() throws IOException {
        String bucket = bucket("disk");
        put("disk", bucket, "same.txt", "the only copy");
        Path file = files.resolve("disk").resolve(bucket).resolve("same.txt");
        Path link = files.resolve("link-to-disk");
        Files.createSymbolicLink(link, files.resolve("disk"));

        Result up = barge("cp", link.resolve(bucket).resolve("same.txt").toString(), "disk:" + bucket + "/same.txt");
        Result upIntoPrefix = barge("cp", file.toString(), "disk2:" + bucket + "/");
        Result down = barge("cp", "disk2:" + bucket + "/same.txt", link.resolve(bucket).toString() + "/");

        for (Result cp : List.of(up, upIntoPrefix, down)) {
            assertThat(cp.exitCode()).as(cp.err()).isEqualTo(ExitCode.USAGE);
            assertThat(cp.err()).contains("are the same file", file.toRealPath().toString(), "nothing was changed");
        }
        assertThat(Files.readString(file)).isEqualTo("the only copy");
    }

    // ---- mb and rb ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"disk", "s3t"})
    void mbMakesABucketAndRbRemovesItOnlyWhenEmpty(String remote) {
        String bucket = "made-" + BUCKETS.incrementAndGet();
        Result mb = barge("mb", remote + ":" + bucket);
        assertThat(mb.exitCode()).as(mb.err()).isZero();
        assertThat(mb.out()).contains("made bucket " + remote + ":" + bucket);
        assertThat(stores.store(remote).listBuckets()).extracting(BucketInfo::name).contains(bucket);

        Result again = barge("mb", remote + ":" + bucket);
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(again.err()).contains("exists already");
        Result withPath = barge("mb", remote + ":" + bucket + "/sub");
        assertThat(withPath.exitCode()).isEqualTo(ExitCode.USAGE);

        put(remote, bucket, "deep/inside.txt", "still here");
        Result refused = barge("rb", remote + ":" + bucket);
        assertThat(refused.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains("is not empty", "deep/inside.txt", "barge rm " + remote + ":" + bucket + "/KEY",
                "barge delete " + remote + ":" + bucket + " --all");
        assertThat(exists(remote, bucket, "deep/inside.txt")).isTrue();

        assertThat(barge("rm", remote + ":" + bucket + "/deep/inside.txt").exitCode()).isZero();
        Result rb = barge("rb", "--json", remote + ":" + bucket);
        assertThat(rb.exitCode()).as(rb.err()).isZero();
        assertThat(rb.out().strip()).isEqualTo("{\"remote\":\"" + remote + "\",\"bucket\":\"" + bucket
                + "\",\"removed\":true}");
        assertThat(stores.store(remote).listBuckets()).extracting(BucketInfo::name).doesNotContain(bucket);
    }

    // ---- append ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"disk", "oss"})
    void appendAddsAFileAndStandardInputToTheEnd(String remote) throws Exception {
        String bucket = bucket(remote);
        Path file = Files.writeString(files.resolve("part-" + bucket + ".log"), "line 1\n");
        String log = remote + ":" + bucket + "/logs/app.log";

        Result first = barge("append", log, file.toString(), "--content-type", "text/plain");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("appended 7 B to " + log + ", which it created");

        Result second = barge("line 2\n".getBytes(StandardCharsets.UTF_8), false, "append", log, "-", "--json");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out().strip()).isEqualTo("{\"target\":\"" + log + "\",\"appended\":7,\"position\":7,\"size\":14}");
        assertThat(new String(read(remote, bucket, "logs/app.log"), StandardCharsets.UTF_8)).isEqualTo("line 1\nline 2\n");
        assertThat(stores.store(remote).stat(bucket, "logs/app.log").contentType()).isEqualTo("text/plain");
    }

    @Test
    void appendToAnObjectOssWroteWithAPutIsRefusedAndChangesNothing() throws Exception {
        String bucket = bucket("oss");
        put("oss", bucket, "plain.txt", "plain");
        Path file = Files.writeString(files.resolve("more-" + bucket), "more");
        Result append = barge("append", "oss:" + bucket + "/plain.txt", file.toString());
        assertThat(append.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(append.err()).contains("cannot append to oss:" + bucket + "/plain.txt");
        assertThat(new String(read("oss", bucket, "plain.txt"), StandardCharsets.UTF_8)).isEqualTo("plain");
    }

    @Test
    void appendIsRefusedOnS3WithTheReasonAndWritesNothing() throws Exception {
        String bucket = bucket("s3t");
        Path file = Files.writeString(files.resolve("s3-" + bucket), "line");
        Result append = barge("append", "s3t:" + bucket + "/app.log", file.toString());
        assertThat(append.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(append.err()).contains("remote 's3t' (type s3) cannot append", "local and oss", "barge cp");
        assertThat(exists("s3t", bucket, "app.log")).isFalse();
    }

    // ---- stat and help --------------------------------------------------------------------

    @Test
    void statPrintsValuesAsAPersonReadsThem() {
        String bucket = bucket("disk");
        stores.store("disk").put(PutRequest.builder(bucket, "a.txt").contentType("text/plain")
                .userMetadata(Map.of("owner", "ops")).build(), Payload.ofBytes(new byte[3000]));
        Result stat = barge("stat", "disk:" + bucket + "/a.txt");
        assertThat(stat.exitCode()).as(stat.err()).isZero();
        assertThat(stat.out()).contains("Key            a.txt", "Size           2.9 KiB (3000 bytes)",
                "Storage class  STANDARD\n", "Content type   text/plain", "MD5            ",
                "Metadata       owner=ops").containsPattern("Modified       \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)\n")
                .doesNotContain("Checksum[", "(STANDARD)");
        Result json = barge("stat", "--json", "disk:" + bucket + "/a.txt");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).contains("\"size\":3000", "\"metadata\":{\"owner\":\"ops\"}", "\"checksums\":{\"MD5\":\"");
    }

    @Test
    void everyObjectCommandHasHelpWithExamples() {
        for (String command : List.of("cp", "append", "rm", "mb", "rb", "stat")) {
            Result help = barge(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).as(command).contains("Usage: barge " + command, "Examples:", "--json");
        }
    }
}
