package dev.barge.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code options.sync: true} every write's data is forced before the rename that makes it
 * visible, and the directories the renames changed are forced once each by {@code sync()}, which a
 * job calls before it commits a chunk: counted here through the store's durability seam.
 */
class LocalDurabilityTest {
    @TempDir
    Path root;

    /** Every force, in order: "file NAME" (whether the object is visible yet) and "dir PATH". */
    private final List<String> forced = new CopyOnWriteArrayList<>();
    private volatile IOException failDirectories;

    private final LocalObjectStore.Durability counting = new LocalObjectStore.Durability() {
        @Override
        public void forceFile(Path file, java.nio.channels.FileChannel open) {
            forced.add("file " + file.getFileName().toString().startsWith(LocalPaths.TEMP_PREFIX));
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            if (failDirectories != null) {
                throw failDirectories;
            }
            forced.add("dir " + root.relativize(dir));
        }
    };

    private LocalObjectStore store(boolean sync) {
        LocalObjectStore store = new LocalObjectStore(root, 5 << 20, sync, LocalMetadataMode.AUTO, counting);
        store.createBucket("b");
        return store;
    }

    private static void put(LocalObjectStore store, String key) {
        store.put(PutRequest.builder("b", key).build(), Payload.ofBytes(key.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> drain() {
        List<String> all = new ArrayList<>(forced);
        forced.clear();
        return all;
    }

    @Test
    void eachFilesDataIsForcedBeforeItIsVisibleAndEachChangedDirectoryOnceAtTheSync() throws IOException {
        LocalObjectStore store = store(true);
        drain();

        put(store, "a/1.txt");
        put(store, "a/2.txt");
        put(store, "x/y/3.txt");

        assertThat(drain()).as("three files, each forced while still a temporary file; no directory yet")
                .containsExactly("file true", "file true", "file true");
        assertThat(Files.readString(root.resolve("b/a/1.txt"))).isEqualTo("a/1.txt");

        store.sync();

        assertThat(drain()).as("the changed directories, once each: new ones and the parents that gained them")
                .containsExactlyInAnyOrder("dir b/a", "dir b/x/y", "dir b/x", "dir b");
        store.sync();
        assertThat(drain()).as("nothing written since").isEmpty();

        put(store, "a/4.txt");
        store.sync();
        assertThat(drain()).containsExactly("file true", "dir b/a");
    }

    @Test
    void withoutSyncNothingIsForced() {
        LocalObjectStore store = store(false);

        put(store, "a/1.txt");
        store.sync();

        assertThat(forced).isEmpty();
        assertThat(root.resolve("b/a/1.txt")).hasContent("a/1.txt");
    }

    @Test
    void aDirectoryThatCannotBeForcedFailsTheSyncAndIsForcedAtTheNext() {
        LocalObjectStore store = store(true);
        put(store, "a/1.txt");
        drain();
        failDirectories = new IOException("Input/output error");

        assertThatThrownBy(store::sync).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.getMessage()).contains("could not make the writes in", "Input/output error",
                    "not counted as done");
        });

        failDirectories = null;
        store.sync();
        assertThat(drain()).contains("dir b/a");
    }
}
