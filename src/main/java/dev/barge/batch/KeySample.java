package dev.barge.batch;

import java.util.SortedMap;

/**
 * Where the keys under a prefix are, as {@link KeyRange#split(SortedMap, int)} takes it: keys
 * relative to the prefix, each weighing how many keys it stands for. {@link KeySampler} probes a
 * flat keyspace with start-after listings; {@link PrefixSampler} reads its top-level prefixes.
 */
public interface KeySample {
    /**
     * A sample for splitting into {@code partitions} ranges; empty when one range will do (one
     * partition asked for, or a store that cannot list from a key).
     */
    SortedMap<String, Long> sample(int partitions);
}
