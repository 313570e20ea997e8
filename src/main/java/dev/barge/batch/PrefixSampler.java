package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.KeyOrder;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A sample of the keys under a prefix from its prefixes: delimiter listings ({@code /}) of the
 * prefixes and objects under it, so that ranges fall between prefixes. For keyspaces laid out in
 * prefixes of about equal size (dates, tenants, shards), and for the one {@link KeySampler} cannot
 * see into: a giant {@code logs/2024/} among a few other keys.
 *
 * <p>How: the top level first. While it holds fewer entries than there are partitions, each of its
 * prefixes (at most {@value #MAX_EXPANDED} of them) is listed in turn and replaced by what it holds,
 * one level deeper, so that a top level of fewer prefixes than ranges still splits into all of them;
 * the ranges then fall between the entries of that deeper level. Each entry, a prefix or an object, weighs one: a delimiter listing says nothing of how
 * many keys a prefix holds, so the ranges hold about as many entries each. A range ends at the entry
 * where the next one starts (its prefix or key, inclusive): the keys under one entry fall in one
 * range; only an object named exactly like the next prefix (a directory marker, {@code b/}) goes
 * with the range before it.
 *
 * <p>Bounded: a level of more than {@value #MAX_ENTRIES} entries is not read to its end. The top
 * level's being so (a flat keyspace) hands the sample to {@link KeySampler}; a deeper one's keeps
 * the level above. Whatever the sample, {@link KeyRange#split} covers every key.
 */
public final class PrefixSampler implements KeySample {
    /** Entries read at most at one level. */
    static final int MAX_ENTRIES = 10_000;
    /** Prefixes of a level listed at most to go one deeper. */
    static final int MAX_EXPANDED = 64;

    private final ObjectStore store;
    private final String bucket;
    private final String prefix;

    public PrefixSampler(ObjectStore store, String bucket, String prefix) {
        this.store = requireNonNull(store, "store is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
    }

    /** A prefix or a key under the sampled prefix, relative to it. */
    private record Entry(String name, boolean isPrefix) {}

    @Override
    public SortedMap<String, Long> sample(int partitions) {
        SortedMap<String, Long> sample = new TreeMap<>(KeyOrder.UTF8);
        if (partitions < 2 || !store.capabilities().listStartAfter()) {
            return sample;
        }
        List<Entry> level = list("");
        if (level == null) {
            return new KeySampler(store, bucket, prefix).sample(partitions);
        }
        while (level.size() < partitions) {
            List<Entry> deeper = deeper(level);
            if (deeper == null) {
                break;
            }
            level = deeper;
        }
        List<String> names = new ArrayList<>(level.size());
        level.forEach(entry -> names.add(entry.name()));
        names.sort(KeyOrder.UTF8);
        // the range that holds entry i ends where entry i + 1 starts
        for (int i = 1; i < names.size(); i++) {
            sample.put(names.get(i), 1L);
        }
        return sample;
    }

    /**
     * {@code level} with each prefix replaced by what it holds; {@code null} when that gains nothing
     * (no prefixes), would list too many prefixes, or would hold more than {@link #MAX_ENTRIES}.
     */
    private List<Entry> deeper(List<Entry> level) {
        long prefixes = level.stream().filter(Entry::isPrefix).count();
        if (prefixes == 0 || prefixes > MAX_EXPANDED) {
            return null;
        }
        List<Entry> deeper = new ArrayList<>();
        for (Entry entry : level) {
            if (!entry.isPrefix()) {
                deeper.add(entry);
                continue;
            }
            List<Entry> under = list(entry.name());
            if (under == null || deeper.size() + under.size() > MAX_ENTRIES) {
                return null;
            }
            deeper.addAll(under);
        }
        return deeper;
    }

    /** The prefixes and keys directly under {@code under} (relative); {@code null} past {@link #MAX_ENTRIES}. */
    private List<Entry> list(String under) {
        List<Entry> entries = new ArrayList<>();
        ListRequest request = ListRequest.of(bucket, prefix + under).withDelimiter("/");
        while (true) {
            ListPage page = store.list(request);
            for (String common : page.commonPrefixes()) {
                entries.add(new Entry(common.substring(prefix.length()), true));
            }
            for (ObjectInfo object : page.objects()) {
                entries.add(new Entry(object.key().substring(prefix.length()), false));
            }
            if (entries.size() > MAX_ENTRIES) {
                return null;
            }
            if (!page.truncated()) {
                return entries;
            }
            request = request.next(page);
        }
    }
}
