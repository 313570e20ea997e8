package dev.barge.storage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.ObjectContent;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Runs the limiter on simulated time: waiting advances the clock instead of sleeping. Checks
 * the upper bound over every window, and that the limiter does hold calls back.
 */
class RateLimitingObjectStoreTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong();
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return now.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    private final BlockingStrategy advanceClock = now::addAndGet;

    @Test
    void operationsNeverExceedTheRatePlusBurstInAnyWindow() {
        List<Long> admitted = new ArrayList<>();
        ScriptedStore store = new ScriptedStore() {
            @Override
            public dev.barge.storage.ObjectInfo stat(String bucket, String key) {
                admitted.add(now.get());
                return super.stat(bucket, key);
            }
        };
        RateLimitingObjectStore limited =
                new RateLimitingObjectStore(store, new RateLimitSettings(10, 0), clock, advanceClock);

        for (int i = 0; i < 100; i++) {
            limited.stat("b", "k" + i);
            now.addAndGet(SECOND / 1000); // each call takes 1 ms
        }

        assertWithinLimit(admitted, i -> 1L, 10, 10);
        assertThat(now.get()).as("100 calls at 10/s with a burst of 10 take at least 9 s").isGreaterThanOrEqualTo(9 * SECOND);
    }

    @Test
    void streamedBytesNeverExceedTheRatePlusBurstInAnyWindow() throws IOException {
        List<Long> times = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        ScriptedStore store = new ScriptedStore() {
            @Override
            InputStream openContent() {
                return new FilterInputStream(new ByteArrayInputStream(content)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            times.add(now.get());
                            sizes.add((long) n);
                        }
                        return n;
                    }
                };
            }
        };
        store.content = new byte[20_000];
        RateLimitingObjectStore limited =
                new RateLimitingObjectStore(store, new RateLimitSettings(0, 1000), clock, advanceClock);

        try (ObjectContent content = limited.get("b", "k")) {
            byte[] buffer = new byte[300];
            while (content.body().read(buffer) >= 0) {
                now.addAndGet(SECOND / 100);
            }
        }

        assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
        assertWithinLimit(times, sizes::get, 1000, 1000);
        assertThat(now.get()).as("20 kB at 1 kB/s with a 1 kB burst take at least 19 s").isGreaterThanOrEqualTo(19 * SECOND);
    }

    /** For every window between two admissions: admitted amount <= burst + rate * window. */
    private static void assertWithinLimit(List<Long> times, java.util.function.IntFunction<Long> amount, double rate,
            long burst) {
        for (int i = 0; i < times.size(); i++) {
            long total = 0;
            for (int j = i; j < times.size(); j++) {
                total += amount.apply(j);
                double window = (times.get(j) - times.get(i)) / (double) SECOND;
                assertThat((double) total).as("admitted between events %d and %d (%.3f s)", i, j, window)
                        .isLessThanOrEqualTo(burst + rate * window + 1e-6);
            }
        }
    }
}
