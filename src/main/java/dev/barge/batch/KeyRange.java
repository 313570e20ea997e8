package dev.barge.batch;

import dev.barge.storage.KeyOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

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
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        TreeSet<String> sorted = new TreeSet<>(KeyOrder.UTF8);
        sorted.addAll(sample);
        List<String> keys = new ArrayList<>(sorted);
        int ranges = Math.min(partitions, keys.size() + 1);
        List<KeyRange> split = new ArrayList<>(ranges);
        String after = null;
        for (int i = 1; i < ranges; i++) {
            // the last key of the i-th share: ceil(i * size / ranges) keys lie at or below it
            String boundary = keys.get((int) (((long) i * keys.size() + ranges - 1) / ranges) - 1);
            if (after != null && !KeyOrder.before(after, boundary)) {
                continue;
            }
            split.add(new KeyRange(after, boundary));
            after = boundary;
        }
        split.add(new KeyRange(after, null));
        return List.copyOf(split);
    }
}
