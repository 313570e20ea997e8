package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.layer.RateLimitSettings;
import dev.barge.storage.layer.RetrySettings;
import dev.barge.storage.layer.StoreLayers;
import java.util.Set;

/**
 * {@code --tps-limit} and {@code --bwlimit}: a rate-limit layer around the stores of a job's
 * remotes, each remote limited on its own. A {@link StoreRegistry.StoreDecorator} rather than
 * overridden {@code barge.remotes.<name>.rate-limit.*} properties, because it also covers
 * locations that are plain URIs ({@code s3://}, {@code file://}) with no configured remote to
 * override. It sits next to the driver, inside the retry layer: every attempt takes its token.
 * A limit configured for the remote itself still applies; the stricter one wins.
 */
final class JobRateLimits implements StoreRegistry.StoreDecorator {
    private final RateLimitSettings limit;
    private final Set<String> remotes;

    JobRateLimits(RateLimitSettings limit, Set<String> remotes) {
        this.limit = requireNonNull(limit, "limit is null");
        this.remotes = Set.copyOf(requireNonNull(remotes, "remotes is null"));
    }

    @Override
    public ObjectStore decorate(RemoteConfig remote, ObjectStore store) {
        if (!remotes.contains(remote.name()) || (!limit.limitsOperations() && !limit.limitsBytes())) {
            return store;
        }
        // rate limit only: the remote's own layers (retry, metrics) wrap this one
        return StoreLayers.builder(remote.name()).rateLimit(limit).retry(RetrySettings.NONE).build().wrap(store);
    }
}
