package dev.barge.storage.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.StorageException;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The AIMD rate on simulated time: throttled answers, enough of them and a large enough share of
 * all answers, halve it once per hold, never below the floor; sporadic ones do not; recovery adds a tenth of the limit per interval up to the limit; with no limit, the
 * first throttle starts one from the rate admitted just before. And the retry layer does not turn
 * throttling into a failure while it lasts less than {@code maxThrottled}.
 */
class AdaptiveRateLimitTest {
    private static final long SECOND = 1_000_000_000L;
    private static final AdaptiveRateSettings AIMD = AdaptiveRateSettings.DEFAULT;

    private final AtomicLong now = new AtomicLong(SECOND);
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
    void aThrottleHalvesTheRateOncePerHoldAndRecoveryStepsItBackToTheLimit() {
        LocalRateBudget budget = new LocalRateBudget("r", 100, AIMD, clock, advanceClock);
        assertThat(budget.rate()).isEqualTo(100);

        budget.throttled(0);
        budget.throttled(0); // the same burst
        budget.throttled(0);
        assertThat(budget.rate()).isEqualTo(50);
        assertThat(budget.stepDowns()).isEqualTo(1);

        now.addAndGet(SECOND); // past the hold: a new signal
        budget.throttled(0);
        assertThat(budget.rate()).isEqualTo(25);

        now.addAndGet(5 * SECOND);
        assertThat(budget.rate()).as("one step of a tenth of the limit per 5 s").isEqualTo(35);
        now.addAndGet(60 * SECOND);
        assertThat(budget.rate()).as("never above the limit").isEqualTo(100);
        assertThat(budget.stepDowns()).isEqualTo(2);
    }

    @Test
    void stepsNeverGoBelowTheFloor() {
        LocalRateBudget budget = new LocalRateBudget("r", 4, AIMD, clock, advanceClock);
        for (int i = 0; i < 10; i++) {
            budget.throttled(0);
            now.addAndGet(SECOND);
        }
        assertThat(budget.rate()).isEqualTo(1.0);
    }

    @Test
    void withNoLimitTheFirstThrottleStartsOneFromTheAdmittedRate() {
        LocalRateBudget budget = new LocalRateBudget("r", 0, AIMD, clock, advanceClock);
        assertThat(budget.rate()).isInfinite();

        budget.throttled(300);

        assertThat(budget.rate()).isEqualTo(150);
        now.addAndGet(5 * SECOND);
        assertThat(budget.rate()).as("a tenth of the rate it started from, per interval").isCloseTo(180, within(1e-9));
    }

    @Test
    void aFixedRateDoesNotAdapt() {
        LocalRateBudget budget = new LocalRateBudget("r", 100, AdaptiveRateSettings.OFF, clock, advanceClock);
        budget.throttled(100);
        assertThat(budget.rate()).isEqualTo(100);
        assertThat(budget.stepDowns()).isZero();
    }

    @Test
    void theLayerHearsThrottledAttemptsAndTheLowerRateHoldsTheNextOnesBack() {
        ScriptedStore store = new ScriptedStore().failNext(ErrorKind.THROTTLED, ErrorKind.THROTTLED);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        RateLimitingObjectStore limited = limitedStore(store, 10, metrics);

        catchThrowableOfType(StorageException.class, () -> limited.stat("b", "k"));
        assertThat(metrics.get("barge.ratelimit.rate").tags("remote", "r", "kind", "operations").gauge().value())
                .as("one throttled answer is no evidence yet").isEqualTo(10);
        catchThrowableOfType(StorageException.class, () -> limited.stat("b", "k"));

        assertThat(metrics.get("barge.ratelimit.rate").tags("remote", "r", "kind", "operations").gauge().value())
                .isEqualTo(5);
        assertThat(metrics.get("barge.ratelimit.stepdowns").tags("remote", "r").functionCounter().count()).isEqualTo(1);
        long before = now.get();
        for (int i = 0; i < 20; i++) {
            limited.stat("b", "k" + i);
        }
        assertThat(now.get() - before).as("20 calls at 5/s with a burst of 5 take at least 3 s").isGreaterThanOrEqualTo(
                3 * SECOND - SECOND / 10);
    }

    @Test
    void sporadicThrottlesAmongManyAnswersDoNotStepTheRateDown() {
        // one throttled answer in 50 (2 %, under the 5 % share), two of them within each window:
        // a store's noise, which the retry layer absorbs, not a sign of load
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        sendThrottlingEvery(50, 2_000, metrics);
        assertThat(now.get()).as("20 s of simulated time at 100/s").isGreaterThan(15 * SECOND);
        assertThat(metrics.get("barge.ratelimit.stepdowns").tags("remote", "r").functionCounter().count()).isZero();
        assertThat(metrics.get("barge.ratelimit.rate").tags("remote", "r", "kind", "operations").gauge().value())
                .isEqualTo(100);
    }

    @Test
    void aThrottledShareAboveTheThresholdStepsTheRateDown() {
        // one in 10 throttled, as a store 10 % over its limit answers
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        sendThrottlingEvery(10, 100, metrics);
        assertThat(metrics.get("barge.ratelimit.stepdowns").tags("remote", "r").functionCounter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics.get("barge.ratelimit.rate").tags("remote", "r", "kind", "operations").gauge().value())
                .isLessThanOrEqualTo(50);
    }

    @Test
    void theSignalCountsTheLastOneToTwoSecondsAndForgetsOlderAnswers() {
        ThrottleSignal signal = new ThrottleSignal(clock);
        signal.answered(true);
        assertThat(signal.overloaded(AIMD)).as("one throttled answer: below the minimum of two").isFalse();
        now.addAndGet(SECOND);
        signal.answered(true);
        assertThat(signal.overloaded(AIMD)).as("two, within the window and the one before").isTrue();
        for (int i = 0; i < 38; i++) {
            signal.answered(false);
        }
        assertThat(signal.overloaded(AIMD)).as("2 of 40: exactly 5 %").isTrue();
        signal.answered(false);
        assertThat(signal.overloaded(AIMD)).as("2 of 41: under 5 %").isFalse();
        assertThat(signal.answeredPerSecond()).as("41 answers over the last 1-2 s").isCloseTo(41, within(1e-9));

        now.addAndGet(2 * SECOND);
        signal.answered(true);
        assertThat(signal.overloaded(AIMD)).as("the earlier windows are over two seconds old").isFalse();
        assertThat(signal.answeredPerSecond()).isCloseTo(1, within(1e-9));
    }

    @Test
    void withNoLimitTheFirstStepDownStartsFromTheRateBeingSent() {
        ScriptedStore store = new ScriptedStore();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        RateLimitingObjectStore limited = limitedStore(store, 0, metrics);
        for (int i = 0; i < 38; i++) {
            limited.stat("b", "k");
        }
        store.failNext(ErrorKind.THROTTLED, ErrorKind.THROTTLED);
        catchThrowableOfType(StorageException.class, () -> limited.stat("b", "k"));
        catchThrowableOfType(StorageException.class, () -> limited.stat("b", "k"));

        assertThat(metrics.get("barge.ratelimit.rate").tags("remote", "r", "kind", "operations").gauge().value())
                .as("half of the 40 answered within the first second").isCloseTo(20, within(1e-9));
    }

    /** {@code calls} stats at a limit of 100/s, one in {@code every} answered THROTTLED (the first of each run). */
    private void sendThrottlingEvery(int every, int calls, SimpleMeterRegistry metrics) {
        ScriptedStore store = new ScriptedStore();
        RateLimitingObjectStore limited = limitedStore(store, 100, metrics);
        for (int i = 0; i < calls; i++) {
            if (i % every == 0) {
                store.failNext(ErrorKind.THROTTLED);
                catchThrowableOfType(StorageException.class, () -> limited.stat("b", "k"));
            } else {
                limited.stat("b", "k");
            }
        }
    }

    private RateLimitingObjectStore limitedStore(ScriptedStore store, double limit, SimpleMeterRegistry metrics) {
        return new RateLimitingObjectStore(store, "r", new RateLimitSettings(limit, 0), AIMD,
                (remote, kind, l, adaptive) -> new LocalRateBudget(remote, l, adaptive, clock, advanceClock), metrics);
    }

    @Test
    void aRequestThrottledPastItsAttemptsIsSentAgainAndSucceedsInsteadOfFailing() {
        ScriptedStore store = new ScriptedStore().failNext(ErrorKind.THROTTLED, ErrorKind.THROTTLED,
                ErrorKind.THROTTLED, ErrorKind.THROTTLED, ErrorKind.THROTTLED, ErrorKind.THROTTLED, ErrorKind.THROTTLED);
        RetrySettings threeAttempts = new RetrySettings(3, Duration.ofMillis(1), 1.0, Duration.ofMillis(1),
                Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(5));
        RetryingObjectStore retrying = new RetryingObjectStore(store, threeAttempts, RetryingObjectStore.RetryObserver.LOG);

        assertThat(retrying.stat("b", "k").key()).isEqualTo("k");
        assertThat(store.calls).hasValue(8);
    }

    @Test
    void throttlingLongerThanMaxThrottledFailsAsBefore() {
        ScriptedStore store = new ScriptedStore().failAlways(ErrorKind.THROTTLED);
        RetrySettings noPatience = new RetrySettings(3, Duration.ofMillis(1), 1.0, Duration.ofMillis(1), Duration.ZERO,
                Duration.ofMinutes(1), Duration.ZERO);
        RetryingObjectStore retrying = new RetryingObjectStore(store, noPatience, RetryingObjectStore.RetryObserver.LOG);

        StorageException e = catchThrowableOfType(StorageException.class, () -> retrying.stat("b", "k"));

        assertThat(e.kind()).isEqualTo(ErrorKind.THROTTLED);
        assertThat(store.calls).hasValue(3);
    }
}
