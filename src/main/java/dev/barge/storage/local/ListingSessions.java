package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The walks of listings that go on over more pages, kept between pages by their page token, so that
 * the next page goes on walking where the last one stopped instead of reading its directories again
 * ({@link LocalListing}). Bounded: at most {@value #MAX_WALKS} walks holding at most {@value #MAX_NAMES}
 * names of directories together (about 64 MB) are kept, the oldest dropped first, each for at most
 * {@link #MAX_AGE}, and a walk is handed out once; a page whose walk is not here
 * (dropped, too old, or asked for by another listing that issued the same token) is listed from its
 * token's key as any listing from a key is, at the cost of reading the directories again. Thread-safe.
 */
final class ListingSessions {
    /** Walks kept at once: more than the listings of any job in flight (partitions, source and target). */
    static final int MAX_WALKS = 128;
    /** Names of directories the kept walks hold together, at most. */
    static final long MAX_NAMES = 1_000_000;
    /** A walk older than this is not gone on with: the next page reads the directories afresh. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    /** A paused walk: what it lists and where it stopped. */
    record Walk(Path bucketDir, String prefix, String delimiter, LocalListing listing, long names,
            long pausedAtNanos) {}

    /** In the order they were kept: the first is the oldest. */
    private final Map<String, Walk> walks = new LinkedHashMap<>();
    private final long maxNames;
    private long names;

    ListingSessions() {
        this(MAX_NAMES);
    }

    /** @param maxNames names of directories the kept walks may hold together */
    ListingSessions(long maxNames) {
        this.maxNames = maxNames;
    }

    /** Keeps a walk that stopped at the page that issued {@code token}. */
    synchronized void pause(String token, Path bucketDir, String prefix, String delimiter, LocalListing listing) {
        Walk walk = new Walk(bucketDir, prefix, delimiter, requireNonNull(listing, "listing is null"),
                listing.namesHeld(), System.nanoTime());
        if (walk.names() > maxNames) {
            return; // a directory this large is read again for each page rather than held
        }
        forget(walks.remove(requireNonNull(token, "token is null")));
        walks.put(token, walk);
        names += walk.names();
        Iterator<Walk> oldest = walks.values().iterator();
        while (names > maxNames || walks.size() > MAX_WALKS) {
            names -= oldest.next().names();
            oldest.remove();
        }
    }

    private void forget(Walk walk) {
        if (walk != null) {
            names -= walk.names();
        }
    }

    /**
     * The walk that stopped at {@code token}, when it is here, lists the same and is young enough;
     * {@code null} otherwise. It is handed out once.
     */
    synchronized Walk resume(String token, Path bucketDir, String prefix, String delimiter) {
        Walk walk = walks.remove(token);
        forget(walk);
        if (walk == null || !walk.bucketDir().equals(bucketDir) || !walk.prefix().equals(prefix)
                || !Objects.equals(walk.delimiter(), delimiter)
                || System.nanoTime() - walk.pausedAtNanos() > MAX_AGE.toNanos()) {
            return null;
        }
        return walk;
    }

    /** Walks kept now. */
    synchronized int size() {
        return walks.size();
    }

    /** Names of directories the walks kept now hold together. */
    synchronized long names() {
        return names;
    }
}
