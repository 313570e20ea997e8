package dev.barge.storage.layer;

/**
 * One remote's budget of one kind (operations or bytes) per second, which the rate-limit layer
 * spends: in this process ({@link RateBudgets#IN_PROCESS}), or shared by every process of a cluster
 * (the job repository's, see {@code dev.barge.config.SharedRateBudgets}). Thread-safe.
 *
 * <p>Over any window of {@code t} seconds a budget admits at most {@code rate * (t + 1)} tokens
 * (a burst of one second's worth) plus, when shared, what each process holds leased at the start
 * of the window; see the implementation.
 */
public interface RateBudget {

    /** Waits until {@code tokens} may be spent; returns at once when there is no limit. */
    void acquire(long tokens) throws InterruptedException;

    /** Gives back tokens acquired but not spent (bytes paid for and not read). */
    void refund(long tokens);

    /**
     * The store is throttling ({@link dev.barge.storage.ErrorKind#THROTTLED} answers, enough of them
     * to be a signal, see {@link ThrottleSignal}): steps the rate down (once per hold, see
     * {@link AdaptiveRateSettings}); a no-op when the rate does not adapt.
     *
     * @param admittedPerSecond what this process was sending, for a budget with no limit yet
     */
    void throttled(double admittedPerSecond);

    /** The rate per second now; {@link Double#POSITIVE_INFINITY} for no limit. */
    double rate();

    /** How many times throttled answers stepped this rate down, as far as this process knows. */
    long stepDowns();
}
