package dev.barge.storage.layer;

/**
 * Where an adaptive rate stands, as a value every process computes the same rate from: the rate the
 * last step down set ({@code baseRate}) and when, the configured ceiling, and the step that
 * recovery adds per interval. The current rate is a function of this state and the time, so a
 * shared copy (a row in the job repository) needs writing only when the rate steps down, never to
 * recover: every process sees the same rate at the same moment without asking the others.
 *
 * @param baseRate per second, as set by the last step down (or the ceiling); infinite for no limit
 * @param changedAtMillis when the last step down happened (epoch milliseconds), 0 for never
 * @param ceiling the configured limit per second; infinite for none
 * @param step what each recovery interval adds, per second
 * @param decreases how many step downs there have been: orders versions of the rate
 */
public record RateState(double baseRate, long changedAtMillis, double ceiling, double step, long decreases) {

    private static final long STEPS_PER_DECREASE = 1_000_000;

    /** The state of a configured limit ({@code <= 0} for none) before the store ever throttled. */
    public static RateState initial(double limitPerSecond, AdaptiveRateSettings adaptive) {
        if (limitPerSecond <= 0) {
            return new RateState(Double.POSITIVE_INFINITY, 0, Double.POSITIVE_INFINITY, 0, 0);
        }
        return new RateState(limitPerSecond, 0, limitPerSecond, limitPerSecond * adaptive.stepFraction(), 0);
    }

    /** Whether there is no limit at all (none configured, and the store never throttled). */
    public boolean unlimited() {
        return Double.isInfinite(baseRate);
    }

    /** The rate per second at {@code nowMillis}: the base plus the recovery steps since, up to the ceiling. */
    public double rateAt(long nowMillis, AdaptiveRateSettings adaptive) {
        if (unlimited()) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.min(ceiling, baseRate + steps(nowMillis, adaptive) * step);
    }

    /**
     * A number that grows with every change of {@link #rateAt}: a step down, or a step of recovery;
     * unchanged once the rate is back at its ceiling. Bucket4j replaces a shared bucket's
     * configuration only for a higher version, so a process behind the others never sets an older rate.
     */
    public long version(long nowMillis, AdaptiveRateSettings adaptive) {
        return decreases * STEPS_PER_DECREASE + steps(nowMillis, adaptive);
    }

    private long steps(long nowMillis, AdaptiveRateSettings adaptive) {
        if (decreases == 0 || step <= 0 || nowMillis <= changedAtMillis) {
            return 0;
        }
        long steps = (nowMillis - changedAtMillis) / adaptive.recovery().toMillis();
        double toCeiling = Math.ceil((ceiling - baseRate) / step);
        if (!Double.isInfinite(toCeiling)) {
            steps = Math.min(steps, (long) Math.max(0, toCeiling));
        }
        return Math.min(steps, STEPS_PER_DECREASE - 1);
    }

    /**
     * The state after a throttled answer at {@code nowMillis}: the current rate times the decrease,
     * not below the floor; this same state when the last step down is less than the hold ago (the
     * same burst). Without a limit so far, the current rate is {@code admittedPerSecond}, what was
     * being sent just before.
     */
    public RateState throttledAt(long nowMillis, double admittedPerSecond, AdaptiveRateSettings adaptive) {
        if (decreases > 0 && nowMillis - changedAtMillis < adaptive.hold().toMillis()) {
            return this;
        }
        double floor = Math.min(adaptive.floor(), ceiling);
        double current = unlimited() ? Math.max(floor, admittedPerSecond) : rateAt(nowMillis, adaptive);
        double next = Math.max(floor, current * adaptive.decrease());
        double nextStep = Double.isInfinite(ceiling) ? Math.max(current * adaptive.stepFraction(), floor * adaptive.stepFraction()) : step;
        return new RateState(next, nowMillis, ceiling, nextStep, decreases + 1);
    }
}
