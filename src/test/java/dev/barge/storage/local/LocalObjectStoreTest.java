package dev.barge.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What only the local driver does: key safety, sidecars, files written by other programs. */
class LocalObjectStoreTest {

    @TempDir
    Path temp;

    private Path root;
    private Path outside;
    private ObjectStore store;

    @BeforeEach
    void open() throws IOException {
        root = Files.createDirectories(temp.resolve("root"));
        outside = Files.createDirectories(temp.resolve("outside"));
        store = new LocalStoreProvider().open(RemoteConfig.local("disk", root));
        store.createBucket("b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../../escape", "./a", "a/./b", "a/..", "/absolute", "a//b", "dir/",
            "nul\0byte", ".barge.meta/x", "x/.barge-anything", ".barge.tmp.123"})
    void badKeysAreRefusedNamingOperationBucketAndKey(String key) throws IOException {
        StorageException put = expect(ErrorKind.INVALID_ARGUMENT,
                () -> store.put(PutRequest.builder("b", key).build(), Payload.ofBytes(new byte[] {1})));
        assertThat(put.getMessage()).contains("put b/" + key);
        assertThat(put.operation()).isEqualTo(dev.barge.storage.Operation.PUT);
        assertThat(put.bucket()).isEqualTo("b");
        assertThat(put.key()).isEqualTo(key);

        expect(ErrorKind.INVALID_ARGUMENT, () -> store.stat("b", key));
        expect(ErrorKind.INVALID_ARGUMENT, () -> store.get("b", key));
        expect(ErrorKind.INVALID_ARGUMENT, () -> store.delete("b", key));
        assertThat(filesUnder(temp)).allMatch(p -> p.startsWith(root)).noneMatch(p -> p.toString().contains("escape"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "", ".barge.uploads"})
    void badBucketNamesAreRefused(String bucket) {
        StorageException e = expect(ErrorKind.INVALID_ARGUMENT, () -> store.createBucket(bucket));
        assertThat(e.getMessage()).contains("create_bucket").contains("invalid bucket name");
        expect(ErrorKind.INVALID_ARGUMENT, () -> store.stat(bucket, "k"));
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void aFileRewrittenInPlaceWhileItIsReadFailsTheReadAtItsLastByte() throws IOException {
        Path file = root.resolve("b").resolve("growing.log");
        byte[] first = new byte[200_000];
        java.util.Arrays.fill(first, (byte) 'a');
        Files.write(file, first);

        try (ObjectContent content = store.get("b", "growing.log")) {
            InputStream body = content.body();
            byte[] half = body.readNBytes(100_000);
            assertThat(half).containsOnly((byte) 'a');
            byte[] second = new byte[200_000];
            java.util.Arrays.fill(second, (byte) 'b');
            Files.write(file, second); // same size, new bytes: another program rewrote the file meanwhile

            // a reader that stops at the announced length, never asking for the end, is stopped too
            IOException e = catchThrowableOfType(IOException.class, () -> body.readNBytes(100_000));
            assertThat(e).hasMessageContaining("growing.log").hasMessageContaining("changed while it was being read");
        }
    }

    @Test
    void aSymbolicLinkInsideABucketIsNeitherFollowedNorListed() throws IOException {
        Files.writeString(outside.resolve("secret"), "do not read");
        Files.createSymbolicLink(root.resolve("b").resolve("link"), outside);

        expect(ErrorKind.INVALID_ARGUMENT, () -> store.get("b", "link/secret"));
        expect(ErrorKind.INVALID_ARGUMENT,
                () -> store.put(PutRequest.builder("b", "link/planted").build(), Payload.ofBytes(new byte[] {1})));
        assertThat(store.list(ListRequest.of("b", "")).objects()).isEmpty();
        assertThat(outside.resolve("planted")).doesNotExist();
    }

    @Test
    void missingBucketAndKeyAreNamed() {
        StorageException bucket = expect(ErrorKind.BUCKET_NOT_FOUND, () -> store.stat("nope", "k"));
        assertThat(bucket.getMessage()).contains("stat nope/k");
        StorageException key = expect(ErrorKind.NOT_FOUND, () -> store.get("b", "missing/key"));
        assertThat(key.getMessage()).contains("get b/missing/key");
    }

    @Test
    void aKeyContinuingAnObjectSeveralLevelsDownIsAConflictNamingTheObject() {
        store.put(PutRequest.builder("b", "x").build(), Payload.ofBytes(new byte[] {1}));

        StorageException e = expect(ErrorKind.CONFLICT,
                () -> store.put(PutRequest.builder("b", "x/y/z").build(), Payload.ofBytes(new byte[] {2})));

        assertThat(e.getMessage()).contains("put b/x/y/z").contains("'x' is an object");
        assertThat(e.isRetryable()).isFalse();
        expect(ErrorKind.NOT_FOUND, () -> store.stat("b", "x/y/z"));
    }

    @Test
    void aWrongAppendPositionIsAConflictNamingTheObject() {
        PutRequest request = PutRequest.builder("b", "log").build();
        store.append(request, 0, Payload.ofBytes("abc".getBytes()));
        StorageException e = expect(ErrorKind.CONFLICT, () -> store.append(request, 5, Payload.ofBytes("d".getBytes())));
        assertThat(e.getMessage()).contains("append b/log").contains("position 5").contains("length 3");
    }

    @Test
    void barge_sFilesNeverShowUpAsObjectsOrBuckets() throws IOException {
        store = new LocalStoreProvider().open(RemoteConfig.local("disk", root).withOption("metadata", "sidecar"));
        store.put(PutRequest.builder("b", "dir/obj").contentType("text/plain").userMetadata(Map.of("k", "v")).build(),
                Payload.ofBytes(new byte[] {1}));
        store.initiateMultipart(PutRequest.builder("b", "pending").build());

        assertThat(filesUnder(root)).anyMatch(p -> p.toString().contains(".barge.meta"))
                .anyMatch(p -> p.toString().contains(".barge.uploads"));
        assertThat(keys(ListRequest.of("b", ""))).containsExactly("dir/obj");
        ListPage top = store.list(ListRequest.of("b", "").withDelimiter("/"));
        assertThat(top.commonPrefixes()).containsExactly("dir/");
        assertThat(top.objects()).isEmpty();
        assertThat(keys(ListRequest.of("b", "dir/"))).containsExactly("dir/obj");
        assertThat(store.listBuckets()).extracting(dev.barge.storage.BucketInfo::name).containsExactly("b");
    }

    @Test
    void filesWrittenByOtherProgramsAreObjectsWithoutChecksums() throws IOException {
        Files.createDirectories(root.resolve("b/foreign"));
        Files.writeString(root.resolve("b/foreign/file.txt"), "hello");

        ObjectInfo listed = store.list(ListRequest.of("b", "")).objects().get(0);
        assertThat(listed.key()).isEqualTo("foreign/file.txt");
        assertThat(listed.etag()).as("not computed while listing").isNull();
        ObjectInfo stat = store.stat("b", "foreign/file.txt");
        assertThat(stat.size()).isEqualTo(5);
        assertThat(stat.etag()).as("not computed by stat either").isNull();
        assertThat(stat.checksums()).isEmpty();
        assertThat(new String(read("foreign/file.txt"))).isEqualTo("hello");
    }

    @Test
    void aFileBargeDidNotWriteIsNeverReadWholeToDescribeIt() throws IOException {
        // 1 TiB, sparse: hashing it would take many minutes
        Path huge = root.resolve("b/huge.bin");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(1L << 40);
        }

        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            assertThat(store.stat("b", "huge.bin").size()).isEqualTo(1L << 40);
            assertThat(store.list(ListRequest.of("b", "")).objects()).extracting(ObjectInfo::key).contains("huge.bin");
            try (ObjectContent content = store.get("b", "huge.bin")) {
                assertThat(content.length()).isEqualTo(1L << 40);
                assertThat(content.body().readNBytes(10)).hasSize(10);
            }
            store.setStorageClass("b", "huge.bin", dev.barge.storage.StorageClass.of(
                    dev.barge.storage.StorageClass.Family.ARCHIVE));
            ObjectInfo archived = store.stat("b", "huge.bin");
            assertThat(archived.storageClass().family()).isEqualTo(dev.barge.storage.StorageClass.Family.ARCHIVE);
            assertThat(archived.checksums()).isEmpty();
        });
    }

    @Test
    void theMd5OfAFileBargeWroteIsReportedFromItsSidecar() {
        store.put(PutRequest.builder("b", "doc").build(), Payload.ofBytes("hello".getBytes(StandardCharsets.UTF_8)));

        assertThat(store.stat("b", "doc").etag()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(store.list(ListRequest.of("b", "")).objects().get(0).checksums())
                .containsExactly(dev.barge.storage.Checksum.md5Hex("5d41402abc4b2a76b9719d911017c592"));
        try (ObjectContent content = store.get("b", "doc")) {
            assertThat(content.info().etag()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSidecarIsIgnoredOnceAnotherProgramChangedTheFile() throws IOException {
        store.put(PutRequest.builder("b", "doc").contentType("text/plain").build(), Payload.ofBytes("first".getBytes()));
        Files.writeString(root.resolve("b/doc"), "changed by hand");

        ObjectInfo info = store.stat("b", "doc");
        assertThat(info.etag()).as("the recorded MD5 is stale, and the file is not hashed").isNull();
        assertThat(info.checksums()).isEmpty();
        assertThat(info.size()).isEqualTo("changed by hand".length());
        assertThat(info.contentType()).as("metadata of the old content is not reported").isNull();
        assertThat(store.list(ListRequest.of("b", "")).objects().get(0).etag()).isNull();
    }

    @Test
    void aWriteThatFailsMidwayLeavesTheOldObjectAndNoTemporaryFile() throws IOException {
        store.put(PutRequest.builder("b", "k").build(), Payload.ofBytes("old".getBytes()));
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ < 100_000) {
                    return 'x';
                }
                throw new IOException("connection to the source reset");
            }
        };

        StorageException e = expect(ErrorKind.TRANSIENT,
                () -> store.put(PutRequest.builder("b", "k").build(), Payload.ofStream(failing, Payload.UNKNOWN_LENGTH)));

        assertThat(e.getMessage()).contains("put b/k").contains("connection to the source reset");
        assertThat(new String(read("k"))).isEqualTo("old");
        assertThat(filesUnder(root)).noneMatch(p -> p.getFileName().toString().startsWith(".barge.tmp"));
    }

    @Test
    void aPayloadShorterThanAnnouncedIsRefused() {
        store.put(PutRequest.builder("b", "k").build(), Payload.ofBytes("old".getBytes()));
        StorageException e = expect(ErrorKind.INVALID_ARGUMENT, () -> store.put(PutRequest.builder("b", "k").build(),
                Payload.ofStream(new java.io.ByteArrayInputStream(new byte[5]), 10)));
        assertThat(e.getMessage()).contains("5 bytes but 10 were announced");
        assertThat(new String(read("k"))).isEqualTo("old");
    }

    @Test
    void deletingTheLastObjectOfADirectoryRemovesTheEmptyDirectories() throws IOException {
        store.put(PutRequest.builder("b", "x/y/z").build(), Payload.ofBytes(new byte[] {1}));
        store.put(PutRequest.builder("b", "x/keep").build(), Payload.ofBytes(new byte[] {1}));
        store.delete("b", "x/y/z");
        assertThat(root.resolve("b/x/y")).doesNotExist();
        assertThat(root.resolve("b/x/keep")).exists();
        store.delete("b", "x/keep");
        assertThat(root.resolve("b")).isEmptyDirectory();
    }

    @Test
    void aBucketHoldingOnlyAbandonedUploadsCanBeDeleted() {
        store.initiateMultipart(PutRequest.builder("b", "never-finished").build());
        store.deleteBucket("b");
        assertThat(root.resolve("b")).doesNotExist();
    }

    @Test
    void listingWithAnUnknownPageTokenIsInvalid() {
        StorageException e = expect(ErrorKind.INVALID_ARGUMENT, () -> store.list(ListRequest.of("b", "").withPageToken("!!")));
        assertThat(e.getMessage()).contains("page token");
    }

    @Test
    void theProviderRefusesABadConfigurationNamingTheRemote() {
        StorageException noRoot = expect(ErrorKind.INVALID_ARGUMENT,
                () -> new LocalStoreProvider().open(RemoteConfig.defaults("backup", "local")));
        assertThat(noRoot.getMessage()).contains("remote 'backup'").contains("needs root");
        StorageException missing = expect(ErrorKind.INVALID_ARGUMENT,
                () -> new LocalStoreProvider().open(RemoteConfig.local("backup", temp.resolve("typo"))));
        assertThat(missing.getMessage()).contains("is not a directory");
        StorageException option = expect(ErrorKind.INVALID_ARGUMENT, () -> new LocalStoreProvider()
                .open(RemoteConfig.local("backup", root).withOption("multipart-min-part-size", "lots")));
        assertThat(option.getMessage()).contains("multipart-min-part-size=lots");
    }

    private byte[] read(String key) {
        try (ObjectContent content = store.get("b", key)) {
            return content.body().readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> keys(ListRequest request) {
        return store.list(request).objects().stream().map(ObjectInfo::key).toList();
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static StorageException expect(ErrorKind kind, ThrowingCallable call) {
        StorageException e = catchThrowableOfType(StorageException.class, call);
        assertThat(e).as("expected a StorageException of kind " + kind).isNotNull();
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        return e;
    }
}
