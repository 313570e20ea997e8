package dev.barge.batch;

import dev.barge.storage.ObjectInfo;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a listing reader has listed: objects and bytes so far, and whether it reached the end,
 * so that a progress display learns the total from the job's own listing instead of listing the
 * source a second time. Counts start where the reader starts: after the last committed key on a
 * restart. Thread-safe; the reader writes, anyone reads. Several readers may count into one (the
 * partitions of a listing, {@link #expect}): the totals are complete when all of them are.
 */
public final class ListingProgress {
    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger incomplete = new AtomicInteger(1);
    private volatile boolean complete;

    /**
     * The totals will be complete once {@code listings} readers have each received their last page,
     * not the first; 0 when none will run (they are complete now).
     */
    public void expect(int listings) {
        if (listings < 0) {
            throw new IllegalArgumentException("listings must not be negative: " + listings);
        }
        incomplete.set(listings);
        complete = listings == 0;
    }

    /** Counts one page as the reader received it. */
    void listed(List<ObjectInfo> page) {
        add(page, 1);
    }

    /** Uncounts the head of a page that an earlier execution already handed out. */
    void resumedPast(List<ObjectInfo> done) {
        add(done, -1);
    }

    private void add(List<ObjectInfo> objects, int sign) {
        long size = 0;
        for (ObjectInfo object : objects) {
            size += object.size();
        }
        bytes.addAndGet(sign * size);
        this.objects.addAndGet(sign * (long) objects.size());
    }

    /** The reader has received the last page. */
    void completed() {
        if (incomplete.decrementAndGet() <= 0) {
            complete = true;
        }
    }

    public long objects() {
        return objects.get();
    }

    public long bytes() {
        return bytes.get();
    }

    /** Whether {@link #objects()} and {@link #bytes()} are the totals. */
    public boolean complete() {
        return complete;
    }
}
