package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A budget of this process: one in-memory Bucket4j bucket, its configuration replaced whenever the
 * adaptive rate changes (tokens kept in proportion, so a step down also shrinks what is banked).
 */
final class LocalRateBudget implements RateBudget {
    private static final Logger log = LoggerFactory.getLogger(LocalRateBudget.class);

    private final String remote;
    private final AdaptiveRateSettings adaptive;
    private final TimeMeter clock;
    private final BlockingStrategy blocking;
    private RateState state;
    private long version = -1;
    private double rate = Double.POSITIVE_INFINITY;
    private Bucket bucket;
    private long stepDowns;

    LocalRateBudget(String remote, double limitPerSecond, AdaptiveRateSettings adaptive, TimeMeter clock,
            BlockingStrategy blocking) {
        this.remote = requireNonNull(remote, "remote is null");
        this.adaptive = requireNonNull(adaptive, "adaptive is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.blocking = requireNonNull(blocking, "blocking is null");
        this.state = RateState.initial(limitPerSecond, adaptive);
    }

    @Override
    public void acquire(long tokens) throws InterruptedException {
        Bucket current = current();
        if (current != null) {
            current.asBlocking().consume(tokens, blocking);
        }
    }

    @Override
    public void refund(long tokens) {
        Bucket current = current();
        if (current != null && tokens > 0) {
            current.addTokens(tokens);
        }
    }

    @Override
    public void throttled(double admittedPerSecond) {
        if (!adaptive.enabled()) {
            return;
        }
        RateState next;
        synchronized (this) {
            next = state.throttledAt(millis(), admittedPerSecond, adaptive);
            if (next == state) {
                return;
            }
            state = next;
            stepDowns++;
        }
        log.warn("{} is throttling: its rate steps down to {} requests/s", remote, Math.round(next.baseRate() * 10) / 10.0);
    }

    @Override
    public synchronized double rate() {
        current();
        return rate;
    }

    @Override
    public synchronized long stepDowns() {
        return stepDowns;
    }

    /** The bucket at the current rate, reconfigured if the rate changed; null when there is no limit. */
    private synchronized Bucket current() {
        if (state.unlimited()) {
            return null;
        }
        long now = millis();
        long v = state.version(now, adaptive);
        if (v != version) {
            rate = state.rateAt(now, adaptive);
            if (bucket == null) {
                bucket = Bucket.builder()
                        .addLimit(RateBudgets.bucketConfiguration(rate).getBandwidths()[0])
                        .withCustomTimePrecision(clock)
                        .build();
            } else {
                bucket.replaceConfiguration(RateBudgets.bucketConfiguration(rate), TokensInheritanceStrategy.PROPORTIONALLY);
            }
            version = v;
        }
        return bucket;
    }

    private long millis() {
        return clock.currentTimeNanos() / 1_000_000;
    }
}
