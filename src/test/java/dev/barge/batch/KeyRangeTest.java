package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.storage.KeyOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Key ranges split from a sample are disjoint and cover every key, for random and skewed
 * keyspaces of ASCII, BMP and astral characters, with common prefixes and one giant prefix, and
 * for keys the sample never saw (other characters, longer and shorter keys, the empty key).
 */
class KeyRangeTest {
    static final String[] ALPHABET = {"a", "b", "z", "A", "0", "-", "/", "~", "\u00e9", "\u4e2d", "\uD7FF",
            "\uE000", "\uFFFD", "\uD83D\uDE00", "\uD834\uDD1E", "\uDBFF\uDFFF"};
    /** Characters never in a sample: below, between and above the alphabet's. */
    private static final String[] OUTSIDE = {"\u0001", " ", "B", "\u00ff", "\uF8FF", "\uFFEE", "\uD83C\uDF0D",
            "\uDB40\uDC01"};

    @Test
    void splitsAreDisjointAndCoverEveryKeyForAnyKeyspace() {
        Random random = new Random(20261202);
        for (int trial = 0; trial < 3000; trial++) {
            List<String> keyspace = keyspace(random);
            List<String> sample = keyspace.stream().filter(k -> random.nextInt(4) == 0).toList();
            int partitions = 1 + random.nextInt(16);

            List<KeyRange> ranges = KeyRange.split(sample, partitions);

            assertThat(ranges).hasSizeBetween(1, partitions);
            assertThat(ranges.get(0).after()).isNull();
            assertThat(ranges.get(ranges.size() - 1).last()).isNull();
            for (int i = 1; i < ranges.size(); i++) {
                assertThat(ranges.get(i).after()).as("ranges meet: %s", ranges).isEqualTo(ranges.get(i - 1).last());
            }
            List<String> probes = new ArrayList<>(keyspace);
            probes.add("");
            for (int i = 0; i < 20; i++) {
                probes.add(key(random, OUTSIDE, 1 + random.nextInt(6)));
                probes.add(key(random, ALPHABET, 1 + random.nextInt(12)));
            }
            for (String key : probes) {
                assertThat(ranges.stream().filter(r -> r.contains(key)).count())
                        .as("ranges holding %s of %s", Keys.quote(key), ranges).isEqualTo(1);
            }
        }
    }

    @Test
    void aSampleOfDistinctKeysGivesRangesOfAboutEqualShare() {
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sample.add(String.format("logs/2024/%04d.gz", i));
        }

        List<KeyRange> ranges = KeyRange.split(sample, 8);

        assertThat(ranges).hasSize(8);
        for (KeyRange range : ranges) {
            assertThat(sample.stream().filter(range::contains).count()).as("%s", range).isBetween(124L, 126L);
        }
    }

    @Test
    void fewerSampledKeysThanPartitionsGiveOneRangeMoreThanKeysAndNoneEmptyByOrder() {
        assertThat(KeyRange.split(List.of(), 4)).containsExactly(KeyRange.ALL);
        assertThat(KeyRange.split(List.of("m", "m"), 4)).containsExactly(new KeyRange(null, "m"),
                new KeyRange("m", null));
        assertThatThrownBy(() -> new KeyRange("b", "a")).hasMessageContaining("must end after it starts");
        assertThatThrownBy(() -> KeyRange.split(List.of("a"), 0)).hasMessageContaining("at least 1");
    }

    @Test
    void theOrderIsUtf8sNotJavas() {
        // U+E000 sorts before an emoji in Java's UTF-16 order, after it in the stores' UTF-8 order
        List<KeyRange> ranges = KeyRange.split(List.of("\uE000", "\uD83D\uDE00"), 2);
        assertThat(ranges.get(0).last()).isEqualTo("\uE000");
        assertThat(ranges.get(0).contains("\uD83D\uDE00")).isFalse();
        assertThat(ranges.get(1).contains("\uD83D\uDE00")).isTrue();
        assertThat(KeyOrder.before("\uE000", "\uD83D\uDE00")).isTrue();
    }

    /** Random keys: flat, or under a few common prefixes, or nearly all under one giant prefix. */
    static List<String> keyspace(Random random) {
        Set<String> keys = new HashSet<>();
        int shape = random.nextInt(3);
        int count = random.nextInt(200);
        String giant = key(random, ALPHABET, 3) + "/";
        List<String> prefixes = List.of(key(random, ALPHABET, 2), key(random, ALPHABET, 2) + "/",
                key(random, ALPHABET, 4) + "/x/");
        for (int i = 0; i < count; i++) {
            String tail = key(random, ALPHABET, 1 + random.nextInt(8));
            keys.add(switch (shape) {
                case 0 -> tail;
                case 1 -> prefixes.get(random.nextInt(prefixes.size())) + tail;
                default -> random.nextInt(20) == 0 ? tail : giant + tail;
            });
        }
        return new ArrayList<>(keys);
    }

    static String key(Random random, String[] alphabet, int length) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < length; i++) {
            key.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return key.toString();
    }
}
