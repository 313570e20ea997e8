package dev.barge.storage.multipart;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The memory that transfers hold object bytes in: part buffers, and the bytes of objects read whole.
 * Two jobs:
 *
 * <ul>
 *   <li><b>Reuse.</b> Part buffers handed back are handed out again, so that a multipart transfer
 *       allocates (and the JVM zeroes and collects) a part-sized array only when more parts are in
 *       flight than ever before. Without it each 16 MiB part was a new array: a gigabyte moved was a
 *       gigabyte of short-lived garbage, which the collector met by growing the heap (1.2-1.4 GiB
 *       resident for 4 x 256 MiB at concurrency 4).</li>
 *   <li><b>A budget.</b> At most {@link #budget()} bytes are allocated at once, in use and kept for
 *       reuse together; a transfer that would go beyond it waits until another hands bytes back. So
 *       memory is bounded by the budget, not by concurrency x parts in flight x part size, and a heap
 *       capped with {@code -Xmx} holds any job ({@link #shared()} takes half of it).</li>
 * </ul>
 *
 * <p>Waiting never deadlocks as long as no one waits while holding bytes that only they can hand back.
 * {@link #take} waits, for callers whose held buffers are handed back by others (parts being uploaded
 * on other threads); {@link #tryTake} does not, for callers that hand their own buffers back and so
 * must first do that; and a thread that holds a {@link #reserve reservation} is never made to wait:
 * what it asks for beyond it is granted at once, over the budget if need be. One request larger than
 * the whole budget is granted when nothing else is in use.
 *
 * <p>A buffer handed back must no longer be used by anyone. Thread-safe.
 */
public final class PartBuffers {
    /** The smallest budget {@link #shared()} takes: 4 parts of 16 MiB. */
    static final long MIN_SHARED_BUDGET = 64L << 20;

    private static final PartBuffers SHARED = new PartBuffers(sharedBudget(Runtime.getRuntime().maxMemory()));

    private final long budget;
    /** Bytes of this pool reserved by the current thread and not yet handed back (see {@link #reserve}). */
    private final ThreadLocal<long[]> reservedByThread = ThreadLocal.withInitial(() -> new long[1]);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition handedBack = lock.newCondition();
    /** Free buffers by size, guarded by {@link #lock}. */
    private final Map<Integer, ArrayDeque<byte[]>> free = new HashMap<>();
    /** Bytes in use, guarded by {@link #lock}. */
    private long inUse;
    /** Bytes in use or free, guarded by {@link #lock}. */
    private long allocated;

    /** @param budget the most bytes allocated at once (but see the class comment) */
    public PartBuffers(long budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be positive: " + budget);
        }
        this.budget = budget;
    }

    /**
     * The process's buffers, shared by every store and transfer, with half of the JVM's maximum heap
     * as the budget (at least {@value #MIN_SHARED_BUDGET} bytes): the rest is for listings, chunks and
     * the SDKs.
     */
    public static PartBuffers shared() {
        return SHARED;
    }

    static long sharedBudget(long maxHeap) {
        return Math.max(MIN_SHARED_BUDGET, maxHeap / 2);
    }

    public long budget() {
        return budget;
    }

    /** Bytes taken or reserved and not yet handed back. */
    public long inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A buffer of exactly {@code size} bytes, reused or new; its content is whatever it held. Waits
     * while the budget is spent (unless this thread holds a reservation).
     *
     * @throws InterruptedException when interrupted while waiting; nothing was taken
     */
    public byte[] take(int size) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                byte[] buffer = takeLocked(size, reservedByThread.get()[0] > 0);
                if (buffer != null) {
                    return buffer;
                }
                handedBack.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A buffer of exactly {@code size} bytes, as {@link #take}, or {@code null} at once when the budget
     * is spent: the caller then hands back one of its own and asks again.
     */
    public byte[] tryTake(int size) {
        lock.lock();
        try {
            return takeLocked(size, reservedByThread.get()[0] > 0);
        } finally {
            lock.unlock();
        }
    }

    /** Hands {@code buffer} back for the next {@link #take} of its size. */
    public void release(byte[] buffer) {
        lock.lock();
        try {
            inUse -= buffer.length;
            if (allocated > budget) {
                allocated -= buffer.length; // granted over the budget: let it go
            } else {
                free.computeIfAbsent(buffer.length, size -> new ArrayDeque<>()).push(buffer);
            }
            handedBack.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts {@code bytes} that the current thread is about to hold in an array of its own (an object
     * read whole), waiting while the budget is spent; the thread hands them back itself, with
     * {@link Reservation#close}. While it holds them, it is never made to wait for more.
     *
     * @throws InterruptedException when interrupted while waiting; nothing was reserved
     */
    public Reservation reserve(long bytes) throws InterruptedException {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        long[] reserved = reservedByThread.get();
        lock.lockInterruptibly();
        try {
            while (!(reserved[0] > 0 || inUse == 0 || fits(bytes))) {
                handedBack.await();
            }
            inUse += bytes;
            allocated += bytes;
        } finally {
            lock.unlock();
        }
        reserved[0] += bytes;
        return new Reservation(bytes);
    }

    /** Bytes counted by {@link #reserve}; closing hands them back, once, on the thread that reserved them. */
    public final class Reservation implements AutoCloseable {
        private long bytes;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            if (bytes == 0) {
                return;
            }
            reservedByThread.get()[0] -= bytes;
            lock.lock();
            try {
                inUse -= bytes;
                allocated -= bytes;
                handedBack.signalAll();
            } finally {
                lock.unlock();
            }
            bytes = 0;
        }
    }

    private byte[] takeLocked(int size, boolean overBudget) {
        ArrayDeque<byte[]> ofSize = free.get(size);
        byte[] buffer = ofSize == null ? null : ofSize.poll();
        if (buffer == null) {
            if (!(overBudget || inUse == 0 || fits(size))) {
                return null;
            }
            allocated += size;
            buffer = new byte[size];
        }
        inUse += size;
        return buffer;
    }

    /**
     * Whether {@code bytes} more fit in the budget, once free buffers (none of the size asked for, or
     * one would have been reused) are let go as far as needed.
     */
    private boolean fits(long bytes) {
        Iterator<ArrayDeque<byte[]>> sizes = free.values().iterator();
        while (allocated + bytes > budget && sizes.hasNext()) {
            ArrayDeque<byte[]> ofSize = sizes.next();
            while (allocated + bytes > budget && !ofSize.isEmpty()) {
                allocated -= ofSize.pop().length;
            }
            if (ofSize.isEmpty()) {
                sizes.remove();
            }
        }
        return allocated + bytes <= budget;
    }
}
