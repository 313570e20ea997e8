package dev.barge.config;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreProvider;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.azure.AzureStoreProvider;
import dev.barge.storage.layer.AdaptiveRateSettings;
import dev.barge.storage.layer.RateBudgets;
import dev.barge.storage.layer.StoreLayers;
import dev.barge.storage.local.LocalStoreProvider;
import dev.barge.storage.oss.OssStoreProvider;
import dev.barge.storage.qiniu.QiniuStoreProvider;
import dev.barge.storage.s3.S3StoreProvider;
import dev.barge.transfer.TransferSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/** The storage layer as Spring beans: one provider per driver, and the registry of remotes. */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    /** The {@code barge.remotes.*} settings as written, to check them and name them back. */
    @Bean
    RemoteSettings remoteSettings(Environment environment) {
        return RemoteSettings.of(environment);
    }

    /**
     * The remotes, bound after {@link RemoteSettings} has checked their names and placeholders, so
     * that a mistake stops startup naming the file and line or the variable.
     */
    @Bean
    BargeProperties bargeProperties(RemoteSettings settings) {
        return new BargeProperties(settings.bind());
    }

    @Bean
    LocalStoreProvider localStoreProvider() {
        return new LocalStoreProvider();
    }

    @Bean
    S3StoreProvider s3StoreProvider() {
        return new S3StoreProvider();
    }

    @Bean
    OssStoreProvider ossStoreProvider() {
        return new OssStoreProvider();
    }

    @Bean
    QiniuStoreProvider qiniuStoreProvider() {
        return new QiniuStoreProvider();
    }

    @Bean
    AzureStoreProvider azureStoreProvider() {
        return new AzureStoreProvider();
    }

    /** How one object moves ({@code barge.transfer.*}): for a job's copies and for {@code barge cp}. */
    @Bean
    TransferSettings transferSettings(Environment environment) {
        // parsed here: the stores-only application has no conversion service for @Value of a DataSize
        return new TransferSettings(
                DataSize.parse(environment.getProperty("barge.transfer.multipart-threshold", "32MB")).toBytes(),
                DataSize.parse(environment.getProperty("barge.transfer.part-size", "16MB")).toBytes(),
                environment.getProperty("barge.transfer.parts-in-flight", Integer.class, 4));
    }

    /**
     * Every configured remote, checked now so that a bad setting stops startup with a message
     * naming it; stores open on first use, wrapped in any {@link StoreRegistry.StoreDecorator}
     * beans (innermost, next to the driver) and then in the layers of {@link StoreLayers}.
     */
    @Bean(destroyMethod = "close")
    StoreRegistry storeRegistry(List<StoreProvider> providers, BargeProperties properties, RemoteSettings settings,
            ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<StoreRegistry.StoreDecorator> decorators,
            ObjectProvider<RateBudgets> rateBudgets) {
        MeterRegistry metrics = meterRegistry.getIfAvailable(() -> Metrics.globalRegistry);
        // shared by the cluster with a PostgreSQL job repository (JobConfiguration), else this process's
        RateBudgets budgets = rateBudgets.getIfAvailable(() -> RateBudgets.IN_PROCESS);
        Set<String> types = new TreeSet<>();
        providers.forEach(p -> types.add(p.type()));
        List<RemoteConfig> remotes = properties.remotes().entrySet().stream()
                .map(e -> e.getValue().toRemoteConfig(e.getKey(), setting -> settings.name(e.getKey(), setting)))
                .peek(remote -> knownType(remote, types, settings))
                .toList();
        List<StoreProvider> checked = providers.stream()
                .<StoreProvider>map(p -> new CredentialCheck(p, settings, System::getenv))
                .toList();
        Map<String, RemoteProperties> byName = properties.remotes();
        List<StoreRegistry.StoreDecorator> inner = decorators.orderedStream().toList();
        return new StoreRegistry(checked, remotes, (remote, opened) -> {
            ObjectStore store = opened;
            for (StoreRegistry.StoreDecorator decorator : inner) {
                store = decorator.decorate(remote, store);
            }
            RemoteProperties configured = byName.get(remote.name());
            StoreLayers.Builder layers = StoreLayers.builder(remote.name()).metrics(metrics)
                    .walkListings(walkListings(remote)).budgets(budgets);
            if (!"local".equals(remote.type())) {
                // a local remote never throttles: no layer, no cost, unless it has limits of its own
                layers.adaptive(configured != null ? configured.adaptiveRateSettings() : AdaptiveRateSettings.DEFAULT);
            }
            if (configured != null) {
                layers.retry(configured.retrySettings()).rateLimit(configured.rateLimitSettings());
            }
            return layers.build().wrap(store);
        });
    }

    /** Refuses a remote whose type no provider has, naming the setting and the closest type. */
    static void knownType(RemoteConfig remote, Set<String> types, RemoteSettings settings) {
        if (!types.contains(remote.type())) {
            String closest = types.stream()
                    .min(Comparator.comparingInt(t -> RemoteSettings.distance(t, remote.type())))
                    .orElseThrow();
            throw RemoteSettings.invalid("remote '" + remote.name() + "': type '" + remote.type() + "' is not one of "
                    + types + "; did you mean '" + closest + "'? (set " + settings.name(remote.name(), "type") + ")");
        }
    }

    /**
     * The {@code listing} option of a remote: {@code flat} (default: one recursive listing, fewest
     * requests) or {@code walk} (directory by directory, as rclone lists by default: far cheaper for
     * stores that walk their file system for every flat page, such as S3Proxy or MinIO on disks).
     */
    static boolean walkListings(RemoteConfig remote) {
        String value = remote.options().get("listing");
        if (value == null || value.equalsIgnoreCase("flat")) {
            return false;
        }
        if (value.equalsIgnoreCase("walk")) {
            return true;
        }
        throw StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                .detail("remote '" + remote.name() + "': option listing=" + value + " must be flat or walk").build();
    }
}
