package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.StorageException;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.function.Supplier;

/**
 * Holds operations and bytes to a remote's budgets ({@link RateBudget}): each operation (each
 * attempt, as this layer sits below retry) waits for one token before it is sent; streamed bytes,
 * both ways, wait for one token per byte before they are read. The budgets live in this process or
 * are shared by a cluster ({@link RateBudgets}); this layer does not know which.
 *
 * <p>It is also where the store's throttling is heard: every answered attempt is counted
 * ({@link ThrottleSignal}), and once throttled answers ({@link ErrorKind#THROTTLED}) are enough of
 * them, the operations budget is told, which steps the rate down ({@link AdaptiveRateSettings}); the
 * failure still goes up to the retry layer, which sends it again once the (now lower) budget lets
 * it. For a remote with no limit the layer is there only when the rate adapts: it counts what is
 * answered, so that a first step down can start from the rate being sent.
 *
 * <p>Metrics (with a registry): {@code barge.ratelimit.rate} (gauge, per second, by remote and kind:
 * NaN while there is no limit) and {@code barge.ratelimit.stepdowns} (how often throttling stepped
 * the operations rate down).
 */
final class RateLimitingObjectStore extends ObjectStoreLayer {
    private final RateBudget operations;
    private final RateBudget bytes;
    private final long byteBurst;
    private final AdaptiveRateSettings adaptive;
    private final ThrottleSignal signal;

    RateLimitingObjectStore(ObjectStore delegate, RateLimitSettings settings) {
        this(delegate, "store", settings, AdaptiveRateSettings.OFF, RateBudgets.IN_PROCESS, null);
    }

    /** With an injected clock and way of waiting, so tests can run on simulated time. */
    RateLimitingObjectStore(ObjectStore delegate, RateLimitSettings settings, TimeMeter clock, BlockingStrategy blocking) {
        this(delegate, settings, AdaptiveRateSettings.OFF, clock, blocking);
    }

    /** With an injected clock and way of waiting, and an adaptive rate. */
    RateLimitingObjectStore(ObjectStore delegate, RateLimitSettings settings, AdaptiveRateSettings adaptive,
            TimeMeter clock, BlockingStrategy blocking) {
        this(delegate, "store", settings, adaptive,
                (remote, kind, limit, a) -> new LocalRateBudget(remote, limit, a, clock, blocking), null, clock);
    }

    RateLimitingObjectStore(ObjectStore delegate, String remote, RateLimitSettings settings,
            AdaptiveRateSettings adaptive, RateBudgets budgets, MeterRegistry metrics) {
        this(delegate, remote, settings, adaptive, budgets, metrics, TimeMeter.SYSTEM_NANOTIME);
    }

    private RateLimitingObjectStore(ObjectStore delegate, String remote, RateLimitSettings settings,
            AdaptiveRateSettings adaptive, RateBudgets budgets, MeterRegistry metrics, TimeMeter clock) {
        super(delegate);
        requireNonNull(remote, "remote is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(adaptive, "adaptive is null");
        requireNonNull(budgets, "budgets is null");
        this.operations = settings.limitsOperations() || adaptive.enabled()
                ? budgets.budget(remote, RateBudgets.Kind.OPERATIONS, settings.operationsPerSecond(), adaptive)
                : null;
        this.byteBurst = settings.bytesPerSecond();
        this.bytes = settings.limitsBytes()
                ? budgets.budget(remote, RateBudgets.Kind.BYTES, settings.bytesPerSecond(), AdaptiveRateSettings.OFF)
                : null;
        this.adaptive = adaptive;
        this.signal = adaptive.enabled() ? new ThrottleSignal(clock) : null;
        if (metrics != null) {
            register(metrics, remote, RateBudgets.Kind.OPERATIONS, operations);
            register(metrics, remote, RateBudgets.Kind.BYTES, bytes);
        }
    }

    private static void register(MeterRegistry metrics, String remote, RateBudgets.Kind kind, RateBudget budget) {
        if (budget == null) {
            return;
        }
        // a scrape must never fail for a budget: a meter's function that throws fails the whole
        // Prometheus answer, so these fall back to NaN and the last count
        Gauge.builder("barge.ratelimit.rate", budget, b -> {
                    try {
                        return finiteOrNaN(b.rate());
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description("the rate a remote's budget admits now, per second (NaN: no limit)")
                .tags("remote", remote, "kind", kind.label())
                .strongReference(true)
                .register(metrics);
        if (kind == RateBudgets.Kind.OPERATIONS) {
            FunctionCounter.builder("barge.ratelimit.stepdowns", budget, b -> {
                        try {
                            return b.stepDowns();
                        } catch (RuntimeException e) {
                            return 0; // a cumulative counter keeps the highest count it saw
                        }
                    })
                    .description("how often the store's throttling stepped the operations rate down")
                    .tags("remote", remote)
                    .register(metrics);
        }
    }

    private static double finiteOrNaN(double rate) {
        return Double.isInfinite(rate) ? Double.NaN : rate;
    }

    @Override
    protected <T> T invoke(Call call, Supplier<T> action) {
        if (operations == null) {
            return action.get();
        }
        take(operations, 1);
        if (signal == null) {
            return action.get();
        }
        boolean wasThrottled = false;
        try {
            return action.get();
        } catch (StorageException e) {
            wasThrottled = e.kind() == ErrorKind.THROTTLED;
            if (wasThrottled) {
                signal.answered(true);
                if (signal.overloaded(adaptive)) {
                    operations.throttled(signal.answeredPerSecond());
                }
            }
            throw e;
        } finally {
            if (!wasThrottled) {
                signal.answered(false);
            }
        }
    }

    @Override
    protected InputStream download(Call call, InputStream body) {
        return bytes == null ? body : new ThrottledInputStream(body);
    }

    @Override
    protected Payload upload(Call call, Payload payload) {
        return bytes == null ? payload : mapStreams(payload, ThrottledInputStream::new);
    }

    private static void take(RateBudget budget, long tokens) {
        try {
            budget.acquire(tokens);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the rate limit", e);
        }
    }

    /** Pays for bytes before reading them, never reading more than was paid for; refunds what was not read. */
    private final class ThrottledInputStream extends FilterInputStream {
        ThrottledInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int allowed = (int) Math.min(len, byteBurst);
            try {
                bytes.acquire(allowed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the byte rate limit");
            }
            int n = super.read(b, off, allowed);
            int unused = n < 0 ? allowed : allowed - n;
            if (unused > 0) {
                bytes.refund(unused);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] discard = new byte[(int) Math.min(8192, Math.max(1, n))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(discard, 0, (int) Math.min(discard.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }
    }
}
