package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the retry layer retries: up to {@code maxAttempts} sends in all, waiting
 * {@code initialDelay} after the first failure and {@code multiplier} times longer after each
 * next one, never more than {@code maxDelay}, each wait moved by a random jitter of up to
 * {@code jitter} so that many workers do not retry in step, and giving up once the next wait
 * would end after {@code maxElapsed} from the first send.
 *
 * <p>A store that throttles asks for fewer requests, it does not fail them: when the attempts or
 * the time run out on a {@link dev.barge.storage.ErrorKind#THROTTLED} answer, the request starts
 * again with a fresh count, for up to {@code maxThrottled} in all. Throttling makes a job slower;
 * it does not make an object fail while the store keeps answering, if only "slow down".
 *
 * @param maxThrottled how long one request may go on being throttled before it fails (zero: as
 *     any other retryable failure)
 */
public record RetrySettings(
        int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, Duration jitter,
        Duration maxElapsed, Duration maxThrottled) {

    /** How long one request may be throttled by default: an hour. */
    public static final Duration DEFAULT_MAX_THROTTLED = Duration.ofHours(1);

    /** 5 attempts, 200 ms doubling to at most 10 s, ±100 ms jitter, 2 minutes in all; throttled for up to an hour. */
    public static final RetrySettings DEFAULT = new RetrySettings(5, Duration.ofMillis(200), 2.0,
            Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(2), DEFAULT_MAX_THROTTLED);

    /** One attempt: no retries at all. */
    public static final RetrySettings NONE = new RetrySettings(1, Duration.ZERO, 1.0, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO);

    /** Settings under which a throttled answer is retried as any other retryable failure (no {@code maxThrottled}). */
    public RetrySettings(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, Duration jitter,
            Duration maxElapsed) {
        this(maxAttempts, initialDelay, multiplier, maxDelay, jitter, maxElapsed, Duration.ZERO);
    }

    public RetrySettings {
        requireNonNull(initialDelay, "initialDelay is null");
        requireNonNull(maxDelay, "maxDelay is null");
        requireNonNull(jitter, "jitter is null");
        requireNonNull(maxElapsed, "maxElapsed is null");
        requireNonNull(maxThrottled, "maxThrottled is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
        }
        if (initialDelay.isNegative() || maxDelay.isNegative() || jitter.isNegative() || maxElapsed.isNegative()
                || maxThrottled.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }
}
