package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.batch.Outcome;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.test.TempDirs;
import dev.barge.test.TestPostgres;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultProxy;
import dev.barge.test.fault.FaultRequest;
import dev.barge.test.fault.FaultRule;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The adaptive limit against a store that throttles: S3 behind a {@link FaultProxy} answering
 * {@code 503 SlowDown} to every request above 5 a second, the remote limited to 20 a second. The
 * shared rate (in the PostgreSQL job repository) steps down, and the migration completes with
 * every object copied and none failed: throttling made it slower, nothing else.
 */
@SpringBootTest
@Import(AdaptiveRateLimitJobTest.Metrics.class)
class AdaptiveRateLimitJobTest {
    private static final int OBJECTS = 40;
    private static final int STORE_LIMIT = 5;
    private static final double CONFIGURED = 20;
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();
    private static final S3ProxyServer S3 = S3ProxyServer.inMemoryForTests();
    private static final FaultProxy PROXY = FaultProxy.inFrontOf(S3.endpoint(), FaultProxy.Protocol.S3);

    @TestConfiguration(proxyBeanMethods = false)
    static class Metrics {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    MigrateJob migrate;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JobRecords records;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SCHEMA.register(registry);
        registry.add("barge.remotes.disk.type", () -> "local");
        registry.add("barge.remotes.disk.root", () -> TempDirs.create("barge-adaptive-").toString());
        registry.add("barge.remotes.disk.options.sync", () -> "false");
        S3ProxyServer.registerRemote(registry, "slow", PROXY::endpoint);
        registry.add("barge.remotes.slow.rate-limit.operations-per-second", () -> String.valueOf(CONFIGURED));
        registry.add("barge.remotes.slow.retry.initial-delay", () -> "20ms");
        registry.add("barge.remotes.slow.retry.max-delay", () -> "200ms");
    }

    @AfterAll
    static void stop() throws Exception {
        PROXY.close();
        S3.close();
        SCHEMA.close();
    }

    /** Throttles what goes beyond {@code perSecond} requests in each second, as a store's request-rate limit does. */
    private static final class AboveRate implements Predicate<FaultRequest> {
        private final int perSecond;
        private long windowStart = System.nanoTime();
        private int admitted;

        AboveRate(int perSecond) {
            this.perSecond = perSecond;
        }

        @Override
        public synchronized boolean test(FaultRequest request) {
            long now = System.nanoTime();
            if (now - windowStart >= 1_000_000_000L) {
                windowStart = now;
                admitted = 0;
            }
            if (admitted >= perSecond) {
                return true;
            }
            admitted++;
            return false;
        }
    }

    @Test
    void aStoreThrottlingAboveItsRateStepsTheSharedRateDownAndNoObjectFails() throws Exception {
        ObjectStore disk = stores.store("disk");
        ObjectStore slow = stores.store("slow");
        disk.createBucket("in");
        slow.createBucket("out");
        for (int i = 0; i < OBJECTS; i++) {
            disk.put(PutRequest.builder("in", String.format("data/o%03d", i)).build(),
                    Payload.ofBytes(("object " + i).getBytes(StandardCharsets.UTF_8)));
        }
        FaultRule throttle = PROXY.faults().add(FaultRule.builder().matching(new AboveRate(STORE_LIMIT)).always()
                .fault(Fault.throttle()).build());

        JobExecution execution = migrate.run(MigrateParameters.builder("disk:in/data", "slow:out/data")
                .chunkSize(20).concurrency(8).build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(throttle.fired()).as("the store throttled").isPositive();
        assertThat(records.failures(execution.getId())).as("failures").isEmpty();
        assertThat(records.totals(execution.getId()).get(Outcome.COPIED).objects()).isEqualTo(OBJECTS);
        assertThat(records.totals(execution.getId()).get(Outcome.FAILED).objects()).isZero();
        PROXY.faults().clear();
        for (int i = 0; i < OBJECTS; i++) {
            String key = String.format("data/o%03d", i);
            try (ObjectContent content = slow.get("out", key)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                content.body().transferTo(bytes);
                assertThat(bytes.toString(StandardCharsets.UTF_8)).as(key).isEqualTo("object " + i);
            }
        }
        double rate = meters.get("barge.ratelimit.rate").tags("remote", "slow", "kind", "operations").gauge().value();
        assertThat(rate).as("the shared rate stepped down from the configured %s/s", CONFIGURED).isLessThan(CONFIGURED);
        assertThat(meters.get("barge.ratelimit.stepdowns").tags("remote", "slow").functionCounter().count())
                .isGreaterThanOrEqualTo(1);
    }
}
