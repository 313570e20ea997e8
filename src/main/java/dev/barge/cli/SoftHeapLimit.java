package dev.barge.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.function.LongSupplier;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the old generation of the heap near what is live on long runs, without a cap that could cut a
 * job short.
 *
 * <p>Why: the serial collector that {@code bin/barge} runs promotes what outlives its small young
 * generation, and grows the old generation up to the maximum heap (a quarter of the machine) before it
 * ever collects it. 100,000 server-side copies left 1,153 MB of heap, of which 47-61 MB was live, and
 * 1,350 MB resident. A cap ({@code -Xmx}) bounds that, but it would also fail a job whose live set is
 * large for good reason (the names of a flat directory of millions of files).
 *
 * <p>How: the JVM reports when the old generation passes a usage threshold ({@code java.lang.management}),
 * and this then collects it ({@link System#gc()}): the serial collector shrinks the heap back towards
 * what is live ({@code -XX:MaxHeapFreeRatio}) and hands the memory back to the system. The threshold
 * after a collection is the larger of the limit and twice what is live, so that a live set near the
 * limit is not collected over and over: the limit is soft.
 *
 * <p>{@code bin/barge} turns it on for the commands that run jobs, with the system property
 * {@value #PROPERTY} (bytes, or with a {@code k}, {@code m} or {@code g} suffix); without it nothing is
 * installed.
 */
public final class SoftHeapLimit implements NotificationListener, AutoCloseable {
    /** The system property holding the limit. */
    public static final String PROPERTY = "barge.soft-heap-limit";

    private static final Logger log = LoggerFactory.getLogger(SoftHeapLimit.class);

    private final MemoryPoolMXBean oldGeneration;
    private final long limit;
    private final Runnable collect;
    private final LongSupplier liveAfterCollection;

    SoftHeapLimit(MemoryPoolMXBean oldGeneration, long limit, Runnable collect, LongSupplier liveAfterCollection) {
        this.oldGeneration = oldGeneration;
        this.limit = limit;
        this.collect = collect;
        this.liveAfterCollection = liveAfterCollection;
    }

    /**
     * Installs the limit that {@value #PROPERTY} names, if it names one and the collector has an old
     * generation that reports a usage threshold.
     *
     * @throws IllegalArgumentException when the property is not a size (and only then)
     */
    public static void installFromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return;
        }
        long limit = parseSize(value);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported() && isOldGeneration(pool.getName())) {
                install(pool, limit, System::gc, () -> pool.getUsage().getUsed());
                return;
            }
        }
    }

    /**
     * Sets {@code limit} as the usage threshold of {@code oldGeneration}, and listens for its crossing.
     *
     * @param collect runs when the threshold is passed (the collection)
     * @param liveAfterCollection the old generation's bytes after {@code collect}
     */
    static SoftHeapLimit install(MemoryPoolMXBean oldGeneration, long limit, Runnable collect,
            LongSupplier liveAfterCollection) {
        SoftHeapLimit installed = new SoftHeapLimit(oldGeneration, limit, collect, liveAfterCollection);
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(installed,
                n -> MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType()), null);
        installed.setThreshold(limit);
        return installed;
    }

    /**
     * Sets the old generation's threshold, at most its maximum size (a heap capped below the limit,
     * {@code -Xmx}: the JVM refuses a threshold above the maximum, and the cap bounds the heap anyway).
     */
    private void setThreshold(long threshold) {
        long max = oldGeneration.getUsage().getMax();
        oldGeneration.setUsageThreshold(max >= 0 ? Math.min(threshold, max) : threshold);
    }

    /** Stops listening and clears the threshold. */
    @Override
    public void close() {
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(this);
        } catch (javax.management.ListenerNotFoundException e) {
            // not listening: nothing to stop
        }
        oldGeneration.setUsageThreshold(0);
    }

    /** The old generation passed the threshold: collect, then set the threshold from what is live. */
    @Override
    public void handleNotification(Notification notification, Object handback) {
        collect.run();
        long live = liveAfterCollection.getAsLong();
        long next = nextThreshold(limit, live);
        setThreshold(next);
        log.debug("old generation past its threshold: collected, {} bytes live, next collection above {} bytes",
                live, next);
    }

    /** The threshold after a collection that left {@code live} bytes: the limit, or twice what is live. */
    static long nextThreshold(long limit, long live) {
        return Math.max(limit, live > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * live);
    }

    /** The old generation of the serial ("Tenured Gen"), parallel ("PS Old Gen") and G1 ("G1 Old Gen") collectors. */
    static boolean isOldGeneration(String poolName) {
        return poolName.contains("Old Gen") || poolName.contains("Tenured");
    }

    /** {@code 268435456}, {@code 256m}, {@code 262144k}, {@code 1g}: bytes. */
    static long parseSize(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
        switch (last) {
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            default -> { }
        }
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n > 0 && n <= Long.MAX_VALUE / unit) {
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " is not a size: give bytes, or a"
                + " number with k, m or g, e.g. -D" + PROPERTY + "=256m");
    }
}
