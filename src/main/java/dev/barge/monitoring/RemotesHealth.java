package dev.barge.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * {@code remotes} in the health endpoint: one {@link RemoteHealthIndicator} per configured remote.
 * Actuator asks them one after the other; the first that finds its answer stale starts the checks
 * of all of them, so the endpoint waits for the slowest remote rather than the sum of all.
 */
final class RemotesHealth {
    private final Map<String, RemoteHealthIndicator> remotes;

    RemotesHealth(Map<String, RemoteHealthIndicator> remotes) {
        this.remotes = new LinkedHashMap<>(remotes);
        this.remotes.values().forEach(r -> r.refreshAllWith(this::refreshStale));
    }

    /** Starts a check of every remote whose answer is stale and that is not being checked. */
    void refreshStale() {
        remotes.values().forEach(RemoteHealthIndicator::refreshIfStale);
    }

    /** The contributor Actuator shows, by remote name. */
    HealthContributor contributor() {
        return CompositeHealthContributor.fromMap(remotes);
    }
}
