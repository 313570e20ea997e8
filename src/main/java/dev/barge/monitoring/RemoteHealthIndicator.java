package dev.barge.monitoring;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether one remote answers: one cheap request, a listing of at most one key in a bucket the
 * scheduled jobs use on it, or else the list of buckets, through the remote's layers like any
 * request (its timeouts, retries and rate limits). The answer is kept for {@code cacheFor}, so that
 * a monitor polling the health endpoint every few seconds costs the remote one request a minute,
 * and a remote that does not answer within {@code timeout} is DOWN, without holding up the endpoint.
 *
 * <p>The details name the remote's type, what was asked and, when it failed, the error's kind and
 * message: Barge's storage errors never carry credentials ({@link StorageException}), and nothing of
 * the remote's configuration but its type is shown.
 */
final class RemoteHealthIndicator implements HealthIndicator {
    private final String type;
    private final Supplier<ObjectStore> store;
    private final String bucket;
    private final Duration cacheFor;
    private final Duration timeout;
    private final Executor executor;
    private final Clock clock;
    private Health cached;
    private Instant checkedAt;

    /**
     * @param type the remote's type, shown in the details
     * @param store opens the remote's store (on first use: a remote that cannot be opened is DOWN, not a failed start)
     * @param bucket the bucket to list one key of, or {@code null} to list the buckets
     */
    RemoteHealthIndicator(String type, Supplier<ObjectStore> store, String bucket, Duration cacheFor, Duration timeout,
            Executor executor, Clock clock) {
        this.type = requireNonNull(type, "type is null");
        this.store = requireNonNull(store, "store is null");
        this.bucket = bucket;
        this.cacheFor = requireNonNull(cacheFor, "cacheFor is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public synchronized Health health() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(checkedAt.plus(cacheFor))) {
            cached = check(now);
            checkedAt = now;
        }
        return cached;
    }

    private Health check(Instant now) {
        String asked = bucket != null ? "list one key of bucket '" + bucket + "'" : "list the buckets";
        long start = System.nanoTime();
        try {
            CompletableFuture.runAsync(this::probe, executor).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return details(Health.up(), asked, now, start).build();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StorageException failure) {
                if (bucket == null && failure.kind() == ErrorKind.ACCESS_DENIED) {
                    // the remote answered, with credentials it accepts: they may just not list buckets
                    return details(Health.up(), asked, now, start)
                            .withDetail("note", "the remote answers; these credentials may not list buckets")
                            .build();
                }
                return details(Health.down(), asked, now, start)
                        .withDetail("kind", failure.kind().name())
                        .withDetail("error", failure.getMessage())
                        .build();
            }
            return details(Health.down(), asked, now, start)
                    .withDetail("error", cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    .build();
        } catch (TimeoutException e) {
            return details(Health.down(), asked, now, start)
                    .withDetail("error", "no answer within " + timeout.toMillis() + " ms")
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return details(Health.unknown(), asked, now, start).withDetail("error", "interrupted").build();
        }
    }

    private void probe() {
        ObjectStore opened = store.get();
        if (bucket != null) {
            opened.list(ListRequest.of(bucket, "").withPageSize(1));
        } else {
            opened.listBuckets();
        }
    }

    private Health.Builder details(Health.Builder health, String asked, Instant now, long start) {
        return health.withDetail("type", type)
                .withDetail("check", asked)
                .withDetail("checkedAt", now.toString())
                .withDetail("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
}
