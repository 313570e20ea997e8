package dev.barge.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.barge.storage.CompletedPart;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the local driver keeps metadata ({@code options.metadata}): extended attributes, sidecars
 * as the fallback and for objects written before, nothing in {@code none} mode; and which wins.
 */
class LocalMetadataTest {
    private static final String MD5_OF_HELLO = "5d41402abc4b2a76b9719d911017c592";

    @TempDir
    Path temp;

    private Path root;

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createDirectories(temp.resolve("root"));
    }

    @Test
    void autoKeepsMetadataInUserBargeAttributesAndReadsItBack() throws IOException {
        assumeXattrs();
        ObjectStore store = open("auto");
        store.put(PutRequest.builder("b", "dir/doc.json").contentType("application/json")
                        .userMetadata(Map.of("Owner", "ops team", "weird=&name", "a&b=c ✓"))
                        .storageClass(new StorageClass(StorageClass.Family.ARCHIVE, "GLACIER")).build(),
                Payload.ofBytes(hello()));

        Path file = root.resolve("b/dir/doc.json");
        // one attribute, user.barge, written in one call: form-encoded fields
        assertThat(xattrNames(file)).containsExactly("barge");
        assertThat(xattr(file, "barge").split("&")).contains("md5=" + MD5_OF_HELLO, "sc=ARCHIVE%3AGLACIER",
                "ct=application%2Fjson").anyMatch(f -> f.startsWith("stamp=5%3A")).anyMatch(f -> f.startsWith("meta="));
        ObjectInfo info = store.stat("b", "dir/doc.json");
        assertThat(info.contentType()).isEqualTo("application/json");
        assertThat(info.userMetadata()).containsOnly(Map.entry("owner", "ops team"), Map.entry("weird=&name", "a&b=c ✓"));
        assertThat(info.storageClass()).isEqualTo(new StorageClass(StorageClass.Family.ARCHIVE, "GLACIER"));
        assertThat(info.etag()).isEqualTo(MD5_OF_HELLO);
        ObjectInfo listed = store.list(ListRequest.of("b", "")).objects().get(0);
        assertThat(listed.etag()).isEqualTo(MD5_OF_HELLO);
        assertThat(listed.storageClass().family()).isEqualTo(StorageClass.Family.ARCHIVE);
        assertThat(pathsUnder(root)).noneMatch(p -> p.getFileName().toString().startsWith(".barge"));
    }

    @Test
    void attributesOfTheFormerOnePerFieldFormAreStillReadAndAClassChangeKeepsThem() throws IOException {
        assumeXattrs();
        Path file = Files.createDirectories(root.resolve("b")).resolve("before.txt");
        Files.write(file, hello());
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        long nanos = Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        // as Barge wrote them until 2026-12-03: one attribute per field, the stamp last
        view.write("barge.md5", StandardCharsets.UTF_8.encode(MD5_OF_HELLO));
        view.write("barge.content-type", StandardCharsets.UTF_8.encode("text/plain"));
        view.write("barge.meta", StandardCharsets.UTF_8.encode("k=v"));
        view.write("barge.stamp", StandardCharsets.UTF_8.encode("5:" + nanos));
        ObjectStore store = open("auto");

        ObjectInfo info = store.stat("b", "before.txt");
        assertThat(info.etag()).isEqualTo(MD5_OF_HELLO);
        assertThat(info.contentType()).isEqualTo("text/plain");
        assertThat(info.userMetadata()).containsOnly(Map.entry("k", "v"));

        store.setStorageClass("b", "before.txt", StorageClass.of(StorageClass.Family.ARCHIVE));
        ObjectInfo archived = store.stat("b", "before.txt");
        assertThat(archived.storageClass().family()).isEqualTo(StorageClass.Family.ARCHIVE);
        assertThat(archived.etag()).isEqualTo(MD5_OF_HELLO);
        assertThat(archived.userMetadata()).containsOnly(Map.entry("k", "v"));
    }

    @Test
    void autoCreatesNoBargeMetaDirectoryForAnyKindOfWrite() throws IOException {
        assumeXattrs();
        ObjectStore store = open("auto");
        store.put(PutRequest.builder("b", "a/plain").build(), Payload.ofBytes(hello()));
        store.put(PutRequest.builder("b", "a/typed").contentType("text/plain").userMetadata(Map.of("k", "v")).build(),
                Payload.ofBytes(hello()));
        store.copy(CopyRequest.of("b", "a/typed", "b", "c/copied"));
        store.append(PutRequest.builder("b", "d/log").contentType("text/plain").build(), 0, Payload.ofBytes(hello()));
        store.setStorageClass("b", "a/plain", StorageClass.of(StorageClass.Family.COLD_ARCHIVE));
        Files.writeString(root.resolve("b/foreign.txt"), "written by another program");
        store.setStorageClass("b", "foreign.txt", StorageClass.of(StorageClass.Family.ARCHIVE));
        WriteResult multipart = completeTwoParts(store, "e/big");

        assertThat(pathsUnder(root)).noneMatch(p -> p.toString().contains(LocalPaths.METADATA_DIR));
        assertThat(store.stat("b", "c/copied").userMetadata()).containsEntry("k", "v");
        assertThat(store.stat("b", "d/log").contentType()).isEqualTo("text/plain");
        assertThat(store.stat("b", "a/plain").storageClass().family()).isEqualTo(StorageClass.Family.COLD_ARCHIVE);
        assertThat(store.stat("b", "a/plain").etag()).as("the MD5 is kept through the class change").isEqualTo(MD5_OF_HELLO);
        assertThat(store.stat("b", "foreign.txt").storageClass().family()).isEqualTo(StorageClass.Family.ARCHIVE);
        assertThat(store.stat("b", "foreign.txt").etag()).as("a foreign file is not hashed").isNull();
        ObjectInfo big = store.stat("b", "e/big");
        assertThat(big.etag()).isEqualTo(multipart.etag()).endsWith("-2");
        assertThat(big.checksums()).isEmpty();
        assertThat(big.userMetadata()).containsEntry("origin", "parts");
        assertThat(store.list(ListRequest.of("b", "")).objects()).extracting(ObjectInfo::key)
                .containsExactly("a/plain", "a/typed", "c/copied", "d/log", "e/big", "foreign.txt");
    }

    @Test
    void aSidecarWrittenBeforeIsStillReadAndAClassChangeMovesItIntoAttributes() throws IOException {
        assumeXattrs();
        open("sidecar").put(PutRequest.builder("b", "old").contentType("text/plain").userMetadata(Map.of("k", "v"))
                .build(), Payload.ofBytes(hello()));
        Path sidecar = root.resolve("b/" + LocalPaths.METADATA_DIR + "/old");
        assertThat(sidecar).exists();
        assertThat(xattrNames(root.resolve("b/old"))).isEmpty();

        ObjectStore store = open("auto");
        ObjectInfo info = store.stat("b", "old");
        assertThat(info.contentType()).isEqualTo("text/plain");
        assertThat(info.userMetadata()).containsEntry("k", "v");
        assertThat(info.etag()).isEqualTo(MD5_OF_HELLO);

        store.setStorageClass("b", "old", StorageClass.of(StorageClass.Family.ARCHIVE));
        assertThat(sidecar).doesNotExist();
        ObjectInfo moved = store.stat("b", "old");
        assertThat(moved.storageClass().family()).isEqualTo(StorageClass.Family.ARCHIVE);
        assertThat(moved.contentType()).isEqualTo("text/plain");
        assertThat(moved.userMetadata()).containsEntry("k", "v");
        assertThat(moved.etag()).isEqualTo(MD5_OF_HELLO);
    }

    @Test
    void aRewriteIsNeverShadowedByTheSidecarOfTheVersionBefore() throws IOException {
        assumeXattrs();
        open("sidecar").put(PutRequest.builder("b", "k").contentType("text/old").build(), Payload.ofBytes(hello()));
        Path sidecar = root.resolve("b/" + LocalPaths.METADATA_DIR + "/k");
        String oldSidecar = Files.readString(sidecar);

        ObjectStore store = open("auto");
        store.put(PutRequest.builder("b", "k").contentType("text/new").build(), Payload.ofBytes("world".getBytes()));
        assertThat(sidecar).as("the stale sidecar is deleted after the rename").doesNotExist();
        assertThat(store.stat("b", "k").contentType()).isEqualTo("text/new");

        // Even a sidecar that matches the new file (a crash before it was deleted, a coarse clock)
        // loses to valid attributes.
        assertThat(sidecar.getParent()).as("and .barge.meta, left empty").doesNotExist();
        Files.createDirectories(sidecar.getParent());
        Files.writeString(sidecar, oldSidecar.replaceAll("(?m)^modified-nanos=.*$",
                "modified-nanos=" + Files.getLastModifiedTime(root.resolve("b/k")).to(java.util.concurrent.TimeUnit.NANOSECONDS)));
        assertThat(LocalMetadata.read(sidecar).matches(Files.readAttributes(root.resolve("b/k"),
                java.nio.file.attribute.BasicFileAttributes.class))).as("the planted sidecar matches").isTrue();
        assertThat(store.stat("b", "k").contentType()).isEqualTo("text/new");
        assertThat(store.stat("b", "k").etag()).isEqualTo("7d793037a0760186574b0282f2f435e7");
    }

    @Test
    void aRewriteInSidecarModeReplacesTheSidecarAndDropsStaleAttributes() throws IOException {
        assumeXattrs();
        open("auto").put(PutRequest.builder("b", "k").contentType("text/old").build(), Payload.ofBytes(hello()));
        ObjectStore store = open("sidecar");
        store.put(PutRequest.builder("b", "k").contentType("text/new").build(), Payload.ofBytes(hello()));
        assertThat(xattrNames(root.resolve("b/k"))).as("a new file, a new inode").isEmpty();
        assertThat(store.stat("b", "k").contentType()).isEqualTo("text/new");
        assertThat(open("auto").stat("b", "k").contentType()).isEqualTo("text/new");
    }

    @Test
    void attributesOfAFileAnotherProgramChangedInPlaceAreIgnored() throws IOException {
        assumeXattrs();
        ObjectStore store = open("auto");
        store.put(PutRequest.builder("b", "doc").contentType("text/plain").build(), Payload.ofBytes(hello()));
        Files.writeString(root.resolve("b/doc"), " and more", StandardOpenOption.APPEND);
        assertThat(xattrNames(root.resolve("b/doc"))).as("appending keeps the inode's attributes").isNotEmpty();

        ObjectInfo info = store.stat("b", "doc");
        assertThat(info.etag()).as("the recorded MD5 describes other bytes").isNull();
        assertThat(info.contentType()).isNull();
        assertThat(store.list(ListRequest.of("b", "")).objects().get(0).checksums()).isEmpty();
    }

    @Test
    void metadataTooLargeForAttributesFallsBackToASidecarInAutoAndIsRefusedInXattrMode() throws IOException {
        assumeXattrs();
        Map<String, String> large = Map.of("big", "x".repeat(64 * 1024));
        ObjectStore auto = open("auto");
        auto.put(PutRequest.builder("b", "small").contentType("text/plain").build(), Payload.ofBytes(hello()));
        auto.put(PutRequest.builder("b", "large").userMetadata(large).build(), Payload.ofBytes(hello()));

        assertThat(root.resolve("b/" + LocalPaths.METADATA_DIR + "/large")).exists();
        assertThat(root.resolve("b/" + LocalPaths.METADATA_DIR + "/small")).doesNotExist();
        assertThat(xattrNames(root.resolve("b/large"))).as("partial attributes are cleared").isEmpty();
        assertThat(auto.stat("b", "large").userMetadata()).isEqualTo(large);
        assertThat(auto.stat("b", "large").etag()).isEqualTo(MD5_OF_HELLO);

        ObjectStore xattr = open("xattr");
        StorageException e = expect(ErrorKind.INVALID_ARGUMENT, () -> xattr.put(
                PutRequest.builder("b", "refused").userMetadata(large).build(), Payload.ofBytes(hello())));
        assertThat(e.getMessage()).contains("put b/refused").contains("metadata: xattr").contains("metadata: auto");
        expect(ErrorKind.NOT_FOUND, () -> xattr.stat("b", "refused"));
        assertThat(pathsUnder(root.resolve("b"))).noneMatch(p -> p.getFileName().toString().startsWith(".barge.tmp"));
    }

    @Test
    void noneWritesPlainFilesOnlyAndOffersOnlyTheStandardClass() throws IOException {
        open("sidecar").put(PutRequest.builder("b", "had-sidecar").contentType("text/plain").build(),
                Payload.ofBytes(hello()));
        ObjectStore store = open("none");
        assertThat(store.capabilities().storageClasses()).containsExactly(StorageClass.Family.STANDARD);
        assertThat(store.capabilities().setStorageClass()).isFalse();
        assertThat(store.capabilities().checksums()).isEmpty();

        WriteResult written = store.put(PutRequest.builder("b", "dir/doc").contentType("text/plain")
                .userMetadata(Map.of("k", "v")).build(), Payload.ofBytes(hello()));
        store.put(PutRequest.builder("b", "had-sidecar").contentType("text/plain").build(), Payload.ofBytes(hello()));
        store.copy(CopyRequest.of("b", "dir/doc", "b", "copy"));
        completeTwoParts(store, "big");

        assertThat(written.etag()).as("the write still reports what it computed").isEqualTo(MD5_OF_HELLO);
        assertThat(pathsUnder(root.resolve("b"))).extracting(p -> root.resolve("b").relativize(p).toString())
                .containsExactlyInAnyOrder("dir", "dir/doc", "had-sidecar", "copy", "big");
        if (LocalMetadataKeeper.supportsXattrs(root)) {
            for (String key : List.of("dir/doc", "had-sidecar", "copy", "big")) {
                assertThat(xattrNames(root.resolve("b").resolve(key))).as(key).isEmpty();
            }
        }
        ObjectInfo info = store.stat("b", "dir/doc");
        assertThat(info.contentType()).isNull();
        assertThat(info.userMetadata()).isEmpty();
        assertThat(info.etag()).isNull();
        StorageException archive = expect(ErrorKind.UNSUPPORTED, () -> store.put(PutRequest.builder("b", "cold")
                .storageClass(StorageClass.of(StorageClass.Family.ARCHIVE)).build(), Payload.ofBytes(hello())));
        assertThat(archive.getMessage()).contains("options.metadata: none");
        expect(ErrorKind.UNSUPPORTED, () -> store.setStorageClass("b", "copy", StorageClass.of(StorageClass.Family.ARCHIVE)));
    }

    @Test
    void aBadMetadataOptionIsRefusedNamingTheRemoteAndTheChoices() {
        StorageException e = expect(ErrorKind.INVALID_ARGUMENT, () -> new LocalStoreProvider()
                .open(RemoteConfig.local("disk", root).withOption("metadata", "xattrs")));
        assertThat(e.getMessage()).contains("remote 'disk'").contains("metadata=xattrs")
                .contains("auto").contains("xattr,").contains("sidecar").contains("none");
        assertThat(new LocalStoreProvider().open(RemoteConfig.local("disk", root).withOption("metadata", " Sidecar ")))
                .as("case and spaces do not matter").isNotNull();
    }

    @Test
    void xattrModeIsRefusedOnAFileSystemWithoutUserAttributes() {
        Path proc = Path.of("/proc");
        assumeThat(Files.isDirectory(proc) && !LocalMetadataKeeper.supportsXattrs(proc))
                .as("/proc is a directory on a file system without user attributes").isTrue();
        StorageException e = expect(ErrorKind.INVALID_ARGUMENT, () -> new LocalStoreProvider()
                .open(RemoteConfig.local("disk", proc).withOption("metadata", "xattr")));
        assertThat(e.getMessage()).contains("remote 'disk'").contains("keeps no user extended attributes")
                .contains("metadata: auto or sidecar");
    }

    // ---- helpers ------------------------------------------------------------------------

    private ObjectStore open(String mode) {
        ObjectStore store = new LocalStoreProvider().open(RemoteConfig.local("disk", root)
                .withOption("metadata", mode).withOption("multipart-min-part-size", "1000"));
        if (!Files.isDirectory(root.resolve("b"))) {
            store.createBucket("b");
        }
        return store;
    }

    private static WriteResult completeTwoParts(ObjectStore store, String key) {
        byte[] data = new byte[1500];
        MultipartUpload upload = store.initiateMultipart(
                PutRequest.builder("b", key).userMetadata(Map.of("origin", "parts")).build(), 1000);
        CompletedPart p1 = store.uploadPart(upload, 1, Payload.ofBytes(java.util.Arrays.copyOfRange(data, 0, 1000)));
        CompletedPart p2 = store.uploadPart(upload, 2, Payload.ofBytes(java.util.Arrays.copyOfRange(data, 1000, 1500)));
        return store.completeMultipart(upload, List.of(p1, p2));
    }

    private void assumeXattrs() {
        assumeThat(LocalMetadataKeeper.supportsXattrs(temp))
                .as("the file system of " + temp + " keeps user extended attributes").isTrue();
    }

    private static byte[] hello() {
        return "hello".getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> xattrNames(Path file) throws IOException {
        return Files.getFileAttributeView(file, UserDefinedFileAttributeView.class).list().stream()
                .filter(n -> n.equals("barge") || n.startsWith("barge.")).toList();
    }

    private static String xattr(Path file, String name) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        ByteBuffer buffer = ByteBuffer.allocate(view.size(name));
        view.read(name, buffer);
        return new String(buffer.array(), StandardCharsets.UTF_8);
    }

    private static List<Path> pathsUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir)).toList();
        }
    }

    private static StorageException expect(ErrorKind kind, ThrowingCallable call) {
        StorageException e = catchThrowableOfType(StorageException.class, call);
        assertThat(e).as("expected a StorageException of kind " + kind).isNotNull();
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        return e;
    }
}
