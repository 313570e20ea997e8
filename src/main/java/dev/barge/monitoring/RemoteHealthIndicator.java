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
 * request (its timeouts, retries and rate limits).
 *
 * <p>The answer is kept for {@code cacheFor}: a monitor polling the health endpoint every few
 * seconds costs each remote one request a minute. A check runs on the executor, never on the
 * caller's thread, and the caller waits for it at most {@code timeout}: past it, the last answer is
 * given if there is one (marked stale), else DOWN. {@link RemotesHealth} starts the checks of every
 * remote at once, so that the endpoint waits for the slowest remote, not for all of them in turn.
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
    private Runnable refreshAll = this::refreshIfStale;
    private Health cached;
    private Instant checkedAt;
    private CompletableFuture<Health> inFlight;

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

    /** What a stale answer starts: the refresh of this remote, or of every remote of a {@link RemotesHealth}. */
    void refreshAllWith(Runnable refreshAll) {
        this.refreshAll = requireNonNull(refreshAll, "refreshAll is null");
    }

    @Override
    public Health health() {
        CompletableFuture<Health> check;
        Health last;
        synchronized (this) {
            if (cached != null && clock.instant().isBefore(checkedAt.plus(cacheFor))) {
                return cached;
            }
        }
        refreshAll.run();
        synchronized (this) {
            check = inFlight;
            last = cached;
            if (check == null) {
                return cached; // finished between the two looks
            }
        }
        try {
            return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return last != null ? Health.status(last.getStatus()).withDetails(last.getDetails())
                    .withDetail("stale", "no answer within " + timeout.toMillis() + " ms; this is the last one").build()
                    : Health.down().withDetail("type", type).withDetail("check", asked())
                            .withDetail("error", "no answer within " + timeout.toMillis() + " ms").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("type", type).withDetail("error", e.getCause().toString()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().withDetail("type", type).withDetail("error", "interrupted").build();
        }
    }

    /** Starts a check unless one is going or the last answer is fresh. */
    synchronized void refreshIfStale() {
        Instant now = clock.instant();
        if (inFlight != null || (cached != null && now.isBefore(checkedAt.plus(cacheFor)))) {
            return;
        }
        CompletableFuture<Health> check = CompletableFuture.supplyAsync(() -> check(clock.instant()), executor);
        inFlight = check;
        check.whenComplete((health, failure) -> {
            synchronized (this) {
                if (health != null) {
                    cached = health;
                    checkedAt = clock.instant();
                }
                inFlight = null;
            }
        });
    }

    private String asked() {
        return bucket != null ? "list one key of bucket '" + bucket + "'" : "list the buckets";
    }

    private Health check(Instant now) {
        long start = System.nanoTime();
        try {
            ObjectStore opened = store.get();
            if (bucket != null) {
                opened.list(ListRequest.of(bucket, "").withPageSize(1));
            } else {
                opened.listBuckets();
            }
            return details(Health.up(), now, start).build();
        } catch (StorageException failure) {
            if (bucket == null && failure.kind() == ErrorKind.ACCESS_DENIED) {
                // the remote answered, with credentials it accepts: they may just not list buckets
                return details(Health.up(), now, start)
                        .withDetail("note", "the remote answers; these credentials may not list buckets")
                        .build();
            }
            return details(Health.down(), now, start)
                    .withDetail("kind", failure.kind().name())
                    .withDetail("error", failure.getMessage())
                    .build();
        } catch (RuntimeException e) {
            return details(Health.down(), now, start)
                    .withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .build();
        }
    }

    private Health.Builder details(Health.Builder health, Instant now, long start) {
        return health.withDetail("type", type)
                .withDetail("check", asked())
                .withDetail("checkedAt", now.toString())
                .withDetail("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
}
