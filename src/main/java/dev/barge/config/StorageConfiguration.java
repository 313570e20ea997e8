package dev.barge.config;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreProvider;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.layer.StoreLayers;
import dev.barge.storage.local.LocalStoreProvider;
import dev.barge.storage.oss.OssStoreProvider;
import dev.barge.storage.qiniu.QiniuStoreProvider;
import dev.barge.storage.s3.S3StoreProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The storage layer as Spring beans: one provider per driver, and the registry of remotes. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BargeProperties.class)
public class StorageConfiguration {

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

    /**
     * Every configured remote, checked now so that a bad setting stops startup with a message
     * naming it; stores open on first use, wrapped in any {@link StoreRegistry.StoreDecorator}
     * beans (innermost, next to the driver) and then in the layers of {@link StoreLayers}.
     */
    @Bean(destroyMethod = "close")
    StoreRegistry storeRegistry(List<StoreProvider> providers, BargeProperties properties,
            ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<StoreRegistry.StoreDecorator> decorators) {
        MeterRegistry metrics = meterRegistry.getIfAvailable(() -> Metrics.globalRegistry);
        List<RemoteConfig> remotes = properties.remotes().entrySet().stream()
                .map(e -> e.getValue().toRemoteConfig(e.getKey()))
                .toList();
        Map<String, RemoteProperties> byName = properties.remotes();
        List<StoreRegistry.StoreDecorator> inner = decorators.orderedStream().toList();
        return new StoreRegistry(providers, remotes, (remote, opened) -> {
            ObjectStore store = opened;
            for (StoreRegistry.StoreDecorator decorator : inner) {
                store = decorator.decorate(remote, store);
            }
            RemoteProperties settings = byName.get(remote.name());
            StoreLayers.Builder layers = StoreLayers.builder(remote.name()).metrics(metrics)
                    .walkListings(walkListings(remote));
            if (settings != null) {
                layers.retry(settings.retrySettings()).rateLimit(settings.rateLimitSettings());
            }
            return layers.build().wrap(store);
        });
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
