package dev.barge.monitoring;

import dev.barge.job.JobRecords;
import dev.barge.schedule.ScheduleConfiguration;
import dev.barge.storage.Location;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StoreRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health and metrics of {@code barge serve}, and only of it ({@value #ENABLED}{@code =true}, which the
 * serve command sets): the command line's runs are short and end before anything could scrape them.
 *
 * <ul>
 *   <li>health: Actuator's own check of the job repository's database ({@code db}), and
 *       {@code remotes}, one {@link RemoteHealthIndicator} per configured remote;</li>
 *   <li>metrics, on Actuator's Prometheus endpoint: the storage layer's meters (every store the
 *       registry opens records into the application's {@link MeterRegistry}) and {@link JobMetrics}.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = MonitoringConfiguration.ENABLED, havingValue = "true")
public class MonitoringConfiguration {
    /** The property that turns health and metrics on. */
    public static final String ENABLED = "barge.monitoring.enabled";

    @Bean
    JobMetrics jobMetrics(MeterRegistry registry, JobRepository repository, JobRecords records) {
        return new JobMetrics(registry, repository, records);
    }

    /** The threads health checks wait on; daemon threads, so a check stuck in a remote never holds up an exit. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService remoteHealthChecks() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "barge-remote-health");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * {@code remotes} in the health endpoint: one component per configured remote. A remote that the
     * scheduled jobs use is checked by listing one key of the first bucket they name on it; any other by
     * listing its buckets.
     */
    @Bean
    HealthContributor remotesHealthContributor(StoreRegistry stores, ExecutorService remoteHealthChecks,
            ObjectProvider<ScheduleConfiguration.ScheduledSpecs> specs,
            @Value("${barge.health.remotes.cache-for:60s}") Duration cacheFor,
            @Value("${barge.health.remotes.timeout:10s}") Duration timeout) {
        Map<String, String> buckets = new LinkedHashMap<>();
        ScheduleConfiguration.ScheduledSpecs scheduled = specs.getIfAvailable();
        if (scheduled != null) {
            scheduled.specs().forEach(spec -> spec.locations().forEach(
                    (Location l) -> buckets.putIfAbsent(l.remote(), l.bucket())));
        }
        Map<String, RemoteHealthIndicator> remotes = new LinkedHashMap<>();
        List<RemoteConfig> configured = stores.remotes();
        for (RemoteConfig remote : configured) {
            remotes.put(remote.name(), new RemoteHealthIndicator(remote.type(), () -> stores.store(remote.name()),
                    buckets.get(remote.name()), cacheFor, timeout, remoteHealthChecks, Clock.systemUTC()));
        }
        return new RemotesHealth(remotes).contributor();
    }
}
