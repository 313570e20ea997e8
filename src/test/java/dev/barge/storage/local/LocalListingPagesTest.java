package dev.barge.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listing over many pages of one large directory walks it once: each page goes on from where the
 * last one stopped (the walk kept by its page token) instead of reading the whole directory again,
 * which cost a stat of every file per page (O(N²) for a flat directory of N files).
 */
class LocalListingPagesTest {
    private static final int FILES = 1_000;
    private static final int PAGE = 50;

    @TempDir
    Path root;

    private LocalObjectStore store;
    private Path flat;

    @BeforeEach
    void directory() throws IOException {
        store = new LocalObjectStore(root, 5 << 20, false, LocalMetadataMode.NONE);
        store.createBucket("b");
        flat = Files.createDirectories(root.resolve("b/flat"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(flat.resolve(name(i)), "x");
        }
    }

    private static String name(int i) {
        return String.format("object-%05d", i);
    }

    @Test
    void theNextPageGoesOnWithTheWalkInsteadOfReadingTheDirectoryAgain() throws IOException {
        ListPage first = store.list(ListRequest.of("b", "").withPageSize(PAGE));
        assertThat(store.walks().size()).as("the walk is kept for the next page").isEqualTo(1);
        assertThat(store.walks().names()).as("holding the names of the directories it is in: the bucket's, flat's")
                .isEqualTo(1 + FILES);

        // a file written after the walk read the directory is not in the walk (it read the directory
        // once), but any listing begun after the write lists it
        Files.writeString(flat.resolve("zzz-written-later"), "x");
        List<String> keys = new ArrayList<>(keys(first));
        for (ListPage page = first; page.truncated(); ) {
            page = store.list(ListRequest.of("b", "").withPageSize(PAGE).withPageToken(page.nextPageToken()));
            keys.addAll(keys(page));
        }
        assertThat(keys).as("every key once, in order").containsExactlyElementsOf(
                IntStream.range(0, FILES).mapToObj(i -> "flat/" + name(i)).toList());
        assertThat(store.walks().size()).as("a finished walk is not kept").isZero();

        assertThat(keysOfAListingFromTheStart()).contains("flat/zzz-written-later").hasSize(FILES + 1);
    }

    @Test
    void aFileDeletedAfterTheWalkReadItsDirectoryIsNotListed() throws IOException {
        ListPage first = store.list(ListRequest.of("b", "").withPageSize(PAGE));
        Files.delete(flat.resolve(name(PAGE))); // the one the first page looked at to know more follows
        Files.delete(flat.resolve(name(PAGE + 5)));
        Files.delete(flat.resolve(name(FILES - 1)));

        ListPage second = store.list(ListRequest.of("b", "").withPageSize(PAGE).withPageToken(first.nextPageToken()));

        assertThat(keys(second)).as("the next page's entries are looked at as it lists them")
                .doesNotContain("flat/" + name(PAGE), "flat/" + name(PAGE + 5))
                .contains("flat/" + name(PAGE + 1), "flat/" + name(PAGE + 6)).hasSize(PAGE);
        assertThat(second.objects()).allSatisfy(o -> assertThat(o.size()).isEqualTo(1));
        assertThat(keysOfAListingFromTheStart()).hasSize(FILES - 3).doesNotContain("flat/" + name(FILES - 1));
    }

    @Test
    void aPageTokenWhoseWalkIsGoneListsFromItsKeyAsBefore() {
        ListPage first = store.list(ListRequest.of("b", "").withPageSize(PAGE));
        // another listing of a different prefix cannot take the walk: it lists afresh, from the token's key
        ListPage other = store.list(ListRequest.of("b", "flat/").withPageSize(PAGE).withPageToken(first.nextPageToken()));
        assertThat(keys(other).get(0)).isEqualTo("flat/" + name(PAGE));
        // and the walk, handed out once, is gone: the same token lists afresh too, with the same answer
        ListPage again = store.list(ListRequest.of("b", "").withPageSize(PAGE).withPageToken(first.nextPageToken()));
        assertThat(keys(again)).isEqualTo(keys(other));
    }

    @Test
    void theWalksKeptHoldABoundedNumberOfNamesTheOldestDroppedFirst() {
        ListingSessions walks = new ListingSessions(FILES * 3 / 2);
        Path bucket = root.resolve("b");
        walks.pause("one", bucket, "", null, new LocalListing(flat, "", null, LocalListing.Bound.START));
        walks.pause("two", bucket, "", null, new LocalListing(flat, "", null, LocalListing.Bound.START));
        assertThat(walks.size()).as("two directories of %d names do not fit in %d", FILES, FILES * 3 / 2).isEqualTo(1);
        assertThat(walks.resume("one", bucket, "", null)).as("the oldest was dropped").isNull();
        assertThat(walks.resume("two", bucket, "", "/")).as("another listing (a delimiter) does not take it").isNull();
        assertThat(walks.names()).isZero();

        ListingSessions tooSmall = new ListingSessions(FILES - 1);
        tooSmall.pause("one", bucket, "", null, new LocalListing(flat, "", null, LocalListing.Bound.START));
        assertThat(tooSmall.size()).as("a directory larger than the bound is not held").isZero();
    }

    private List<String> keysOfAListingFromTheStart() {
        List<String> keys = new ArrayList<>();
        ListPage page = store.list(ListRequest.of("b", "").withPageSize(1000));
        keys.addAll(keys(page));
        while (page.truncated()) {
            page = store.list(ListRequest.of("b", "").withPageSize(1000).withPageToken(page.nextPageToken()));
            keys.addAll(keys(page));
        }
        return keys;
    }

    private static List<String> keys(ListPage page) {
        return page.objects().stream().map(ObjectInfo::key).toList();
    }
}
