package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.storage.Capabilities;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.layer.ObjectStoreLayer;
import dev.barge.storage.local.LocalStoreProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Restart behaviour in the manner of Spring Batch's {@code AbstractItemStreamItemReaderTests}
 * (restart, reset and restart, reopen), for stores that list from a key and for stores that only
 * follow page tokens.
 */
class ObjectListingItemReaderTest {
    private static final List<String> KEYS = IntStream.range(0, 25).mapToObj(i -> String.format("k%02d", i)).toList();

    @TempDir
    Path root;

    private ObjectStore local;
    private final AtomicInteger listings = new AtomicInteger();
    private final List<Integer> pageSizes = new ArrayList<>();

    @BeforeEach
    void fill() {
        local = new LocalStoreProvider().open(RemoteConfig.local("disk", root).withOption("sync", "false"));
        local.createBucket("b");
        for (String key : KEYS) {
            local.put(PutRequest.builder("b", key).build(), Payload.ofBytes(key.getBytes()));
        }
        local.put(PutRequest.builder("b", "other/x").build(), Payload.ofBytes(new byte[1]));
    }

    /** The local store, listing only from page tokens when {@code byKey} is false, counting listings. */
    private ObjectStore store(boolean byKey) {
        return new ObjectStoreLayer(local) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                T result = action.get();
                if (result instanceof ListPage page) {
                    listings.incrementAndGet();
                    pageSizes.add(page.objects().size());
                }
                return result;
            }

            @Override
            public Capabilities capabilities() {
                return byKey ? local.capabilities() : Capabilities.builder().listStartAfter(false).build();
            }

            @Override
            public ListPage list(ListRequest request) {
                if (!byKey && request.startAfter() != null) {
                    throw new AssertionError("start-after used on a store without it");
                }
                return super.list(request);
            }
        };
    }

    private ObjectListingItemReader reader(boolean byKey) {
        return new ObjectListingItemReaderBuilder().name("source").store(store(byKey)).bucket("b").prefix("k")
                .pageSize(4).build();
    }

    private static List<String> read(ObjectListingItemReader reader, int count) {
        List<String> keys = new ArrayList<>();
        ObjectInfo item;
        while (keys.size() < count && (item = reader.read()) != null) {
            keys.add(item.key());
        }
        return keys;
    }

    @ParameterizedTest(name = "list from key: {0}")
    @ValueSource(booleans = {true, false})
    void readsEveryObjectOncePageByPage(boolean byKey) {
        ObjectListingItemReader reader = reader(byKey);
        reader.open(new ExecutionContext());

        assertThat(read(reader, 100)).containsExactlyElementsOf(KEYS);
        assertThat(reader.read()).isNull();
        assertThat(listings).hasValue(7);
        assertThat(pageSizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(4));
    }

    private ObjectListingItemReader reader(boolean byKey, KeyRange range) {
        return new ObjectListingItemReaderBuilder().name("source").store(store(byKey)).bucket("b").prefix("k")
                .pageSize(4).range(range).build();
    }

    @ParameterizedTest(name = "list from key: {0}")
    @ValueSource(booleans = {true, false})
    void theRangesOfASplitTogetherReadEveryKeyOnce(boolean byKey) {
        // relative to the prefix "k"; "105" and "2" fall between keys, "~" after all of them
        List<KeyRange> ranges = KeyRange.split(List.of("03", "105", "11", "17", "2", "~"), 4);
        assertThat(ranges).hasSize(4);

        List<String> all = new ArrayList<>();
        for (KeyRange range : ranges) {
            ObjectListingItemReader reader = reader(byKey, range);
            reader.open(new ExecutionContext());
            List<String> keys = read(reader, 100);
            assertThat(keys).allSatisfy(key -> assertThat(range.contains(key.substring(1))).as(key).isTrue());
            all.addAll(keys);
            reader.close();
        }

        assertThat(all).containsExactlyElementsOf(KEYS);
    }

    @Test
    void aRangeListsFromItsStartAndStopsAfterItsEnd() {
        ObjectListingItemReader reader = reader(true, new KeyRange("09", "14"));
        reader.open(new ExecutionContext());

        assertThat(read(reader, 100)).containsExactly("k10", "k11", "k12", "k13", "k14");
        // from k09 on: k10-k13, then k14-k17, which passes the end: no third page
        assertThat(listings).hasValue(2);
    }

    @ParameterizedTest(name = "list from key: {0}")
    @ValueSource(booleans = {true, false})
    void aRangeResumesWithinItself(boolean byKey) {
        KeyRange range = new KeyRange("04", "19");
        ExecutionContext context = new ExecutionContext();
        ObjectListingItemReader first = reader(byKey, range);
        first.open(context);
        List<String> before = read(first, 7);
        first.update(context);
        first.close();

        ObjectListingItemReader second = reader(byKey, range);
        second.open(context);
        List<String> after = read(second, 100);

        assertThat(before).containsExactlyElementsOf(KEYS.subList(5, 12));
        assertThat(after).containsExactlyElementsOf(KEYS.subList(12, 20));
    }

    @ParameterizedTest(name = "list from key: {0}")
    @ValueSource(booleans = {true, false})
    void restartsAfterTheLastSavedObject(boolean byKey) {
        ExecutionContext context = new ExecutionContext();
        ObjectListingItemReader first = reader(byKey);
        first.open(context);
        List<String> before = read(first, 6);
        first.update(context);
        first.close();

        ObjectListingItemReader second = reader(byKey);
        second.open(context);
        List<String> after = read(second, 100);

        assertThat(before).containsExactlyElementsOf(KEYS.subList(0, 6));
        assertThat(after).containsExactlyElementsOf(KEYS.subList(6, KEYS.size()));
        assertThat(context.getString("source." + ObjectListingItemReader.START_AFTER)).isEqualTo("k05");
        assertThat(context.containsKey("source." + ObjectListingItemReader.PAGE_OFFSET)).isEqualTo(!byKey);
    }

    @ParameterizedTest(name = "list from key: {0}")
    @ValueSource(booleans = {true, false})
    void objectsDeletedBehindTheSavedPositionDoNotShiftIt(boolean byKey) {
        ExecutionContext context = new ExecutionContext();
        ObjectListingItemReader first = reader(byKey);
        first.open(context);
        List<String> before = read(first, 6); // k00..k05: the second page (k04..k07) is half handed out
        first.update(context);
        first.close();
        for (String key : before) {
            local.delete("b", key); // what a delete job did with them before it stopped
        }

        ObjectListingItemReader second = reader(byKey);
        second.open(context);

        assertThat(read(second, 100)).containsExactlyElementsOf(KEYS.subList(6, KEYS.size()));
    }

    @ParameterizedTest(name = "list from key: {0}")
    @ValueSource(booleans = {true, false})
    void resetAndRestartRereadsWhatWasNotSaved(boolean byKey) {
        ExecutionContext context = new ExecutionContext();
        ObjectListingItemReader first = reader(byKey);
        first.open(context);
        read(first, 5);
        first.update(context);
        read(first, 7); // read but never committed
        first.close();

        ObjectListingItemReader second = reader(byKey);
        second.open(context);

        assertThat(read(second, 100)).containsExactlyElementsOf(KEYS.subList(5, KEYS.size()));
    }

    @ParameterizedTest(name = "list from key: {0}")
    @ValueSource(booleans = {true, false})
    void reopensTheSameInstance(boolean byKey) {
        ExecutionContext context = new ExecutionContext();
        ObjectListingItemReader reader = reader(byKey);
        reader.open(context);
        read(reader, 9);
        reader.update(context);
        reader.close();

        reader.open(context);

        assertThat(read(reader, 100)).containsExactlyElementsOf(KEYS.subList(9, KEYS.size()));
    }

    @Test
    void resumesAtTheKeyEvenWhenEarlierObjectsChangedBetweenRuns() {
        ExecutionContext context = new ExecutionContext();
        ObjectListingItemReader first = reader(true);
        first.open(context);
        read(first, 6);
        first.update(context);
        first.close();

        local.delete("b", "k01");
        local.delete("b", "k02");
        local.put(PutRequest.builder("b", "k00a").build(), Payload.ofBytes(new byte[1]));
        ObjectListingItemReader second = reader(true);
        second.open(context);

        assertThat(read(second, 1)).containsExactly("k06");
    }

    @Test
    void anEmptyListingEndsAtOnce() {
        ObjectListingItemReader reader = new ObjectListingItemReaderBuilder().name("empty").store(local).bucket("b")
                .prefix("nothing/").build();
        reader.open(new ExecutionContext());
        assertThat(reader.read()).isNull();
    }

    @Test
    void theBuilderNamesWhatIsMissing() {
        assertThatThrownBy(() -> new ObjectListingItemReaderBuilder().store(local).bucket("b").build())
                .hasMessageContaining("name is required");
        assertThatThrownBy(() -> new ObjectListingItemReaderBuilder().name("r").bucket("b").build())
                .hasMessageContaining("store is required");
        assertThatThrownBy(() -> new ObjectListingItemReaderBuilder().name("r").store(local).build())
                .hasMessageContaining("bucket is required");
        assertThatThrownBy(() -> new ObjectListingItemReaderBuilder().name("r").store(local).bucket("b").pageSize(0).build())
                .hasMessageContaining("pageSize");
    }

    @Test
    void readingBeforeOpeningIsAnError() {
        assertThatThrownBy(() -> reader(true).read()).hasMessageContaining("not opened");
    }
}
