package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SoftHeapLimitTest {
    private static final long MIB = 1L << 20;

    @Test
    void theOldGenerationPastTheLimitIsCollectedAndTheNextThresholdFollowsWhatIsLive() throws Exception {
        MemoryPoolMXBean old = oldGeneration();
        System.gc();
        long limit = old.getUsage().getUsed() + 8 * MIB;
        CountDownLatch collected = new CountDownLatch(1);
        long live = limit + 100 * MIB; // as if the collection had left this much
        try (SoftHeapLimit installed = SoftHeapLimit.install(old, limit, collected::countDown, () -> live)) {
            // 32 MiB kept past a collection: promoted (the serial and parallel collectors) or allocated
            // in the old generation directly (G1's humongous arrays), either way above the limit
            byte[][] kept = new byte[4][];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = new byte[Math.toIntExact(8 * MIB)];
            }
            System.gc(); // the JVM compares the pools with their thresholds after a collection

            assertThat(collected.await(30, TimeUnit.SECONDS)).as("collected after the limit was passed").isTrue();
            assertThat(kept[3]).hasSize(Math.toIntExact(8 * MIB));
            awaitThreshold(old, 2 * live);
        }
        assertThat(old.getUsageThreshold()).isZero();
    }

    @Test
    void aLimitAboveTheMaximumHeapIsTheMaximum() {
        // -Xmx below the limit: the JVM refuses a threshold above the old generation's maximum
        MemoryPoolMXBean old = oldGeneration();
        long max = old.getUsage().getMax();
        try (SoftHeapLimit installed = SoftHeapLimit.install(old, Long.MAX_VALUE / 4, () -> { }, () -> 0)) {
            assertThat(old.getUsageThreshold()).isEqualTo(max >= 0 ? max : Long.MAX_VALUE / 4);
        }
    }

    @Test
    void theNextThresholdIsTheLimitOrTwiceWhatIsLive() {
        assertThat(SoftHeapLimit.nextThreshold(256 * MIB, 50 * MIB)).isEqualTo(256 * MIB);
        assertThat(SoftHeapLimit.nextThreshold(256 * MIB, 300 * MIB)).isEqualTo(600 * MIB);
        assertThat(SoftHeapLimit.nextThreshold(1, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void sizesAreBytesOrWithASuffix() {
        assertThat(SoftHeapLimit.parseSize("268435456")).isEqualTo(256 * MIB);
        assertThat(SoftHeapLimit.parseSize("256m")).isEqualTo(256 * MIB);
        assertThat(SoftHeapLimit.parseSize("262144K")).isEqualTo(256 * MIB);
        assertThat(SoftHeapLimit.parseSize(" 1g ")).isEqualTo(1024 * MIB);
        for (String bad : new String[] {"", "m", "-1m", "0", "lots", "9999999999g"}) {
            assertThatThrownBy(() -> SoftHeapLimit.parseSize(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(SoftHeapLimit.PROPERTY).hasMessageContaining("256m");
        }
    }

    @Test
    void theOldGenerationsOfTheCollectorsAreKnownByName() {
        assertThat(SoftHeapLimit.isOldGeneration("Tenured Gen")).isTrue();
        assertThat(SoftHeapLimit.isOldGeneration("PS Old Gen")).isTrue();
        assertThat(SoftHeapLimit.isOldGeneration("G1 Old Gen")).isTrue();
        assertThat(SoftHeapLimit.isOldGeneration("Eden Space")).isFalse();
        assertThat(SoftHeapLimit.isOldGeneration("G1 Survivor Space")).isFalse();
    }

    private static MemoryPoolMXBean oldGeneration() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isUsageThresholdSupported()
                        && SoftHeapLimit.isOldGeneration(p.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no old generation pool in this JVM"));
    }

    /** The handler sets the next threshold after it has collected, on the notification's thread. */
    private static void awaitThreshold(MemoryPoolMXBean pool, long expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pool.getUsageThreshold() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threshold " + pool.getUsageThreshold() + ", expected " + expected);
            }
            Thread.onSpinWait();
        }
    }
}
