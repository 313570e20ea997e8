package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.storage.ObjectInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** The listing reader refuses, before handing it out, a key that breaks the order every comparison relies on. */
class ListingOrderTest {
    private static ObjectListingItemReader reader(ScriptedListing store) {
        return new ObjectListingItemReaderBuilder().name("target").store(store).remote("dst").bucket("b").build();
    }

    private static List<String> readAll(ObjectListingItemReader reader, List<String> into) {
        ObjectInfo item;
        while ((item = reader.read()) != null) {
            into.add(item.key());
        }
        return into;
    }

    @Test
    void aKeyOutOfOrderWithinAPageStopsTheReaderBeforeAnyKeyOfThatPage() {
        ObjectListingItemReader reader = reader(ScriptedListing.pages(List.of(List.of("a", "c", "b", "d"))));

        assertThatThrownBy(() -> reader.open(new ExecutionContext()))
                .isInstanceOf(ListingOrderException.class)
                .hasMessageStartingWith("remote 'dst' listed 'b' after 'c' in bucket 'b'");
    }

    @Test
    void aKeyOutOfOrderAtAPageBoundaryStopsTheReaderBeforeIt() {
        ObjectListingItemReader reader = reader(ScriptedListing.pages(List.of(List.of("a", "c"), List.of("b", "d"))));
        reader.open(new ExecutionContext());
        List<String> read = new ArrayList<>();

        assertThatThrownBy(() -> readAll(reader, read)).isInstanceOf(ListingOrderException.class)
                .hasMessageContaining("listed 'b' after 'c'");
        assertThat(read).containsExactly("a", "c");
    }

    @Test
    void aKeyListedTwiceIsOutOfOrder() {
        ObjectListingItemReader reader = reader(ScriptedListing.pages(List.of(List.of("a", "b"), List.of("b", "c"))));
        reader.open(new ExecutionContext());

        assertThatThrownBy(() -> readAll(reader, new ArrayList<>())).isInstanceOf(ListingOrderException.class)
                .hasMessageContaining("listed 'b' after 'b'");
    }

    @Test
    void theUtf16OrderOfS3ProxyIsRefusedAndTheKeysAreShownReadably() {
        // by UTF-16 units the emoji (a surrogate pair, D83D DE00) sorts before U+FFFD; by UTF-8 bytes after
        ObjectListingItemReader reader = reader(ScriptedListing.pages(List.of(List.of("a\uD83D\uDE00", "a\uFFFD", "b"))));

        assertThatThrownBy(() -> reader.open(new ExecutionContext())).isInstanceOf(ListingOrderException.class)
                .hasMessageStartingWith("remote 'dst' listed 'a\\uFFFD' after 'a\uD83D\uDE00'");
    }

    @Test
    void keysInUtf8ByteOrderPassWhateverTheirCharacters() {
        List<String> keys = List.of("A", "a", "a\u00e9", "a\u4e2d", "a\uE000", "a\uFFFD", "a\uD83D\uDE00", "b");
        ObjectListingItemReader reader = reader(ScriptedListing.pages(List.of(keys.subList(0, 3), keys.subList(3, 8))));
        reader.open(new ExecutionContext());

        assertThat(readAll(reader, new ArrayList<>())).isEqualTo(keys);
    }

    @Test
    void aRestartedReaderRefusesAFirstKeyNotAfterTheOneItResumesFrom() {
        ScriptedListing store = ScriptedListing.sorted(List.of("a", "b", "c"), String::compareTo, 10);
        ObjectListingItemReader first = reader(store);
        first.open(new ExecutionContext());
        first.read();
        first.read();
        ExecutionContext saved = new ExecutionContext();
        first.update(saved);
        first.close();
        // the resumed listing, from "b", wrongly starts at "a"
        saved.putString("target.start.after", "z");

        assertThatThrownBy(() -> reader(store).open(saved)).isInstanceOf(ListingOrderException.class)
                .hasMessageContaining("listed 'a' after 'z'");
    }
}
