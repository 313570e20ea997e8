package dev.barge.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging files a killed writer left behind are removed by the next listing; a live writer's never. */
class StagingFilesTest {
    @TempDir
    Path root;

    /** The name a writer of this machine's boot with {@code pid} gives a staging file. */
    private static String stagingOf(long pid) throws IOException {
        String mine = StagingFiles.nextTo(Path.of("x")).getFileName().toString();
        String boot = mine.substring(LocalPaths.TEMP_PREFIX.length(), LocalPaths.TEMP_PREFIX.length() + 8);
        return LocalPaths.TEMP_PREFIX + boot + "-" + pid + "." + UUID.randomUUID();
    }

    private static long deadPid() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        return exited.pid();
    }

    private Path staging(Path dir, String name, Duration age) throws IOException {
        Path file = Files.writeString(dir.resolve(name), "half an object");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    @Test
    void aListingRemovesWhatDeadWritersLeftAndKeepsWhatLiveOnesFill() throws Exception {
        ObjectStore store = new LocalStoreProvider().open(RemoteConfig.local("disk", root));
        store.createBucket("b");
        store.put(PutRequest.builder("b", "dir/kept.txt").build(), Payload.ofBytes(new byte[] {1}));
        Path dir = root.resolve("b/dir");
        long dead = deadPid();
        Path deadAndOld = staging(dir, stagingOf(dead), Duration.ofMinutes(11));
        Path deadButRecent = staging(dir, stagingOf(dead), Duration.ofMinutes(2)); // another PID namespace, maybe
        Path aliveAndOld = staging(dir, stagingOf(ProcessHandle.current().pid()), Duration.ofHours(3));
        Path otherBootRecent = staging(dir, LocalPaths.TEMP_PREFIX + "0badb007-42." + UUID.randomUUID(),
                Duration.ofHours(3));
        Path otherBootOld = staging(dir, LocalPaths.TEMP_PREFIX + "0badb007-42." + UUID.randomUUID(),
                Duration.ofHours(25));
        Path olderBargeOld = staging(dir, LocalPaths.TEMP_PREFIX + UUID.randomUUID(), Duration.ofHours(25));

        assertThat(store.list(ListRequest.of("b", "")).objects()).extracting(ObjectInfo::key)
                .containsExactly("dir/kept.txt");

        assertThat(deadAndOld).doesNotExist();
        assertThat(otherBootOld).doesNotExist();
        assertThat(olderBargeOld).doesNotExist();
        assertThat(deadButRecent).exists();
        assertThat(aliveAndOld).exists();
        assertThat(otherBootRecent).exists();
        assertThat(root.resolve("b/dir/kept.txt")).exists();
    }

    @Test
    void aWriteStagesUnderItsOwnWriterName() throws IOException {
        String name = StagingFiles.nextTo(root.resolve("obj")).getFileName().toString();
        assertThat(name).startsWith(LocalPaths.TEMP_PREFIX).contains("-" + ProcessHandle.current().pid() + ".");
        assertThat(StagingFiles.isStale(name, Instant.EPOCH, Instant.now())).as("this process is alive").isFalse();
    }
}
