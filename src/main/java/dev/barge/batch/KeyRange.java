package dev.barge.batch;

import dev.barge.storage.KeyOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The keys of one partition of a flat keyspace: those after {@code after} and up to and including
 * {@code last}, in listing order (UTF-8 bytes, {@link KeyOrder}). A reader of the range lists from
 * {@code after} with start-after, the cheap resumable listing every store has, and stops once a
 * key passes {@code last}; a missing bound is the keyspace's own end.
 *
 * @param after the key the range starts after, or {@code null} from the first key
 * @param last the range's last key, or {@code null} to the last key there is
 */
public record KeyRange(String after, String last) {

    /** Every key. */
    public static final KeyRange ALL = new KeyRange(null, null);

    public KeyRange {
        if (after != null && last != null && !KeyOrder.before(after, last)) {
            throw new IllegalArgumentException("a key range must end after it starts: after '" + after + "', last '"
                    + last + "'");
        }
    }

    /** Whether {@code key} is in this range. */
    public boolean contains(String key) {
        return (after == null || KeyOrder.before(after, key)) && (last == null || !KeyOrder.before(last, key));
    }

    /**
     * At most {@code partitions} ranges, in order, that together hold every key there can be, each
     * key in exactly one: split at keys of {@code sample} spread evenly through it (a sample of
     * the keyspace, so that the ranges hold about as many keys each). Keys outside the sample, or
     * outside anything the sample's alphabet suggests, fall in whichever range their order puts
     * them; fewer distinct sampled keys than partitions give fewer ranges.
     */
    public static List<KeyRange> split(Collection<String> sample, int partitions) {
        SortedMap<String, Long> weighted = new TreeMap<>(KeyOrder.UTF8);
        sample.forEach(key -> weighted.put(key, 1L));
        return split(weighted, partitions);
    }

    /**
     * {@link #split(Collection, int)} of a weighted sample: each key stands for as many keys as its
     * weight (a sampler's estimate), and the ranges hold about equal weight. A range ends at a key
     * of the sample; one key's weight is never divided.
     */
    public static List<KeyRange> split(SortedMap<String, Long> sample, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        long total = 0;
        for (long weight : sample.values()) {
            if (weight < 1) {
                throw new IllegalArgumentException("a sample's weights must be at least 1: " + weight);
            }
            total += weight;
        }
        int ranges = Math.min(partitions, sample.size() + 1);
        List<KeyRange> split = new ArrayList<>(ranges);
        String after = null;
        long below = 0;
        int share = 1;
        for (Map.Entry<String, Long> entry : sample.entrySet()) {
            if (share >= ranges) {
                break;
            }
            below += entry.getValue();
            // the i-th range ends at the first key with at least i/ranges of the weight at or below it
            if (below * ranges >= (long) share * total) {
                split.add(new KeyRange(after, entry.getKey()));
                after = entry.getKey();
                while (share < ranges && below * ranges >= (long) share * total) {
                    share++;
                }
            }
        }
        split.add(new KeyRange(after, null));
        return List.copyOf(split);
    }
}
