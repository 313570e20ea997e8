package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.KeyOrder;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sample of the keys under a prefix, for {@link KeyRange#split}, from a few cheap start-after
 * listings at points spread through the keyspace, without listing it.
 *
 * <p>How: one full page ({@value #FIRST_PAGE} keys) from the start; if that is every key, the sample is
 * exact, at the cost of one listing (keyspaces that small are common, and probes would cost more than
 * listing them). Otherwise its first {@value #PROBE_PAGE} keys start the sample, and the end of
 * the keyspace is bracketed by galloping on the first code point (start-after {@code "c+1"},
 * {@code "c+2"}, {@code "c+4"}... until nothing follows), and the span from the first page's last
 * key to that bound is bisected breadth first, in code points (in ASCII where both ends are ASCII).
 * An interval is dense while the page listed from its lower end stops short of its upper end; a
 * dense interval is split at a string halfway between what its page reached and its end, and one
 * page is listed from there, which tells whether each half is dense in turn. Halves found to hold
 * less than a page are known key by key and split no further, so the probes gather where the keys
 * are. The sample: every key of a half known key by key, weighing one, and the first key after each
 * dense half's middle, weighing a page ({@value #PROBE_PAGE}): what the half holds at least.
 *
 * <p>Where it is weak: halving in string space narrows a gap by one bit per probe, so a dense
 * cluster of keys that share a long prefix, in a keyspace that otherwise spreads wide (a giant
 * {@code logs/2024/} among a few keys from {@code a} to {@code z}), is not reached within the budget:
 * the ranges then fall around the cluster and one of them holds most of the keys. A delimiter
 * listing of the top-level prefixes finds it: {@link PrefixSampler}.
 *
 * <p>A sample only steers where the ranges fall: whatever it is, {@link KeyRange#split} covers every
 * key, so a bad sample makes unequal partitions, never a missed key.
 */
public final class KeySampler implements KeySample {
    /** Keys asked for by the first listing: a whole page. */
    static final int FIRST_PAGE = ListRequest.MAX_PAGE_SIZE;
    /** Keys asked for per probe listing. */
    static final int PROBE_PAGE = 100;
    /** Probe listings in flight at once. */
    static final int PARALLEL_PROBES = 16;
    /** Code points after the first difference that a midpoint carries. */
    private static final int MIDPOINT_DEPTH = 4;
    /** Digits: a code point + 1, 0 for no character (so that a prefix sorts before what extends it). */
    private static final int RADIX = Character.MAX_CODE_POINT + 2;
    /** The digit of the last ASCII code point. */
    private static final int ASCII = 0x80;

    private final ObjectStore store;
    private final String bucket;
    private final String prefix;

    private final AtomicInteger listings = new AtomicInteger();

    public KeySampler(ObjectStore store, String bucket, String prefix) {
        this.store = requireNonNull(store, "store is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
    }

    /**
     * Keys relative to the prefix and how many keys each stands for, for
     * {@link KeyRange#split(SortedMap, int)} into {@code partitions} ranges: empty when one range will
     * do (one partition asked for, or a store that cannot list from a key: each range would list
     * from the start).
     */
    @Override
    public SortedMap<String, Long> sample(int partitions) {
        SortedMap<String, Long> sample = new TreeMap<>(KeyOrder.UTF8);
        if (partitions < 2 || !store.capabilities().listStartAfter()) {
            return sample;
        }
        ListPage first = list(null, FIRST_PAGE);
        List<String> firstKeys = relative(first.objects());
        if (first.truncated() && firstKeys.size() > PROBE_PAGE) {
            // more to come: the first page stands for its start as any probe's page would, so that the
            // start of the keyspace weighs no more than the rest, whose probes see a probe page each
            firstKeys = firstKeys.subList(0, PROBE_PAGE);
        }
        firstKeys.forEach(key -> sample.put(key, 1L));
        if (!first.truncated() || sample.isEmpty()) {
            return sample;
        }
        String bound = upperBound(sample.firstKey());
        if (bound == null) {
            return sample;
        }
        int budget = Math.min(256, Math.max(32, 8 * partitions));
        Deque<Interval> dense = new ArrayDeque<>();
        // the first page went from the first key to its last one without reaching the bound
        dense.add(new Interval(sample.firstKey(), bound, sample.lastKey()));
        ExecutorService probing = Executors.newFixedThreadPool(PARALLEL_PROBES, runnable -> {
            Thread thread = new Thread(runnable, "barge-key-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int probes = 0; probes < budget && !dense.isEmpty(); ) {
                // the intervals queued now, probed at once and then taken in queue order: the same
                // sample, probe for probe, as one at a time, in a round trip per level, not per probe
                List<Interval> level = new ArrayList<>();
                while (!dense.isEmpty() && probes + level.size() < budget) {
                    level.add(dense.poll());
                }
                probes += level.size();
                List<Future<List<String>>> pages = new ArrayList<>(level.size());
                for (Interval interval : level) {
                    String middle = midpoint(interval.reached(), interval.high());
                    pages.add(middle == null ? null
                            : probing.submit(() -> relative(list(middle, PROBE_PAGE).objects())));
                }
                for (int i = 0; i < level.size(); i++) {
                    if (pages.get(i) != null) {
                        probed(level.get(i), midpoint(level.get(i).reached(), level.get(i).high()),
                                result(pages.get(i)), sample, dense);
                    }
                }
            }
        } finally {
            probing.shutdownNow();
        }
        return sample;
    }

    /** What one probe of {@code interval}, listed from its {@code middle}, found: into the sample, and the intervals still dense. */
    private static void probed(Interval interval, String middle, List<String> keys, SortedMap<String, Long> sample,
            Deque<Interval> dense) {
        String reached = keys.size() < PROBE_PAGE ? interval.high() : keys.get(keys.size() - 1);
        // the left part, from what the interval's own page reached up to the middle, stays unknown
        // when that page stopped short of it: probe it later (its page has been read)
        if (KeyOrder.before(interval.reached(), middle)) {
            dense.add(new Interval(interval.low(), middle, interval.reached()));
        }
        if (keys.isEmpty() || !KeyOrder.before(keys.get(0), interval.high())) {
            return; // nothing between the middle and the high end
        }
        sample.merge(keys.get(0), 1L, Long::sum);
        if (KeyOrder.before(reached, interval.high())) {
            // a whole page between the middle and the high end: dense, split it later; its first
            // key stands for it
            sample.merge(keys.get(0), (long) PROBE_PAGE - 1, Long::sum);
            dense.add(new Interval(middle, interval.high(), reached));
        } else {
            for (String key : keys) {
                if (KeyOrder.before(key, interval.high())) {
                    sample.putIfAbsent(key, 1L);
                }
            }
        }
    }

    /** A probe's keys, or the store's failure as it was thrown. */
    private static List<String> result(Future<List<String>> page) {
        try {
            return page.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sampling the keyspace", e);
        }
    }

    /**
     * Keys after {@code low} and before {@code high}, of which a listing from {@code low} has read
     * a page: up to {@code reached}, short of {@code high}.
     */
    private record Interval(String low, String high, String reached) {}

    /** How many listings the last {@link #sample} sent. */
    int listings() {
        return listings.get();
    }

    /**
     * A key at or after the last key there is, relative: the smallest one-code-point string
     * {@code c+2^k} after {@code first}'s first code point that nothing follows; {@code null} when
     * even the highest code point is followed by keys.
     */
    private String upperBound(String first) {
        int start = first.codePointAt(0);
        for (long step = 1; ; step *= 2) {
            // keys that start with c itself sort after "c": start-after "c+step" asks whether any key starts higher
            long c = Math.min(start + step, Character.MAX_CODE_POINT);
            String candidate = new String(Character.toChars(validCodePoint((int) c)));
            if (list(candidate, 1).objects().isEmpty()) {
                return candidate;
            }
            if (c == Character.MAX_CODE_POINT) {
                return null;
            }
        }
    }

    private ListPage list(String startAfter, int pageSize) {
        listings.incrementAndGet();
        ListRequest request = ListRequest.of(bucket, prefix).withPageSize(pageSize);
        return store.list(startAfter == null ? request : request.withStartAfter(prefix + startAfter));
    }

    private List<String> relative(List<ObjectInfo> objects) {
        List<String> keys = new ArrayList<>(objects.size());
        for (ObjectInfo object : objects) {
            keys.add(object.key().substring(prefix.length()));
        }
        return keys;
    }

    /**
     * A string strictly between {@code low} and {@code high} in code point order, about halfway,
     * or {@code null} when none is found (the two are adjacent as far as this can tell).
     */
    static String midpoint(String low, String high) {
        int[] a = digits(low);
        int[] b = digits(high);
        int common = 0;
        while (common < a.length && common < b.length && a[common] == b[common]) {
            common++;
        }
        int length = common + MIDPOINT_DEPTH;
        // (a + b) / 2 over the first `length` digits, each position in base ASCII where both strings
        // have ASCII (or nothing) there, else in base RADIX: halving ASCII keys in all of Unicode
        // would spend most probes on code points no key has
        int[] radix = new int[length];
        for (int i = 0; i < length; i++) {
            radix[i] = Math.max(digit(a, i), digit(b, i)) <= ASCII ? ASCII + 1 : RADIX;
        }
        int[] sum = new int[length + 1];
        int carry = 0;
        for (int i = length - 1; i >= 0; i--) {
            int s = digit(a, i) + digit(b, i) + carry;
            sum[i + 1] = s % radix[i];
            carry = s / radix[i];
        }
        sum[0] = carry;
        int[] half = new int[length];
        long remainder = sum[0];
        for (int i = 0; i < length; i++) {
            long value = remainder * radix[i] + sum[i + 1];
            half[i] = (int) (value / 2);
            remainder = value % 2;
        }
        StringBuilder middle = new StringBuilder();
        for (int d : half) {
            if (d == 0) {
                break; // no character here: the string ends
            }
            middle.appendCodePoint(validCodePoint(d - 1));
        }
        String m = middle.toString();
        return KeyOrder.before(low, m) && KeyOrder.before(m, high) ? m : null;
    }

    private static int[] digits(String s) {
        return s.codePoints().map(c -> c + 1).toArray();
    }

    private static int digit(int[] digits, int i) {
        return i < digits.length ? digits[i] : 0;
    }

    /** {@code c}, or the first code point after the surrogates when it is one (not a character). */
    private static int validCodePoint(int c) {
        return c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE ? Character.MAX_SURROGATE + 1 : c;
    }
}
