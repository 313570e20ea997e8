package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import io.github.bucket4j.TimeMeter;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a remote's recent answers say about its load: how many attempts it answered, and how many of
 * those it throttled, over the current window of one second and the one before it. A step down of
 * the rate needs {@linkplain #overloaded evidence}: enough throttled answers, making up enough of
 * all answers ({@link AdaptiveRateSettings#minThrottled()}, {@link AdaptiveRateSettings#throttledShare()}).
 * One throttled answer in hundreds is a store's noise, which the retry layer absorbs; halving the
 * rate for each would hold a long job near the floor for nothing, since a store that throttles at
 * random throttles the same share at any rate. A store over its limit throttles the excess, and the
 * share shows it.
 *
 * <p>Also the rate this process is sending, answered attempts per second, where a first limit starts
 * for a remote with none configured. Thread-safe; an answer costs two adder increments.
 */
final class ThrottleSignal {
    static final long WINDOW_NANOS = 1_000_000_000L;

    private final TimeMeter clock;
    private final LongAdder answers = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private volatile long windowStart;
    private volatile long previousStart;
    private volatile long previousAnswers;
    private volatile long previousThrottled;

    ThrottleSignal(TimeMeter clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.windowStart = clock.currentTimeNanos();
        this.previousStart = windowStart;
    }

    /** Records one answered attempt: throttled, or anything else (success or another failure). */
    void answered(boolean wasThrottled) {
        roll(clock.currentTimeNanos());
        answers.increment();
        if (wasThrottled) {
            throttled.increment();
        }
    }

    /** Whether the answers of the last one to two seconds are throttled enough to step the rate down. */
    boolean overloaded(AdaptiveRateSettings adaptive) {
        roll(clock.currentTimeNanos());
        long t = throttled.sum() + previousThrottled;
        long a = answers.sum() + previousAnswers;
        return t >= adaptive.minThrottled() && t >= adaptive.throttledShare() * a;
    }

    /** Attempts answered per second over the last one to two seconds (at least one second's span). */
    double answeredPerSecond() {
        long now = clock.currentTimeNanos();
        roll(now);
        long span = Math.max(WINDOW_NANOS, now - previousStart);
        return (answers.sum() + previousAnswers) * 1e9 / span;
    }

    /** Starts a new window once the current one is a second old; a window older than two is forgotten. */
    private void roll(long now) {
        if (now - windowStart < WINDOW_NANOS) {
            return;
        }
        synchronized (this) {
            long start = windowStart;
            if (now - start < WINDOW_NANOS) {
                return;
            }
            long a = answers.sumThenReset();
            long t = throttled.sumThenReset();
            boolean recent = now - start < 2 * WINDOW_NANOS;
            previousAnswers = recent ? a : 0;
            previousThrottled = recent ? t : 0;
            previousStart = recent ? start : now;
            windowStart = now;
        }
    }
}
