package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StorageException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Retries failed operations with exponential backoff and jitter (Spring Framework's
 * {@link RetryTemplate}), for retryable {@link dev.barge.storage.ErrorKind}s only, and only
 * operations that are safe to send again ({@link ObjectStoreLayer.Call#replayable()}). A failure
 * that outlives its attempts is thrown marked as exhausted, so no layer above retries it again.
 * Downloads are retried until their stream opens, not in the middle of it.
 *
 * <p>A store that has not answered once yet is not retried when it cannot be connected to
 * ({@link StorageException#isConnectFailure()}): its endpoint is wrong or unreachable, and retries
 * would only multiply the connect timeout, so the command fails within one. Once the store has
 * answered, a failed connect is a blip like any other and is retried.
 *
 * <p>Throttling is not counted as failure: a request whose attempts ran out on a
 * {@link dev.barge.storage.ErrorKind#THROTTLED} answer starts again with a fresh count, for up to
 * {@link RetrySettings#maxThrottled()}, so a store that keeps saying "slow down" slows the job and
 * does not turn into failed objects. Each attempt still waits for its token in the rate-limit layer
 * below, whose rate those answers have stepped down, so the store sees fewer requests, not more.
 */
final class RetryingObjectStore extends ObjectStoreLayer {
    private static final Logger log = LoggerFactory.getLogger(RetryingObjectStore.class);

    private final RetrySettings settings;
    private final RetryObserver observer;
    private final AtomicBoolean answered = new AtomicBoolean();

    RetryingObjectStore(ObjectStore delegate, RetrySettings settings, RetryObserver observer) {
        super(delegate);
        this.settings = requireNonNull(settings, "settings is null");
        this.observer = requireNonNull(observer, "observer is null");
    }

    /** Told about each retry before its wait: for logs and tests. */
    @FunctionalInterface
    interface RetryObserver {
        void beforeRetry(Call call, StorageException failure, int nextAttempt, Duration delay);

        RetryObserver LOG = (call, failure, nextAttempt, delay) -> log.warn(
                "retrying {} {}/{} in {} ms (attempt {}) after {}", call.operation().label(), call.bucket(), call.key(),
                delay.toMillis(), nextAttempt, failure.getMessage());
    }

    @Override
    protected <T> T invoke(Call call, Supplier<T> action) {
        if (!call.replayable() || settings.maxAttempts() == 1) {
            T result = action.get();
            answered.set(true);
            return result;
        }
        long started = System.nanoTime();
        while (true) {
            try {
                return withRetries(call, action);
            } catch (StorageException e) {
                Duration throttled = Duration.ofNanos(System.nanoTime() - started);
                if (e.kind() != ErrorKind.THROTTLED || throttled.compareTo(settings.maxThrottled()) >= 0) {
                    throw e;
                }
                log.info("{} {}/{} still throttled after {} s: sending it again, at the lower rate",
                        call.operation().label(), call.bucket(), call.key(), throttled.toSeconds());
                pause(settings.maxDelay());
            }
        }
    }

    private <T> T withRetries(Call call, Supplier<T> action) {
        ObservedBackOff backOff = new ObservedBackOff(call);
        RetryPolicy policy = RetryPolicy.builder()
                .backOff(backOff)
                .timeout(settings.maxElapsed().isZero() ? Duration.ofDays(1) : settings.maxElapsed())
                .predicate(t -> t instanceof StorageException e && e.isRetryable()
                        && (answered.get() || !e.isConnectFailure()))
                .build();
        try {
            return new RetryTemplate(policy).execute(() -> {
                try {
                    T result = action.get();
                    answered.set(true);
                    return result;
                } catch (StorageException e) {
                    if (!e.isConnectFailure()) {
                        answered.set(true); // the store answered, if only with an error
                    }
                    backOff.lastFailure = e;
                    throw e;
                }
            });
        } catch (RetryException e) {
            Throwable last = e.getCause();
            int attempts = e.getRetryCount() + 1;
            if (last instanceof StorageException se) {
                throw se.isRetryable() ? se.afterAttempts(attempts) : se;
            }
            if (last instanceof RuntimeException re) {
                throw re;
            }
            if (last instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("unexpected checked failure of " + call.operation().label(), last);
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to send a throttled request again", e);
        }
    }

    /** The configured exponential backoff for one invocation, reporting each wait to the observer. */
    private final class ObservedBackOff implements BackOff {
        private final Call call;
        private final ExponentialBackOff backOff;
        private volatile StorageException lastFailure;

        ObservedBackOff(Call call) {
            this.call = call;
            this.backOff = new ExponentialBackOff(settings.initialDelay().toMillis(), settings.multiplier());
            backOff.setMaxInterval(Math.max(settings.maxDelay().toMillis(), settings.initialDelay().toMillis()));
            backOff.setJitter(settings.jitter().toMillis());
            backOff.setMaxAttempts(settings.maxAttempts() - 1);
        }

        @Override
        public BackOffExecution start() {
            BackOffExecution execution = backOff.start();
            return new BackOffExecution() {
                private int retries;

                @Override
                public long nextBackOff() {
                    long delay = execution.nextBackOff();
                    if (delay != STOP) {
                        retries++;
                        observer.beforeRetry(call, lastFailure, retries + 1, Duration.ofMillis(delay));
                    }
                    return delay;
                }
            };
        }
    }
}
