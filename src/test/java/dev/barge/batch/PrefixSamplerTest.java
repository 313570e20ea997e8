package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Ranges between prefixes: whole prefixes in each, about as many each, every key in exactly one. */
class PrefixSamplerTest {

    private static List<KeyRange> split(ScriptedListing store, String prefix, int partitions) {
        return KeyRange.split(new PrefixSampler(store, "b", prefix).sample(partitions), partitions);
    }

    private static long holding(List<KeyRange> ranges, String key) {
        return ranges.stream().filter(r -> r.contains(key)).count();
    }

    @Test
    void rangesFallBetweenPrefixesAndHoldAboutAsManyEach() {
        Random random = new Random(7);
        List<String> keys = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            for (int i = 0, n = 1 + random.nextInt(50); i < n; i++) {
                keys.add(String.format("tenant-%02d/obj-%03d", t, i));
            }
        }
        ScriptedListing store = ScriptedListing.keyspace(keys);

        List<KeyRange> ranges = split(store, "", 4);

        assertThat(ranges).hasSize(4);
        for (KeyRange range : ranges) {
            List<String> tenants = keys.stream().filter(range::contains).map(k -> k.substring(0, 10)).distinct()
                    .toList();
            assertThat(tenants).as("the tenants of %s", range).hasSize(4);
            for (String tenant : tenants) {
                assertThat(keys.stream().filter(k -> k.startsWith(tenant)).allMatch(range::contains))
                        .as("all of %s in %s", tenant, range).isTrue();
            }
        }
        assertThat(store.listings()).as("one delimiter listing: 16 prefixes are 4 a range").isEqualTo(1);
    }

    @Test
    void asManyPrefixesAsRangesOrMoreStayWholeEvenAFewARange() {
        List<String> keys = new ArrayList<>();
        for (int month = 1; month <= 6; month++) {
            for (int i = 1; i <= 40; i++) {
                keys.add(String.format("logs/2024-%02d/f%d.txt", month, i));
            }
        }
        ScriptedListing store = ScriptedListing.keyspace(keys);

        List<KeyRange> ranges = split(store, "logs/", 3);

        for (KeyRange range : ranges) {
            List<String> months = keys.stream().map(k -> k.substring("logs/".length()))
                    .filter(range::contains).map(k -> k.substring(0, 8)).distinct().toList();
            assertThat(months).as("the months of %s", range).hasSize(2);
            assertThat(keys.stream().map(k -> k.substring("logs/".length())).filter(range::contains).count())
                    .as("keys of %s: two whole months", range).isEqualTo(80);
        }
        assertThat(store.listings()).isEqualTo(1);
    }

    @Test
    void aGiantPrefixAmongAFewKeysIsListedLevelByLevelUntilItSplits() {
        List<String> keys = new ArrayList<>(List.of("a", "b/1", "z"));
        for (int i = 0; i < 2000; i++) {
            keys.add(String.format("logs/2024/k%05d", i));
        }
        ScriptedListing store = ScriptedListing.keyspace(keys);

        List<KeyRange> ranges = split(store, "", 8);

        assertThat(ranges).hasSize(8);
        for (KeyRange range : ranges) {
            assertThat(keys.stream().filter(range::contains).count()).as("keys in %s", range)
                    .isBetween(2003L / 8 - 2, 2003L / 8 + 2);
        }
        keys.forEach(key -> assertThat(holding(ranges, key)).as("ranges holding %s", key).isEqualTo(1));
    }

    @Test
    void rangesHoldEveryKeyOnceForAnyKeyspace() {
        Random random = new Random(20261203);
        for (int trial = 0; trial < 300; trial++) {
            List<String> keyspace = KeyRangeTest.keyspace(random);
            int partitions = 2 + random.nextInt(15);
            String prefix = random.nextInt(4) == 0 && !keyspace.isEmpty()
                    ? keyspace.get(0).substring(0, Math.min(2, keyspace.get(0).length())) : "";
            ScriptedListing store = ScriptedListing.keyspace(keyspace);

            SortedMap<String, Long> sample = new PrefixSampler(store, "b", prefix).sample(partitions);
            List<KeyRange> ranges = KeyRange.split(sample, partitions);

            for (String key : keyspace) {
                if (key.startsWith(prefix)) {
                    String relative = key.substring(prefix.length());
                    assertThat(holding(ranges, relative)).as("ranges holding %s of %s", Keys.quote(relative), ranges)
                            .isEqualTo(1);
                }
            }
        }
    }

    @Test
    void aFlatTopLevelTooLargeToReadIsSampledAsKeyRangesAre() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i <= PrefixSampler.MAX_ENTRIES; i++) {
            keys.add(String.format("k%06d", i));
        }

        SortedMap<String, Long> byPrefix = new PrefixSampler(ScriptedListing.keyspace(keys), "b", "").sample(8);

        assertThat(byPrefix).isEqualTo(new KeySampler(ScriptedListing.keyspace(keys), "b", "").sample(8))
                .isNotEmpty();
    }

    @Test
    void onePartitionNeedsNoSample() {
        ScriptedListing store = ScriptedListing.keyspace(List.of("a/1", "b/2"));
        assertThat(new PrefixSampler(store, "b", "").sample(1)).isEmpty();
        assertThat(store.listings()).isZero();
    }
}
