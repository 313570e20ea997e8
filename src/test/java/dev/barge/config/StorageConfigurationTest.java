package dev.barge.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.Location;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StoreRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class StorageConfigurationTest {

    @TempDir
    Path root;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(StorageConfiguration.class)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void bindsRemotesAndOpensLayeredStores() {
        runner.withPropertyValues(
                        "barge.remotes.disk.type=local",
                        "barge.remotes.disk.root=" + root,
                        "barge.remotes.disk.retry.max-attempts=3",
                        "barge.remotes.disk.retry.initial-delay=50ms",
                        "barge.remotes.disk.rate-limit.operations-per-second=500",
                        "barge.remotes.disk.rate-limit.bytes-per-second=10MB",
                        "barge.remotes.disk.options.sync=false")
                .run(context -> {
                    BargeProperties properties = context.getBean(BargeProperties.class);
                    RemoteProperties disk = properties.remotes().get("disk");
                    assertThat(disk.retrySettings().maxAttempts()).isEqualTo(3);
                    assertThat(disk.retrySettings().initialDelay()).isEqualTo(Duration.ofMillis(50));
                    assertThat(disk.rateLimitSettings().bytesPerSecond()).isEqualTo(10L << 20);

                    StoreRegistry registry = context.getBean(StoreRegistry.class);
                    ObjectStore store = registry.store(Location.parse("disk:photos"));
                    store.createBucket("photos");
                    store.put(PutRequest.builder("photos", "a.jpg").build(), Payload.ofBytes(new byte[] {1, 2, 3}));
                    assertThat(root.resolve("photos/a.jpg")).hasBinaryContent(new byte[] {1, 2, 3});

                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("barge.storage.requests").tag("remote", "disk").tag("operation", "put")
                            .timer().count()).isEqualTo(1);
                    assertThat(meters.get("barge.storage.bytes").tag("remote", "disk").tag("direction", "out")
                            .counter().count()).isEqualTo(3);
                });
    }

    @Test
    void takesCredentialsFromTheEnvironment() {
        runner.withPropertyValues("barge.remotes.prod.type=s3", "barge.remotes.prod.region=eu-west-1")
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("systemEnvironment", Map.of(
                                "BARGE_REMOTES_PROD_ACCESSKEYID", "AKIDEXAMPLE",
                                "BARGE_REMOTES_PROD_SECRETACCESSKEY", "s3cr3t-value"))))
                .run(context -> {
                    RemoteConfig prod = context.getBean(StoreRegistry.class).remote("prod");
                    assertThat(prod.credentials().accessKeyId()).isEqualTo("AKIDEXAMPLE");
                    assertThat(prod.credentials().secretAccessKey().reveal()).isEqualTo("s3cr3t-value");
                    assertThat(prod.toString()).doesNotContain("s3cr3t-value");
                });
    }

    @Test
    void aRemoteWithoutTypeStopsStartupNamingIt() {
        runner.withPropertyValues("barge.remotes.prod.region=eu-west-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("remote 'prod'").hasMessageContaining("barge.remotes.prod.type");
        });
    }

    @Test
    void aKeyWithoutItsSecretStopsStartupWithoutPrintingAnything() {
        runner.withPropertyValues("barge.remotes.prod.type=s3", "barge.remotes.prod.access-key-id=AKIDEXAMPLE")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("secret-access-key is not")
                            .hasMessageContaining("set barge.remotes.prod.secret-access-key");
                });
    }

    /** The system environment as Spring Boot presents it: each property's origin is its variable. */
    static final class OriginAwareEnvironment extends SystemEnvironmentPropertySource implements OriginLookup<String> {
        OriginAwareEnvironment(Map<String, Object> variables) {
            super("systemEnvironment", variables);
        }

        @Override
        public Origin getOrigin(String key) {
            String variable = resolvePropertyName(key);
            return getSource().containsKey(variable) ? new SystemEnvironmentOrigin(variable) : null;
        }
    }

    @Test
    void aMisspelledSpringVariableIsRefusedNamingItAndTheVariableMeant() {
        runner.withPropertyValues("barge.remotes.prod.type=s3")
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new OriginAwareEnvironment(Map.of("BARGE_REMOTES_PROD_ENDPIONT", "http://127.0.0.1:9"))))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("environment variable BARGE_REMOTES_PROD_ENDPIONT is not a setting of"
                                    + " remote 'prod'; did you mean BARGE_REMOTES_PROD_ENDPOINT?");
                });
    }

    @Test
    void aMissingSecretIsNamedAsTheSpringVariableItsKeyCameFrom() {
        runner.withPropertyValues("barge.remotes.osse.type=oss")
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new OriginAwareEnvironment(Map.of("BARGE_REMOTES_OSSE_ACCESSKEYID", "AK"))))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("set BARGE_REMOTES_OSSE_SECRETACCESSKEY");
                });
    }

    @Test
    void aMisspelledPropertyIsRefusedWithTheClosestName() {
        runner.withPropertyValues("barge.remotes.prod.type=s3", "barge.remotes.prod.retry.max-atempts=3")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("barge.remotes.prod.retry.max-atempts is not a setting of remote"
                                    + " 'prod'; did you mean barge.remotes.prod.retry.max-attempts?");
                });
    }
}
