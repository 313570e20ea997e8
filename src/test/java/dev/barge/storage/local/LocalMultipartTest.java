package dev.barge.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.barge.storage.CompletedPart;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local driver's multipart upload: parts that follow the caller's plan are written in place and
 * the staged file becomes the object; other parts are staged apart and copied in; either way the
 * last upload of a part wins and the object gets a multipart etag, not a claimed MD5.
 */
class LocalMultipartTest {
    private static final int PART = 1000;

    @TempDir
    Path temp;

    private Path bucketDir;
    private ObjectStore store;

    @BeforeEach
    void open() {
        store = new LocalStoreProvider().open(RemoteConfig.local("disk", temp)
                .withOption("multipart-min-part-size", Integer.toString(PART)));
        store.createBucket("b");
        bucketDir = temp.resolve("b");
    }

    @Test
    void plannedPartsAreWrittenInPlaceOnceAndTheObjectGetsAMultipartEtag() throws IOException {
        byte[] data = bytes(2 * PART + 123, 1);
        MultipartUpload upload = store.initiateMultipart(
                PutRequest.builder("b", "dir/big").userMetadata(Map.of("origin", "plan")).build(), PART);
        CompletedPart p3 = store.uploadPart(upload, 3, slice(data, 2));
        CompletedPart p1 = store.uploadPart(upload, 1, slice(data, 0));
        CompletedPart p2 = store.uploadPart(upload, 2, slice(data, 1));

        Path staging = bucketDir.resolve(LocalPaths.UPLOADS_DIR).resolve(upload.uploadId());
        assertThat(names(staging)).as("one data file and the records, no part staged apart")
                .containsExactlyInAnyOrder("upload.properties", "data", "part.00001", "part.00002", "part.00003");
        assertThat(Files.size(staging.resolve("data"))).isEqualTo(data.length);

        WriteResult written = store.completeMultipart(upload, List.of(p2, p3, p1));

        assertThat(read("dir/big")).isEqualTo(data);
        assertThat(written.etag()).matches("[0-9a-f]{32}-3");
        assertThat(written.checksums()).as("no MD5 is claimed for bytes that were not hashed whole").isEmpty();
        ObjectInfo info = store.stat("b", "dir/big");
        assertThat(info.etag()).isEqualTo(written.etag());
        assertThat(info.checksums()).isEmpty();
        assertThat(info.userMetadata()).containsEntry("origin", "plan");
        assertThat(staging).doesNotExist();
    }

    @Test
    void aPartLargerThanThePlanIsStagedApartAndTheObjectIsStillWhole() {
        byte[] data = bytes(3 * PART + 500, 2);
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder("b", "uneven").build(), PART);
        CompletedPart p1 = store.uploadPart(upload, 1, Payload.ofBytes(data, 0, PART));
        CompletedPart p2 = store.uploadPart(upload, 2, Payload.ofBytes(data, PART, 2 * PART)); // twice the plan
        CompletedPart p3 = store.uploadPart(upload, 3, Payload.ofBytes(data, 3 * PART, 500));

        store.completeMultipart(upload, List.of(p1, p2, p3));

        assertThat(read("uneven")).isEqualTo(data);
    }

    @Test
    void anUnplannedUploadIsAssembledFromItsParts() {
        byte[] data = bytes(2 * PART + 7, 3);
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder("b", "unplanned").build());
        CompletedPart p2 = store.uploadPart(upload, 2, Payload.ofStream(
                new java.io.ByteArrayInputStream(data, PART, PART + 7), Payload.UNKNOWN_LENGTH));
        CompletedPart p1 = store.uploadPart(upload, 1, Payload.ofBytes(data, 0, PART));

        WriteResult written = store.completeMultipart(upload, List.of(p1, p2));

        assertThat(read("unplanned")).isEqualTo(data);
        assertThat(written.etag()).endsWith("-2");
    }

    @Test
    void thePartUploadedLastWinsAndAnOlderEtagIsRefused() {
        byte[] first = bytes(PART, 4);
        byte[] second = bytes(PART, 5);
        byte[] last = bytes(10, 6);
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder("b", "again").build(), PART);
        CompletedPart old = store.uploadPart(upload, 1, Payload.ofBytes(first));
        CompletedPart replaced = store.uploadPart(upload, 1, Payload.ofBytes(second));
        CompletedPart tail = store.uploadPart(upload, 2, Payload.ofBytes(last));
        assertThat(replaced.etag()).isNotEqualTo(old.etag());

        StorageException stale = expect(ErrorKind.INVALID_ARGUMENT,
                () -> store.completeMultipart(upload, List.of(old, tail)));
        assertThat(stale.getMessage()).contains("part 1 has etag " + replaced.etag()).contains("uploaded again");
        assertKind(() -> store.stat("b", "again"), ErrorKind.NOT_FOUND);

        store.completeMultipart(upload, List.of(replaced, tail));
        assertThat(read("again")).isEqualTo(concat(second, last));
    }

    @Test
    void aRewriteOfAPartThatFailsLeavesThatPartNotUploaded() {
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder("b", "torn").build(), PART);
        CompletedPart good = store.uploadPart(upload, 1, Payload.ofBytes(bytes(PART, 7)));
        InputStream breaksHalfWay = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ >= PART / 2) {
                    throw new IOException("connection reset");
                }
                return 0x55;
            }
        };

        assertThat(catchThrowableOfType(StorageException.class,
                () -> store.uploadPart(upload, 1, Payload.ofStream(breaksHalfWay, PART)))).isNotNull();

        StorageException gone = expect(ErrorKind.INVALID_ARGUMENT, () -> store.completeMultipart(upload, List.of(good)));
        assertThat(gone.getMessage()).contains("part 1 was not uploaded");
        assertKind(() -> store.stat("b", "torn"), ErrorKind.NOT_FOUND);
    }

    @Test
    void aFailedPartStagedApartLeavesNoFileBehind() throws IOException {
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder("b", "apart").build());
        InputStream fails = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ >= 100) {
                    throw new IOException("connection reset");
                }
                return 1;
            }
        };
        assertThat(catchThrowableOfType(StorageException.class,
                () -> store.uploadPart(upload, 1, Payload.ofStream(fails, Payload.UNKNOWN_LENGTH)))).isNotNull();

        Path staging = bucketDir.resolve(LocalPaths.UPLOADS_DIR).resolve(upload.uploadId());
        assertThat(names(staging)).containsExactly("upload.properties");
        store.abortMultipart(upload);
        assertThat(staging).doesNotExist();
    }

    @Test
    void aDamagedPartRecordIsRefusedAndNothingOutsideTheUploadIsRead() throws IOException {
        Files.writeString(temp.resolve("secret"), "not part of any upload");
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder("b", "damaged").build(), PART);
        CompletedPart part = store.uploadPart(upload, 1, Payload.ofBytes(bytes(PART, 8)));
        Path record = bucketDir.resolve(LocalPaths.UPLOADS_DIR).resolve(upload.uploadId()).resolve("part.00001");
        Files.writeString(record, Files.readString(record).replace("file=data", "file=../../../secret"));

        StorageException e = expect(ErrorKind.INVALID_ARGUMENT, () -> store.completeMultipart(upload, List.of(part)));
        assertThat(e.getMessage()).contains("record of part 1").contains("damaged");
        assertKind(() -> store.stat("b", "damaged"), ErrorKind.NOT_FOUND);
    }

    // ---- helpers ------------------------------------------------------------------------

    private static Payload slice(byte[] data, int part) {
        int from = part * PART;
        return Payload.ofBytes(data, from, Math.min(PART, data.length - from));
    }

    private byte[] read(String key) {
        try (ObjectContent content = store.get("b", key)) {
            return content.body().readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static StorageException expect(ErrorKind kind, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        StorageException e = catchThrowableOfType(StorageException.class, call);
        assertThat(e).as("expected a %s failure", kind).isNotNull();
        assertThat(e.kind()).isEqualTo(kind);
        return e;
    }

    private static void assertKind(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorKind kind) {
        expect(kind, call);
    }
}
