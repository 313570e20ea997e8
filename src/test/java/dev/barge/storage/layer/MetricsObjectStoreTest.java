package dev.barge.storage.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsObjectStoreTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void recordsTimersErrorsAndBytesPerOperationAndRemote() throws IOException {
        ScriptedStore store = new ScriptedStore();
        store.content = new byte[1000];
        MetricsObjectStore metered = new MetricsObjectStore(store, "prod", registry);

        metered.stat("b", "k");
        store.failNext(ErrorKind.NOT_FOUND);
        assertThatThrownBy(() -> metered.stat("b", "missing")).isInstanceOf(StorageException.class);
        try (ObjectContent content = metered.get("b", "k")) {
            content.body().readAllBytes();
        }
        metered.put(PutRequest.builder("b", "up").build(), Payload.ofBytes(new byte[500]));

        assertThat(timerCount("stat", "success")).isEqualTo(1);
        assertThat(timerCount("stat", "not_found")).isEqualTo(1);
        assertThat(timerCount("get", "success")).isEqualTo(1);
        assertThat(timerCount("put", "success")).isEqualTo(1);
        assertThat(registry.get(MetricsObjectStore.ERRORS).tag("remote", "prod").tag("operation", "stat")
                .tag("kind", "not_found").counter().count()).isEqualTo(1);
        assertThat(bytes("in")).isEqualTo(1000);
        assertThat(bytes("out")).isEqualTo(500);
    }

    @Test
    void seesOneCallWhenRetriesHappenBelowIt() {
        ScriptedStore store = new ScriptedStore().failNext(ErrorKind.TRANSIENT, ErrorKind.TRANSIENT);
        ObjectStore layered = StoreLayers.builder("prod")
                .retry(new RetrySettings(5, Duration.ofMillis(1), 2, Duration.ofMillis(10), Duration.ZERO,
                        Duration.ofSeconds(10)))
                .metrics(registry)
                .build()
                .wrap(store);

        layered.stat("b", "k");

        assertThat(store.calls).hasValue(3);
        assertThat(timerCount("stat", "success")).isEqualTo(1);
        assertThat(registry.find(MetricsObjectStore.ERRORS).counters()).isEmpty();
    }

    private long timerCount(String operation, String outcome) {
        return registry.get(MetricsObjectStore.REQUESTS).tag("remote", "prod").tag("operation", operation)
                .tag("outcome", outcome).timer().count();
    }

    private double bytes(String direction) {
        return registry.get(MetricsObjectStore.BYTES).tag("remote", "prod").tag("direction", direction).counter().count();
    }
}
