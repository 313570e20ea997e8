package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a remote's operations rate adapts to the store (AIMD, as TCP adapts to a network): when the
 * store throttles ({@link dev.barge.storage.ErrorKind#THROTTLED}) at least {@code minThrottled} of
 * the attempts answered over the last one to two seconds, and at least {@code throttledShare} of them
 * ({@link ThrottleSignal}), the rate is multiplied by {@code decrease}, never below {@code floor}, at
 * most once per {@code hold} (a burst of throttled answers, one per request in flight, is one
 * signal, not fifty); then each {@code recovery} without a step down
 * adds {@code stepFraction} of the configured limit (or, with none configured, of the rate admitted
 * when the store first throttled) back, up to the configured limit. Without a configured limit the
 * rate is unlimited until the store first throttles, then starts from the rate admitted just before.
 *
 * <p>Only operations adapt: S3's {@code 503 SlowDown}, OSS's and Kodo's throttling codes limit
 * requests; the bytes limit guards a network and stays as configured.
 *
 * @param enabled whether throttled answers step the rate down at all
 * @param decrease the factor a step down multiplies the rate by, in (0, 1)
 * @param floor the lowest rate a step down leaves, per second
 * @param hold how long after a step down further throttled answers are taken as the same signal
 * @param recovery how long without a step down adds one step back
 * @param stepFraction one step, as a fraction of the configured limit
 * @param throttledShare the share of recent answers that must be throttled for a step down, in [0, 1]
 * @param minThrottled how many recent answers at least must be throttled for a step down, >= 1
 */
public record AdaptiveRateSettings(boolean enabled, double decrease, double floor, Duration hold, Duration recovery,
        double stepFraction, double throttledShare, int minThrottled) {

    /**
     * Halve, at most once a second, not below 1 request/s, when at least 2 and 5 % of the last one to
     * two seconds' answers were throttled; a tenth of the limit back every 5 s. Over its limit a
     * store throttles the excess, so the rate settles within about 5 % above what it accepts.
     */
    public static final AdaptiveRateSettings DEFAULT = new AdaptiveRateSettings(true, 0.5, 1.0, Duration.ofSeconds(1),
            Duration.ofSeconds(5), 0.1, 0.05, 2);

    /** A fixed rate: throttled answers are retried but do not change it. */
    public static final AdaptiveRateSettings OFF = new AdaptiveRateSettings(false, 0.5, 1.0, Duration.ofSeconds(1),
            Duration.ofSeconds(5), 0.1, 0.05, 2);

    public AdaptiveRateSettings {
        requireNonNull(hold, "hold is null");
        requireNonNull(recovery, "recovery is null");
        if (!(decrease > 0 && decrease < 1)) {
            throw new IllegalArgumentException("decrease must be in (0, 1): " + decrease);
        }
        if (!(floor > 0) || Double.isInfinite(floor)) {
            throw new IllegalArgumentException("floor must be > 0: " + floor);
        }
        if (!(stepFraction > 0) || Double.isInfinite(stepFraction)) {
            throw new IllegalArgumentException("stepFraction must be > 0: " + stepFraction);
        }
        if (!(throttledShare >= 0 && throttledShare <= 1)) {
            throw new IllegalArgumentException("throttledShare must be in [0, 1]: " + throttledShare);
        }
        if (minThrottled < 1) {
            throw new IllegalArgumentException("minThrottled must be >= 1: " + minThrottled);
        }
        if (hold.isNegative() || recovery.isNegative() || recovery.isZero()) {
            throw new IllegalArgumentException("hold must be >= 0 and recovery > 0");
        }
    }
}
