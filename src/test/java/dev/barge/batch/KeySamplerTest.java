package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.KeyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * The sampler finds keys spread through the keyspace with a bounded number of listings, and the
 * ranges split from its sample partition every keyspace (flat, prefixed, skewed, non-ASCII); a
 * large flat keyspace splits about evenly.
 */
class KeySamplerTest {

    @Test
    void rangesFromTheSampleHoldEveryKeyOnceForAnyKeyspace() {
        Random random = new Random(20261203);
        for (int trial = 0; trial < 300; trial++) {
            List<String> keyspace = new ArrayList<>(KeyRangeTest.keyspace(random));
            // larger keyspaces too, so that the sampler has to probe rather than list them whole
            for (int i = 0, extra = random.nextInt(3) * 400; i < extra; i++) {
                keyspace.add(KeyRangeTest.key(random, KeyRangeTest.ALPHABET, 1 + random.nextInt(10)));
            }
            int partitions = 2 + random.nextInt(15);
            ScriptedListing store = ScriptedListing.keyspace(keyspace);

            SortedMap<String, Long> sample = new KeySampler(store, "b", "").sample(partitions);
            List<KeyRange> ranges = KeyRange.split(sample, partitions);

            // keys listed weigh one; only the lower ends of unprobed intervals weigh more
            sample.forEach((key, weight) -> assertThat(weight == KeySampler.PROBE_PAGE || keyspace.contains(key))
                    .as("%s weighs %d", Keys.quote(key), weight).isTrue());
            for (String key : keyspace) {
                assertThat(ranges.stream().filter(r -> r.contains(key)).count())
                        .as("ranges holding %s of %s", Keys.quote(key), ranges).isEqualTo(1);
            }
            assertThat(store.listings()).as("listings for %d partitions", partitions)
                    .isLessThanOrEqualTo(1 + 22 + Math.min(256, Math.max(32, 8 * partitions)));
        }
    }

    @Test
    void aKeyspaceOfOnePageIsSampledWhole() {
        List<String> keys = List.of("a", "b/c", "b/d", "\u4e2d");
        ScriptedListing store = ScriptedListing.keyspace(keys);

        assertThat(new KeySampler(store, "b", "").sample(4)).containsOnlyKeys(keys).containsValue(1L)
                .doesNotContainValue((long) KeySampler.PROBE_PAGE);
        assertThat(store.listings()).isEqualTo(1);
    }

    @Test
    void aKeyspaceOfUpToAFullPageCostsOneListing() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < KeySampler.FIRST_PAGE; i++) {
            keys.add(String.format("k%04d", i));
        }
        ScriptedListing store = ScriptedListing.keyspace(keys);

        assertThat(new KeySampler(store, "b", "").sample(16)).hasSize(KeySampler.FIRST_PAGE).containsOnlyKeys(keys);
        assertThat(store.listings()).isEqualTo(1);
    }

    @Test
    void oneRangeWhenOneIsAskedForOrTheStoreCannotListFromAKey() {
        assertThat(new KeySampler(ScriptedListing.keyspace(List.of("a", "b")), "b", "").sample(1)).isEmpty();
        assertThat(new KeySampler(ScriptedListing.pages(List.of(List.of("a"), List.of("b"))), "b", "").sample(8))
                .isEmpty();
    }

    @Test
    void aLargeFlatKeyspaceSplitsIntoRangesOfComparableSize() {
        // the benchmark's shape: 300 directories of numbered objects
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            keys.add(String.format("d%03d/object-%07d", i % 300, i));
        }
        ScriptedListing store = ScriptedListing.keyspace(keys);

        List<KeyRange> ranges = KeyRange.split(new KeySampler(store, "b", "").sample(4), 4);

        assertThat(ranges).hasSize(4);
        for (KeyRange range : ranges) {
            assertThat(keys.stream().filter(range::contains).count()).as("%s", range)
                    .isBetween(3_000L, 12_000L);
        }
    }

    @Test
    void aLargeFlatDirectoryOfNumberedKeysSplitsIntoRangesOfAboutEqualSize() {
        // bench/run.sh case h: 100,000 keys in one directory, sharing a long prefix. Bisected in
        // base 128 from a loose bound ("e"), these used to fall into 15 ranges of 88 to 10,000 keys
        // for 16 partitions, and into one range of 99,925 for 4.
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            keys.add(String.format("d000/object-%07d", i));
        }
        for (int partitions : new int[] {4, 16}) {
            ScriptedListing store = ScriptedListing.keyspace(keys);

            List<KeyRange> ranges = KeyRange.split(new KeySampler(store, "b", "").sample(partitions), partitions);

            assertThat(ranges).hasSize(partitions);
            long mean = keys.size() / partitions;
            for (KeyRange range : ranges) {
                assertThat(keys.stream().filter(range::contains).count()).as("%s of %d", range, partitions)
                        .isBetween(mean * 3 / 4, mean * 5 / 4);
            }
            assertThat(store.listings()).as("listings for %d partitions", partitions)
                    .isLessThanOrEqualTo(1 + KeySampler.PARALLEL_PROBES + Math.min(256, Math.max(32, 8 * partitions)));
        }
    }

    @Test
    void theEndOfAKeyspaceSharingAPrefixIsBoundedByThatPrefix() {
        assertThat(KeySampler.prefixBounds("d000/object-0000000", "d000/object-0000999"))
                .startsWith("e", "d1", "d01", "d001").contains("d000/object-01", "d000/object-0001")
                .hasSize(16);
        assertThat(KeySampler.prefixBounds("a", "b")).isEmpty();
        // longer than sixteen code points: sixteen lengths spread over it, the first and the whole among them
        String prefix = "x".repeat(40);
        assertThat(KeySampler.prefixBounds(prefix + "1", prefix + "2")).hasSize(16)
                .contains("y", "x".repeat(39) + "y");
    }

    @Test
    void aMidpointInAnAlphabetLiesStrictlyBetweenItsEnds() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            String[] pair = orderedPair(random);
            if (pair == null) {
                continue;
            }
            String low = pair[0];
            String high = pair[1];
            int first = KeyRangeTest.ALPHABET[random.nextInt(KeyRangeTest.ALPHABET.length)].codePointAt(0);
            int last = random.nextBoolean() ? Math.min(first + random.nextInt(100), Character.MAX_CODE_POINT)
                    : KeyRangeTest.ALPHABET[random.nextInt(KeyRangeTest.ALPHABET.length)].codePointAt(0);
            String middle = KeySampler.midpoint(low, high, first, last);
            if (middle != null) {
                assertThat(KeyOrder.before(low, middle) && KeyOrder.before(middle, high))
                        .as("%s < %s < %s in %x..%x", Keys.quote(low), Keys.quote(middle), Keys.quote(high), first,
                                last).isTrue();
                assertThat(middle.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)).isTrue();
            }
        }
        // decimal numbers are halved as numbers
        assertThat(KeySampler.midpoint("k0000", "k1", '0', '9')).isEqualTo("k05");
        assertThat(KeySampler.alphabet(List.of("d000/object-0000000", "d000/object-0000999"))).containsExactly('0', '9');
    }

    @Test
    void theProbesOfOneLevelAreListedAtOnce() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            keys.add(String.format("d%03d/object-%07d", i % 300, i));
        }
        ScriptedListing store = ScriptedListing.keyspace(keys);

        new KeySampler(store, "b", "").sample(16);

        // a pool makes a thread for each probe submitted until it has its sixteen, so a level of several
        // probes is listed on several threads
        assertThat(store.listingThreads().stream().filter(thread -> thread.startsWith("barge-key-sampler#")).count())
                .as("probing threads in %s", store.listingThreads()).isGreaterThan(1);
        assertThat(store.listings()).isGreaterThan(KeySampler.PARALLEL_PROBES);
    }

    @Test
    void aMidpointLiesStrictlyBetweenItsEnds() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String[] pair = orderedPair(random);
            if (pair == null) {
                continue;
            }
            String low = pair[0];
            String high = pair[1];
            String middle = KeySampler.midpoint(low, high);
            if (middle != null) {
                assertThat(KeyOrder.before(low, middle) && KeyOrder.before(middle, high))
                        .as("%s < %s < %s", Keys.quote(low), Keys.quote(middle), Keys.quote(high)).isTrue();
                assertThat(middle.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)).isTrue();
            }
        }
        assertThat(KeySampler.midpoint("a", "c")).isEqualTo("b");
        assertThat(KeySampler.midpoint("d000/object-0000099", "e")).startsWith("d").isNotEqualTo("d");
    }

    /** Two different random keys, lower first; {@code null} when they came out equal. */
    private static String[] orderedPair(Random random) {
        String a = KeyRangeTest.key(random, KeyRangeTest.ALPHABET, random.nextInt(6));
        String b = KeyRangeTest.key(random, KeyRangeTest.ALPHABET, random.nextInt(6));
        if (a.equals(b)) {
            return null;
        }
        return KeyOrder.before(a, b) ? new String[] {a, b} : new String[] {b, a};
    }
}
