package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the retry layer retries: up to {@code maxAttempts} sends in all, waiting
 * {@code initialDelay} after the first failure and {@code multiplier} times longer after each
 * next one, never more than {@code maxDelay}, each wait moved by a random jitter of up to
 * {@code jitter} so that many workers do not retry in step, and giving up once the next wait
 * would end after {@code maxElapsed} from the first send.
 */
public record RetrySettings(
        int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, Duration jitter,
        Duration maxElapsed) {

    /** 5 attempts, 200 ms doubling to at most 10 s, ±100 ms jitter, 2 minutes in all. */
    public static final RetrySettings DEFAULT = new RetrySettings(5, Duration.ofMillis(200), 2.0,
            Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(2));

    /** One attempt: no retries at all. */
    public static final RetrySettings NONE = new RetrySettings(1, Duration.ZERO, 1.0, Duration.ZERO, Duration.ZERO,
            Duration.ZERO);

    public RetrySettings {
        requireNonNull(initialDelay, "initialDelay is null");
        requireNonNull(maxDelay, "maxDelay is null");
        requireNonNull(jitter, "jitter is null");
        requireNonNull(maxElapsed, "maxElapsed is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
        }
        if (initialDelay.isNegative() || maxDelay.isNegative() || jitter.isNegative() || maxElapsed.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }
}
