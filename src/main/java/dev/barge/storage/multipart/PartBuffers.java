package dev.barge.storage.multipart;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Part buffers handed back after use and handed out again, so that a multipart transfer allocates
 * (and the JVM zeroes and collects) a part-sized array only when more parts are in flight than ever
 * before. Without it each 16 MiB part was a new array: a gigabyte moved was a gigabyte of
 * short-lived garbage, which the collector met by growing the heap (1.2-1.4 GiB resident for
 * 4 x 256 MiB at concurrency 4). What is kept is at most what was in use at once, by size. Shared
 * by the {@link MultipartEngine} and the transfers' own multipart copies.
 *
 * <p>A buffer handed back must no longer be used by anyone: it is handed back after its part is
 * uploaded and hashed, on the thread that did the last of that. Thread-safe.
 */
public final class PartBuffers {
    private final Map<Integer, Queue<byte[]>> free = new ConcurrentHashMap<>();

    /** A buffer of exactly {@code size} bytes, reused or new; its content is whatever it held. */
    public byte[] take(int size) {
        Queue<byte[]> ofSize = free.get(size);
        byte[] buffer = ofSize == null ? null : ofSize.poll();
        return buffer != null ? buffer : new byte[size];
    }

    /** Hands {@code buffer} back for the next {@link #take} of its size. */
    public void release(byte[] buffer) {
        free.computeIfAbsent(buffer.length, size -> new ConcurrentLinkedQueue<>()).add(buffer);
    }
}
