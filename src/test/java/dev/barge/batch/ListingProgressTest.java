package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.local.LocalStoreProvider;
import dev.barge.test.TempDirs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** The reader counts what it lists, page by page, and says when the count is the total. */
class ListingProgressTest {

    @Test
    void countsEachPageAsItArrivesAndIsCompleteAfterTheLast() throws Exception {
        Path root = TempDirs.create("barge-listing-progress-");
        try (ObjectStore store = new LocalStoreProvider().open(RemoteConfig.local("disk", root))) {
            store.createBucket("b");
            for (int i = 0; i < 25; i++) {
                store.put(PutRequest.builder("b", String.format("k%02d", i)).build(), Payload.ofBytes(new byte[i]));
            }
            ListingProgress progress = new ListingProgress();
            ObjectListingItemReader reader = new ObjectListingItemReaderBuilder().name("source").store(store)
                    .bucket("b").pageSize(10).progress(progress).build();

            reader.open(new ExecutionContext());
            assertThat(progress.objects()).as("after the first page").isEqualTo(10);
            assertThat(progress.complete()).isFalse();
            int read = 0;
            while (reader.read() != null) {
                read++;
            }
            reader.close();

            assertThat(read).isEqualTo(25);
            assertThat(progress.objects()).isEqualTo(25);
            assertThat(progress.bytes()).isEqualTo(24 * 25 / 2);
            assertThat(progress.complete()).isTrue();
        }
    }
}
