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

/** The reader counts what it lists, page by page, and says when the count is the total; and reads ahead. */
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

    @Test
    void readAheadRequestsTheNextPageBeforeItIsNeededAndHandsOutTheSameObjects() throws Exception {
        Path root = TempDirs.create("barge-read-ahead-");
        try (ObjectStore store = new LocalStoreProvider().open(RemoteConfig.local("disk", root))) {
            store.createBucket("b");
            for (int i = 0; i < 25; i++) {
                store.put(PutRequest.builder("b", String.format("k%02d", i)).build(), Payload.ofBytes(new byte[1]));
            }
            java.util.concurrent.atomic.AtomicInteger requested = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.Executor counting = command -> {
                requested.incrementAndGet();
                command.run();
            };
            ObjectListingItemReader reader = new ObjectListingItemReaderBuilder().name("source").store(store)
                    .bucket("b").pageSize(10).readAhead(counting).build();

            reader.open(new ExecutionContext());
            assertThat(requested).as("the second page, asked for with the first").hasValue(1);
            java.util.List<String> keys = new java.util.ArrayList<>();
            for (dev.barge.storage.ObjectInfo o; (o = reader.read()) != null; ) {
                keys.add(o.key());
            }
            reader.close();

            assertThat(requested).as("pages 2 and 3 ahead; none after the last").hasValue(2);
            assertThat(keys).hasSize(25).isSorted().first().isEqualTo("k00");
        }
    }
}
