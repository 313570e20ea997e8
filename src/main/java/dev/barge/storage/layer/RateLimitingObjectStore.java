package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Holds operations and bytes to the configured rates with Bucket4j token buckets: each
 * operation (each attempt, as this layer sits below retry) waits for one token before it is
 * sent; streamed bytes, both ways, wait for one token per byte before they are read.
 */
final class RateLimitingObjectStore extends ObjectStoreLayer {
    private final Bucket operations;
    private final Bucket bytes;
    private final long byteBurst;
    private final BlockingStrategy blocking;

    RateLimitingObjectStore(ObjectStore delegate, RateLimitSettings settings) {
        this(delegate, settings, TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
    }

    /** With an injected clock and way of waiting, so tests can run on simulated time. */
    RateLimitingObjectStore(ObjectStore delegate, RateLimitSettings settings, TimeMeter clock, BlockingStrategy blocking) {
        super(delegate);
        requireNonNull(settings, "settings is null");
        this.blocking = requireNonNull(blocking, "blocking is null");
        this.operations = settings.limitsOperations()
                ? bucket(Math.max(1, (long) Math.ceil(settings.operationsPerSecond())), settings.operationsPerSecond(), clock)
                : null;
        this.byteBurst = settings.bytesPerSecond();
        this.bytes = settings.limitsBytes() ? bucket(byteBurst, settings.bytesPerSecond(), clock) : null;
    }

    /** A bucket holding at most {@code capacity} tokens, refilled continuously at {@code perSecond}. */
    private static Bucket bucket(long capacity, double perSecond, TimeMeter clock) {
        long nanosPerToken = Math.max(1, Math.round(1_000_000_000d / perSecond));
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(1, Duration.ofNanos(nanosPerToken)))
                .withCustomTimePrecision(clock)
                .build();
    }

    @Override
    protected <T> T invoke(Call call, Supplier<T> action) {
        if (operations != null) {
            take(operations, 1);
        }
        return action.get();
    }

    @Override
    protected InputStream download(Call call, InputStream body) {
        return bytes == null ? body : new ThrottledInputStream(body);
    }

    @Override
    protected Payload upload(Call call, Payload payload) {
        return bytes == null ? payload : mapStreams(payload, ThrottledInputStream::new);
    }

    private void take(Bucket bucket, long tokens) {
        try {
            bucket.asBlocking().consume(tokens, blocking);
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
                bytes.asBlocking().consume(allowed, blocking);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the byte rate limit");
            }
            int n = super.read(b, off, allowed);
            int unused = n < 0 ? allowed : allowed - n;
            if (unused > 0) {
                bytes.addTokens(unused);
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
