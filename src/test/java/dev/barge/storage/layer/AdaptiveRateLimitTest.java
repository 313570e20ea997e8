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
 * The AIMD rate on simulated time: a throttled answer halves it once per hold, never below the
 * floor; recovery adds a tenth of the limit per interval up to the limit; with no limit, the
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
        ScriptedStore store = new ScriptedStore().failNext(ErrorKind.THROTTLED);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        RateLimitingObjectStore limited = new RateLimitingObjectStore(store, "r", new RateLimitSettings(10, 0), AIMD,
                (remote, kind, limit, adaptive) -> new LocalRateBudget(remote, limit, adaptive, clock, advanceClock),
                metrics);

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
