package dev.barge.storage.layer;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * Where the budgets of remotes live. The storage layer knows no database: the budgets that every
 * process of a cluster shares are made in {@code dev.barge.config} and given to {@link StoreLayers}.
 */
@FunctionalInterface
public interface RateBudgets {

    /**
     * The budget of one remote and kind.
     *
     * @param remote the remote's name, the same on every machine of a cluster
     * @param kind what the tokens stand for
     * @param limitPerSecond the configured limit, {@code 0} for none (an adaptive budget starts at the first throttle)
     * @param adaptive how throttled answers change the rate
     */
    RateBudget budget(String remote, Kind kind, double limitPerSecond, AdaptiveRateSettings adaptive);

    /**
     * Budgets of this process alone, one Bucket4j bucket each: one store instance per remote
     * ({@link dev.barge.storage.StoreRegistry}) means every partition of the process spends the same one.
     */
    RateBudgets IN_PROCESS = (remote, kind, limit, adaptive) -> new LocalRateBudget(remote, limit, adaptive,
            TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);

    /**
     * The token bucket of a rate: one second's worth at most ({@code ceil(rate)}, at least 1), refilled
     * one token at a time as the rate allows, so over any {@code t} seconds at most {@code rate * (t + 1)}.
     */
    static BucketConfiguration bucketConfiguration(double perSecond) {
        long capacity = Math.max(1, (long) Math.ceil(perSecond));
        long nanosPerToken = Math.max(1, Math.round(1_000_000_000d / perSecond));
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(1, Duration.ofNanos(nanosPerToken)))
                .build();
    }

    /** What a budget's tokens stand for. */
    enum Kind {
        OPERATIONS("operations"),
        BYTES("bytes");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
