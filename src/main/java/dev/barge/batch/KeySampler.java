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
 * the keyspace is bracketed: by the longest prefix of the first page's common prefix that every key
 * shares (one listing of a key after each prefix's last string, all at once: keys numbered from
 * {@code logs/object-0000000} to {@code -0099999} end before {@code logs/object-01}, not merely
 * before {@code m}), else by galloping
 * on the first code point (start-after {@code "c+1"}, {@code "c+2"}, {@code "c+4"}... until nothing
 * follows). The span from the first page's last key to that bound is bisected breadth first, in
 * code points: in the alphabet the first page uses past its common prefix where both ends are of
 * it (decimal numbers halve as numbers), else in ASCII where both ends are ASCII. A loose bound
 * would spend a level of probes on each character of the common prefix, finding nothing past the
 * keys, and halving digits in base 128 makes intervals of very unequal size at one depth; both
 * skewed the ranges of numbered keys by up to 100x. A level is probed whole or not at all.
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
        int budget = Math.min(256, Math.max(32, 8 * partitions));
        ExecutorService probing = Executors.newFixedThreadPool(PARALLEL_PROBES, runnable -> {
            Thread thread = new Thread(runnable, "barge-key-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<String> wholeFirstPage = relative(first.objects());
            List<String> prefixes = prefixBounds(wholeFirstPage.get(0),
                    wholeFirstPage.get(wholeFirstPage.size() - 1));
            String bound = tightestBound(prefixes, probing);
            int[] alphabet = alphabet(wholeFirstPage);
            // the bound's probes come out of the budget when the gallop has to follow them
            int spent = 0;
            if (bound == null) {
                spent = prefixes.size();
                bound = upperBound(sample.firstKey());
            }
            if (bound == null) {
                return sample;
            }
            Deque<Interval> dense = new ArrayDeque<>();
            // the first page went from the first key to its last one without reaching the bound
            dense.add(new Interval(sample.firstKey(), bound, sample.lastKey()));
            for (int probes = spent; !dense.isEmpty() && probes + dense.size() <= budget; ) {
                // the intervals queued now, probed at once and then taken in queue order: the same
                // sample, probe for probe, as one at a time, in a round trip per level, not per probe.
                // A level is probed whole or not at all: where part of a level were split once more
                // than the rest, its keys would weigh twice as much (a dense half weighs a page
                // however wide it is), and the ranges over the rest would hold twice as many keys.
                List<Interval> level = new ArrayList<>(dense);
                dense.clear();
                probes += level.size();
                List<Future<List<String>>> pages = new ArrayList<>(level.size());
                for (Interval interval : level) {
                    String middle = midpoint(interval.reached(), interval.high(), alphabet[0], alphabet[1]);
                    pages.add(middle == null ? null
                            : probing.submit(() -> relative(list(middle, PROBE_PAGE).objects())));
                }
                for (int i = 0; i < level.size(); i++) {
                    if (pages.get(i) != null) {
                        probed(level.get(i),
                                midpoint(level.get(i).reached(), level.get(i).high(), alphabet[0], alphabet[1]),
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

    /** A probe's answer, or the store's failure as it was thrown. */
    private static <T> T result(Future<T> page) {
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
     * Where the keys may end if they share some of the first page's common prefix: for each prefix
     * {@code p} of it (of up to {@value #PARALLEL_PROBES} lengths, spread over it when it is longer),
     * the first string after every key that starts with {@code p} ({@code p} with its last code point
     * + 1), shortest prefix first.
     */
    static List<String> prefixBounds(String first, String last) {
        int[] a = first.codePoints().toArray();
        int[] b = last.codePoints().toArray();
        int common = 0;
        while (common < a.length && common < b.length && a[common] == b[common]) {
            common++;
        }
        List<String> bounds = new ArrayList<>();
        int previous = 0;
        for (int i = 0; i < Math.min(common, PARALLEL_PROBES); i++) {
            int length = common <= PARALLEL_PROBES ? i + 1
                    : 1 + (int) Math.round((double) i * (common - 1) / (PARALLEL_PROBES - 1));
            if (length == previous || a[length - 1] == Character.MAX_CODE_POINT) {
                continue;
            }
            previous = length;
            StringBuilder bound = new StringBuilder();
            for (int j = 0; j < length - 1; j++) {
                bound.appendCodePoint(a[j]);
            }
            bounds.add(bound.appendCodePoint(validCodePoint(a[length - 1] + 1)).toString());
        }
        return bounds;
    }

    /**
     * The bound of {@code bounds} (from {@link #prefixBounds}) of the longest prefix that no key
     * follows, from one listing of a key after each, all at once; {@code null} when keys follow every
     * one (they do not all share even the first code point).
     */
    private String tightestBound(List<String> bounds, ExecutorService probing) {
        List<Future<Boolean>> followed = new ArrayList<>(bounds.size());
        for (String bound : bounds) {
            followed.add(probing.submit(() -> !list(bound, 1).objects().isEmpty()));
        }
        String tightest = null;
        // a shorter prefix's bound lies after a longer one's: if keys follow the shorter, they follow the longer
        for (int i = 0; i < bounds.size(); i++) {
            if (!result(followed.get(i))) {
                tightest = bounds.get(i);
            }
        }
        return tightest;
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
        return midpoint(low, high, 1, 0);
    }

    /**
     * {@link #midpoint(String, String)}, halving in the alphabet {@code first} to {@code last} (code
     * points; none when {@code last < first}) where both strings have a code point of it, or nothing,
     * at a position: keys numbered in decimal are then halved in base 10, so that a probe lands
     * about halfway between two keys' numbers, not past every digit (base 128 halves their span of
     * ten code points only once in three probes).
     */
    static String midpoint(String low, String high, int first, int last) {
        int[] a = low.codePoints().toArray();
        int[] b = high.codePoints().toArray();
        int common = 0;
        while (common < a.length && common < b.length && a[common] == b[common]) {
            common++;
        }
        int length = common + MIDPOINT_DEPTH;
        // (a + b) / 2 over the first `length` positions, each a digit (code point - offset, 0 for no
        // code point) in base alphabet size + 1 where both have the alphabet's (or nothing) there,
        // else in base ASCII where both have ASCII, else in base RADIX: halving ASCII keys in all
        // of Unicode would spend most probes on code points no key has
        int[] radix = new int[length];
        int[] offset = new int[length];
        for (int i = 0; i < length; i++) {
            if (last >= first && inAlphabet(a, i, first, last) && inAlphabet(b, i, first, last)) {
                radix[i] = last - first + 2;
                offset[i] = first - 1;
            } else {
                radix[i] = Math.max(codePoint(a, i), codePoint(b, i)) < ASCII ? ASCII + 1 : RADIX;
                offset[i] = -1;
            }
        }
        int[] sum = new int[length + 1];
        int carry = 0;
        for (int i = length - 1; i >= 0; i--) {
            int s = digit(a, i, offset[i]) + digit(b, i, offset[i]) + carry;
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
        for (int i = 0; i < length; i++) {
            if (half[i] == 0) {
                break; // no character here: the string ends
            }
            middle.appendCodePoint(validCodePoint(half[i] + offset[i]));
        }
        String m = middle.toString();
        return KeyOrder.before(low, m) && KeyOrder.before(m, high) ? m : null;
    }

    /**
     * The code points of {@code keys} (in order) past their common prefix, lowest and highest:
     * what {@link #midpoint(String, String, int, int)} halves in.
     */
    static int[] alphabet(List<String> keys) {
        int[] a = keys.get(0).codePoints().toArray();
        int[] b = keys.get(keys.size() - 1).codePoints().toArray();
        int common = 0;
        while (common < a.length && common < b.length && a[common] == b[common]) {
            common++;
        }
        int first = Integer.MAX_VALUE;
        int last = -1;
        for (String key : keys) {
            int[] c = key.codePoints().toArray();
            for (int i = common; i < c.length; i++) {
                first = Math.min(first, c[i]);
                last = Math.max(last, c[i]);
            }
        }
        return last < 0 ? new int[] {1, 0} : new int[] {first, last};
    }

    private static boolean inAlphabet(int[] codePoints, int i, int first, int last) {
        return i >= codePoints.length || codePoints[i] >= first && codePoints[i] <= last;
    }

    /** The code point at {@code i}, -1 for none. */
    private static int codePoint(int[] codePoints, int i) {
        return i < codePoints.length ? codePoints[i] : -1;
    }

    /** The digit of the code point at {@code i}: 0 for none, else the code point less {@code offset}. */
    private static int digit(int[] codePoints, int i, int offset) {
        return i < codePoints.length ? codePoints[i] - offset : 0;
    }

    /** {@code c}, or the first code point after the surrogates when it is one (not a character). */
    private static int validCodePoint(int c) {
        return c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE ? Character.MAX_SURROGATE + 1 : c;
    }
}
