package dev.barge.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.ByteRange;
import dev.barge.storage.Checksum;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.WriteResult;
import dev.barge.test.TempDirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.util.FileSystemUtils;

/**
 * A 100 MiB object through S3Proxy (on disk): up as a put of unknown length, which the driver
 * sends as a multipart upload of 16 MiB parts held one at a time; copied with parallel
 * UploadPartCopy (the copy threshold lowered to 16 MiB); read back and compared by MD5 with the
 * bytes generated, which are never held in memory whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class S3LargeObjectTest {
    private static final long SIZE = 100L << 20;
    private static final long PART = 16L << 20;
    private static final long SEED = 20261121L;
    private static final String BUCKET = "large-objects";

    private Path directory;
    private S3ProxyServer server;
    private ObjectStore store;

    @BeforeAll
    void start() throws Exception {
        directory = TempDirs.create("barge-s3-large-");
        server = S3ProxyServer.onDisk(directory);
        store = new S3StoreProvider().open(server.remote("large", S3ProxyServer.SECRET_KEY, Map.of(
                "multipart-upload-part-size", "16MB",
                "multipart-copy-threshold", "16MB",
                "multipart-copy-part-size", "16MB",
                "multipart-copy-concurrency", "4")));
        store.createBucket(BUCKET);
    }

    @AfterAll
    void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
        FileSystemUtils.deleteRecursively(directory);
    }

    @Test
    void aHundredMebibytesGoUpInPartsAreCopiedInPartsAndComeBackIntact() throws IOException {
        SeededBytes generated = new SeededBytes(SEED, SIZE);
        WriteResult written = store.put(PutRequest.builder(BUCKET, "big/original.bin")
                        .contentType("application/x-barge-test").userMetadata(Map.of("origin", "generated")).build(),
                Payload.ofStream(generated, Payload.UNKNOWN_LENGTH));
        String expectedMd5 = generated.md5();

        assertThat(written.etag()).as("a multipart etag").endsWith("-7");
        assertThat(written.checksums()).as("a multipart etag is no MD5").isEmpty();
        ObjectInfo original = store.stat(BUCKET, "big/original.bin");
        assertThat(original.size()).isEqualTo(SIZE);
        assertThat(original.checksums()).isEmpty();
        assertThat(md5Of("big/original.bin")).isEqualTo(expectedMd5);

        // (S3Proxy keeps no storage class given to a multipart upload: S3ProtocolTest checks it is sent)
        WriteResult copied = store.copy(CopyRequest.of(BUCKET, "big/original.bin", BUCKET, "big/copy.bin"));

        assertThat(copied.etag()).as("copied in 7 parts of 16 MiB").endsWith("-7");
        ObjectInfo copy = store.stat(BUCKET, "big/copy.bin");
        assertThat(copy.size()).isEqualTo(SIZE);
        assertThat(copy.contentType()).isEqualTo("application/x-barge-test");
        assertThat(copy.userMetadata()).containsEntry("origin", "generated");
        assertThat(md5Of("big/copy.bin")).as("MD5 end to end").isEqualTo(expectedMd5);

        // across the boundary of parts 1 and 2, to see the parts are in order
        try (ObjectContent content = store.get(BUCKET, "big/copy.bin", ByteRange.of(PART - 8, PART + 7))) {
            byte[] expected = new SeededBytes(SEED, PART + 8).readAllBytes();
            assertThat(content.body().readAllBytes())
                    .isEqualTo(java.util.Arrays.copyOfRange(expected, (int) PART - 8, (int) PART + 8));
        }
        assertThat(store.deleteAll(BUCKET, List.of("big/original.bin", "big/copy.bin")).isComplete()).isTrue();
    }

    @Test
    void aStreamWithAWrongExpectedMd5LeavesNothingBehind() {
        String wrong = "0123456789abcdef0123456789abcdef";
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> store.put(
                PutRequest.builder(BUCKET, "big/checked.bin").expectedChecksums(List.of(Checksum.md5Hex(wrong))).build(),
                Payload.ofStream(new SeededBytes(SEED, 2 * PART + 1), Payload.UNKNOWN_LENGTH)));

        assertThat(thrown).isInstanceOfSatisfying(dev.barge.storage.StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(dev.barge.storage.ErrorKind.CHECKSUM_MISMATCH));
        assertThat(store.list(dev.barge.storage.ListRequest.of(BUCKET, "big/checked")).objects()).isEmpty();
    }

    private String md5Of(String key) throws IOException {
        MessageDigest md5 = md5();
        try (ObjectContent content = store.get(BUCKET, key);
                InputStream in = new DigestInputStream(content.body(), md5)) {
            assertThat(in.transferTo(OutputStream.nullOutputStream())).isEqualTo(SIZE);
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code length} pseudo-random bytes from a seed, generated as they are read; remembers their MD5. */
    private static final class SeededBytes extends InputStream {
        private final Random random;
        private final MessageDigest digest = S3LargeObjectTest.md5();
        private final byte[] chunk = new byte[64 * 1024];
        private long remaining;
        private int chunkPosition = chunk.length;

        SeededBytes(long seed, long length) {
            this.random = new Random(seed);
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            if (chunkPosition == chunk.length) {
                random.nextBytes(chunk);
                chunkPosition = 0;
            }
            int n = (int) Math.min(Math.min(len, chunk.length - chunkPosition), remaining);
            System.arraycopy(chunk, chunkPosition, b, off, n);
            digest.update(chunk, chunkPosition, n);
            chunkPosition += n;
            remaining -= n;
            return n;
        }

        String md5() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
