package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.Payload;
import dev.barge.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Records, per remote: a timer per operation and outcome ({@value #REQUESTS}: latency of each
 * call as the caller sees it, retries and rate-limit waits included; for {@code get}, until the
 * stream is open), an error counter per operation and kind ({@value #ERRORS}), and byte counters
 * ({@value #BYTES}) for bytes read from the store ({@code direction=in}) and sent to it
 * ({@code direction=out}, every attempt counted).
 */
final class MetricsObjectStore extends ObjectStoreLayer {
    static final String REQUESTS = "barge.storage.requests";
    static final String ERRORS = "barge.storage.errors";
    static final String BYTES = "barge.storage.bytes";

    private final String remote;
    private final MeterRegistry registry;
    private final Counter bytesIn;
    private final Counter bytesOut;
    /** The timers of successful calls, by operation: looked up once, not built from tags on every call. */
    private final Map<Operation, Timer> successes = new ConcurrentHashMap<>();

    MetricsObjectStore(ObjectStore delegate, String remote, MeterRegistry registry) {
        super(delegate);
        this.remote = requireNonNull(remote, "remote is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.bytesIn = Counter.builder(BYTES).description("Bytes read from or sent to a remote")
                .baseUnit("bytes").tag("remote", remote).tag("direction", "in").register(registry);
        this.bytesOut = Counter.builder(BYTES).description("Bytes read from or sent to a remote")
                .baseUnit("bytes").tag("remote", remote).tag("direction", "out").register(registry);
    }

    @Override
    protected <T> T invoke(Call call, Supplier<T> action) {
        long start = System.nanoTime();
        String outcome = "success";
        try {
            return action.get();
        } catch (StorageException e) {
            outcome = e.kind().name().toLowerCase(Locale.ROOT);
            Counter.builder(ERRORS).description("Failed storage operations by kind")
                    .tag("remote", remote).tag("operation", call.operation().label()).tag("kind", outcome)
                    .register(registry).increment();
            throw e;
        } catch (RuntimeException | Error e) {
            outcome = "exception";
            throw e;
        } finally {
            Timer timer = outcome.equals("success")
                    ? successes.computeIfAbsent(call.operation(), operation -> timer(operation, "success"))
                    : timer(call.operation(), outcome);
            timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** The registry's timer of an operation and outcome (registering it is a lookup by tags). */
    private Timer timer(Operation operation, String outcome) {
        return Timer.builder(REQUESTS).description("Storage operations as callers see them")
                .tag("remote", remote).tag("operation", operation.label()).tag("outcome", outcome)
                .register(registry);
    }

    @Override
    protected InputStream download(Call call, InputStream body) {
        return new CountingInputStream(body, bytesIn);
    }

    @Override
    protected Payload upload(Call call, Payload payload) {
        return mapStreams(payload, in -> new CountingInputStream(in, bytesOut));
    }

    /** Counts the bytes that pass through. */
    private static final class CountingInputStream extends FilterInputStream {
        private final Counter counter;

        CountingInputStream(InputStream in, Counter counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counter.increment(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counter.increment(skipped);
            return skipped;
        }
    }
}
