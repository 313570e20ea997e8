package dev.barge.storage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.Capabilities;
import dev.barge.storage.KeyOrder;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * A walked listing answers exactly what a flat listing answers, for any keys: directory markers
 * ({@code a/}), empty segments ({@code a//b}), keys that sort between a directory and its
 * contents ({@code a-b}, {@code a0}), non-ASCII; page by page and resumed from any key.
 */
class WalkingListingTest {

    /** S3's listing semantics over a sorted set of keys, at most {@code cap} entries a page. */
    private static final class SortedKeys extends ScriptedStore {
        final TreeSet<String> keys = new TreeSet<>(KeyOrder.UTF8);
        final AtomicInteger requests = new AtomicInteger();
        final int cap;

        SortedKeys(int cap) {
            this.cap = cap;
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.builder().listStartAfter(true).build();
        }

        @Override
        public ListPage list(ListRequest r) {
            requests.incrementAndGet();
            String after = r.startAfter() != null ? r.startAfter() : r.pageToken();
            List<ObjectInfo> objects = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            String last = null;
            for (String key : after == null ? keys : keys.tailSet(after, false)) {
                if (!key.startsWith(r.prefix())) {
                    if (KeyOrder.before(r.prefix(), key)) {
                        break;
                    }
                    continue;
                }
                int slash = r.delimiter() == null ? -1 : key.indexOf(r.delimiter(), r.prefix().length());
                String entry = slash < 0 ? key : key.substring(0, slash + 1);
                if (slash >= 0 && !prefixes.isEmpty() && prefixes.get(prefixes.size() - 1).equals(entry)) {
                    last = key;
                    continue;
                }
                if (objects.size() + prefixes.size() == Math.min(cap, r.pageSize())) {
                    return new ListPage(objects, prefixes, last);
                }
                if (slash < 0) {
                    objects.add(ScriptedStore.info(key, key.length()));
                } else {
                    prefixes.add(entry);
                }
                last = key;
            }
            return new ListPage(objects, prefixes, null);
        }
    }

    private static List<String> walk(WalkingListing walking, String prefix, String startAfter, int pageSize) {
        List<String> keys = new ArrayList<>();
        ListRequest request = ListRequest.of("b", prefix).withPageSize(pageSize);
        if (startAfter != null) {
            request = request.withStartAfter(startAfter);
        }
        while (true) {
            ListPage page = walking.list(request);
            assertThat(page.objects().size()).isLessThanOrEqualTo(pageSize);
            page.objects().forEach(o -> keys.add(o.key()));
            if (!page.truncated()) {
                return keys;
            }
            request = request.next(page);
        }
    }

    private static List<String> expected(SortedKeys store, String prefix, String startAfter) {
        return store.keys.stream().filter(k -> k.startsWith(prefix))
                .filter(k -> startAfter == null || KeyOrder.before(startAfter, k)).toList();
    }

    @Test
    void trickilyNamedKeysComeOutInFlatOrder() {
        SortedKeys store = new SortedKeys(2);
        store.keys.addAll(List.of("a", "a-b", "a/", "a//b", "a/b", "a/b/c", "a/c", "a0", "b/\u00e9/x", "b/e", "c"));
        WalkingListing walking = new WalkingListing(store);

        assertThat(walk(walking, "", null, 3)).containsExactlyElementsOf(expected(store, "", null));
        assertThat(walk(walking, "a", null, 1000)).containsExactlyElementsOf(expected(store, "a", null));
        assertThat(walk(walking, "a/", "a/b", 2)).containsExactly("a/b/c", "a/c");
        assertThat(walk(walking, "", "a/b/c", 1000)).containsExactly("a/c", "a0", "b/e", "b/\u00e9/x", "c");
    }

    @RepeatedTest(40)
    void anyKeysAnyPageSizeAnyResumePointGiveTheFlatListing(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        SortedKeys store = new SortedKeys(1 + random.nextInt(4));
        String alphabet = "ab/-0\u00e9";
        int count = random.nextInt(60);
        for (int i = 0; i < count; i++) {
            StringBuilder key = new StringBuilder();
            for (int n = 1 + random.nextInt(7); n > 0; n--) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            store.keys.add(key.toString());
        }
        WalkingListing walking = new WalkingListing(store);
        String prefix = random.nextBoolean() ? "" : random.nextBoolean() ? "a/" : "a";
        List<String> all = new ArrayList<>(store.keys);
        String resume = all.isEmpty() || random.nextBoolean() ? null : all.get(random.nextInt(all.size()));
        int pageSize = 1 + random.nextInt(5);

        assertThat(walk(walking, prefix, resume, pageSize)).as("keys %s, prefix %s, after %s, page %d", all, prefix,
                resume, pageSize).containsExactlyElementsOf(expected(store, prefix, resume));
    }

    @Test
    void aListingWithADelimiterGoesThroughUnchanged() {
        SortedKeys store = new SortedKeys(1000);
        store.keys.addAll(List.of("a/x", "b"));
        ListPage page = new WalkingListing(store).list(ListRequest.of("b", "").withDelimiter("/"));
        assertThat(page.commonPrefixes()).containsExactly("a/");
        assertThat(page.objects()).extracting(ObjectInfo::key).containsExactly("b");
        assertThat(store.requests).hasValue(1);
    }
}
