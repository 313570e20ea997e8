package dev.barge.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.storage.CompletedPart;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multipart uploads a killed process left in {@code .barge.uploads/} are removed by a later upload
 * to the same bucket, by the rules staging files follow; an upload whose writer runs, or may still
 * run, is never touched.
 */
class AbandonedUploadsTest {
    @TempDir
    Path root;

    private ObjectStore open() {
        return new LocalStoreProvider().open(RemoteConfig.local("disk", root));
    }

    private static long deadPid() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        return exited.pid();
    }

    private Path uploadDir(MultipartUpload upload) {
        return root.resolve("b").resolve(LocalPaths.UPLOADS_DIR).resolve(upload.uploadId());
    }

    /** An upload with one part staged, then made to look as if {@code writer} left it {@code age} ago. */
    private MultipartUpload leftBy(ObjectStore store, String key, String writer, Duration age) throws IOException {
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder("b", key).build(), 8);
        store.uploadPart(upload, 1, Payload.ofBytes(new byte[8]));
        Path dir = uploadDir(upload);
        Path descriptor = dir.resolve("upload.properties");
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(descriptor, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        assertThat(p.getProperty("writer")).as("a new upload names its writer").isEqualTo(StagingFiles.writer());
        if (writer == null) {
            p.remove("writer");
        } else {
            p.setProperty("writer", writer);
        }
        try (Writer out = Files.newBufferedWriter(descriptor, StandardCharsets.UTF_8)) {
            p.store(out, null);
        }
        FileTime then = FileTime.from(Instant.now().minus(age));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, then);
            }
        }
        Files.setLastModifiedTime(dir, then);
        return upload;
    }

    @Test
    void theNextUploadToTheBucketRemovesWhatDeadWritersLeftAndNothingElse() throws Exception {
        String boot = StagingFiles.writer().substring(0, 8);
        String dead = boot + "-" + deadPid();
        MultipartUpload deadAndOld;
        MultipartUpload deadButRecent;
        MultipartUpload aliveAndOld;
        MultipartUpload otherBootRecent;
        MultipartUpload otherBootOld;
        MultipartUpload olderBargeOld;
        MultipartUpload live;
        try (ObjectStore crashed = open()) {
            crashed.createBucket("b");
            deadAndOld = leftBy(crashed, "dead-old", dead, Duration.ofMinutes(11));
            deadButRecent = leftBy(crashed, "dead-recent", dead, Duration.ofMinutes(2)); // another PID namespace, maybe
            aliveAndOld = leftBy(crashed, "alive-old", StagingFiles.writer(), Duration.ofHours(3));
            otherBootRecent = leftBy(crashed, "other-boot-recent", "0badb007-42", Duration.ofHours(3));
            otherBootOld = leftBy(crashed, "other-boot-old", "0badb007-42", Duration.ofHours(25));
            olderBargeOld = leftBy(crashed, "older-barge-old", null, Duration.ofHours(25));
            live = crashed.initiateMultipart(PutRequest.builder("b", "live").build(), 8);
        }

        try (ObjectStore rerun = open()) {
            MultipartUpload next = rerun.initiateMultipart(PutRequest.builder("b", "next").build(), 8);

            assertThat(uploadDir(deadAndOld)).doesNotExist();
            assertThat(uploadDir(otherBootOld)).doesNotExist();
            assertThat(uploadDir(olderBargeOld)).doesNotExist();
            assertThat(uploadDir(deadButRecent)).isDirectory();
            assertThat(uploadDir(aliveAndOld)).isDirectory();
            assertThat(uploadDir(otherBootRecent)).isDirectory();
            assertThat(uploadDir(live)).isDirectory();
            assertThat(uploadDir(next)).isDirectory();

            // the live upload goes on as if nothing happened; a removed one fails as gone, naming it
            CompletedPart part = rerun.uploadPart(live, 1, Payload.ofBytes(new byte[] {1, 2, 3}));
            rerun.completeMultipart(live, List.of(part));
            assertThat(Files.readAllBytes(root.resolve("b/live"))).containsExactly(1, 2, 3);
            assertThatThrownBy(() -> rerun.uploadPart(deadAndOld, 2, Payload.ofBytes(new byte[] {1})))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                        assertThat(e.getMessage()).contains(deadAndOld.uploadId());
                    });
        }
        assertThat(root.resolve("b/dead-old")).doesNotExist(); // never taken for an object either way
    }

    @Test
    void aBucketWithoutStagedUploadsIsSweptQuietly() throws Exception {
        try (ObjectStore store = open()) {
            store.createBucket("b");
            MultipartUpload upload = store.initiateMultipart(PutRequest.builder("b", "k").build(), 0);
            CompletedPart part = store.uploadPart(upload, 1, Payload.ofBytes(new byte[] {7}));
            store.completeMultipart(upload, List.of(part));
            assertThat(root.resolve("b").resolve(LocalPaths.UPLOADS_DIR)).doesNotExist();
            assertThat(Files.readAllBytes(root.resolve("b/k"))).containsExactly(7);
        }
    }
}
