package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one place that decides how layers stack around a store. From the outside in:
 *
 * <ol>
 *   <li><b>walking listing</b> ({@code listing: walk}): turns one recursive listing into the
 *       directory listings below it, each of which goes through the layers below;</li>
 *   <li><b>metrics</b>: sees each call once, as the caller does: its whole latency (retries and
 *       rate-limit waits included) and its final outcome; counts every byte sent and received;</li>
 *   <li><b>retry</b>: sends retryable failures again with backoff; the only layer that retries,
 *       and drivers do not retry on their own;</li>
 *   <li><b>rate limit</b>: every attempt, not only every call, takes a token, because the server
 *       sees every attempt; bytes are throttled as they stream; throttled answers step the
 *       operations rate down ({@link AdaptiveRateSettings}), here where each attempt's answer is
 *       seen, and the retry layer above sends them again once the lower budget allows. The budgets
 *       are this process's or a cluster's ({@link RateBudgets});</li>
 *   <li>the driver.</li>
 * </ol>
 *
 * Layers not configured are left out.
 */
public final class StoreLayers {
    private final String remote;
    private final RetrySettings retry;
    private final RateLimitSettings rateLimit;
    private final AdaptiveRateSettings adaptive;
    private final RateBudgets budgets;
    private final MeterRegistry metrics;
    private final boolean walkListings;

    private StoreLayers(Builder b) {
        this.adaptive = b.adaptive;
        this.budgets = b.budgets;
        this.remote = b.remote;
        this.retry = b.retry;
        this.rateLimit = b.rateLimit;
        this.metrics = b.metrics;
        this.walkListings = b.walkListings;
    }

    public static Builder builder(String remote) {
        return new Builder(remote);
    }

    /** The store wrapped in the configured layers, in the documented order. */
    public ObjectStore wrap(ObjectStore store) {
        ObjectStore wrapped = requireNonNull(store, "store is null");
        if (rateLimit.limitsOperations() || rateLimit.limitsBytes() || adaptive.enabled()) {
            wrapped = new RateLimitingObjectStore(wrapped, remote, rateLimit, adaptive, budgets, metrics);
        }
        if (retry.maxAttempts() > 1) {
            wrapped = new RetryingObjectStore(wrapped, retry, RetryingObjectStore.RetryObserver.LOG);
        }
        if (metrics != null) {
            wrapped = new MetricsObjectStore(wrapped, remote, metrics);
        }
        if (walkListings) {
            wrapped = new WalkingListing(wrapped);
        }
        return wrapped;
    }

    public static final class Builder {
        private final String remote;
        private RetrySettings retry = RetrySettings.DEFAULT;
        private RateLimitSettings rateLimit = RateLimitSettings.NONE;
        private AdaptiveRateSettings adaptive = AdaptiveRateSettings.OFF;
        private RateBudgets budgets = RateBudgets.IN_PROCESS;
        private MeterRegistry metrics;
        private boolean walkListings;

        private Builder(String remote) {
            this.remote = requireNonNull(remote, "remote is null");
        }

        public Builder retry(RetrySettings retry) {
            this.retry = requireNonNull(retry, "retry is null");
            return this;
        }

        public Builder rateLimit(RateLimitSettings rateLimit) {
            this.rateLimit = requireNonNull(rateLimit, "rateLimit is null");
            return this;
        }

        /**
         * How throttled answers change the operations rate; default {@link AdaptiveRateSettings#OFF}.
         * When on, the rate-limit layer is there even without a limit, to start one at the first throttle.
         */
        public Builder adaptive(AdaptiveRateSettings adaptive) {
            this.adaptive = requireNonNull(adaptive, "adaptive is null");
            return this;
        }

        /** Where the budgets live; default {@link RateBudgets#IN_PROCESS}. */
        public Builder budgets(RateBudgets budgets) {
            this.budgets = requireNonNull(budgets, "budgets is null");
            return this;
        }

        /** Answers recursive listings by walking directories ({@link WalkingListing}); default off. */
        public Builder walkListings(boolean walk) {
            this.walkListings = walk;
            return this;
        }

        /** Records metrics in this registry; without one, no metrics layer. */
        public Builder metrics(MeterRegistry metrics) {
            this.metrics = metrics;
            return this;
        }

        public StoreLayers build() {
            return new StoreLayers(this);
        }
    }
}
