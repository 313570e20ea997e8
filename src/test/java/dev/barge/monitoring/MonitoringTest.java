package dev.barge.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.job.JobRecords;
import dev.barge.schedule.Schedules;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.test.TempDirs;
import dev.barge.test.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Health and metrics as {@code barge serve} has them (the scheduler and monitoring on), on PostgreSQL:
 * each remote UP or DOWN with no credential in sight, and the job meters after a scheduled run.
 */
@DirtiesContext
@SpringBootTest(properties = {
        "barge.schedule.enabled=true",
        "barge.monitoring.enabled=true",
        "barge.jobs.heartbeat-interval=200ms",
        "barge.remotes.broken.type=s3",
        "barge.remotes.broken.endpoint=http://127.0.0.1:1",
        "barge.remotes.broken.region=us-east-1",
        "barge.remotes.broken.path-style=true",
        "barge.remotes.broken.access-key-id=" + MonitoringTest.ACCESS_KEY,
        "barge.remotes.broken.secret-access-key=" + MonitoringTest.SECRET,
        "barge.remotes.broken.retry.max-attempts=1"})
class MonitoringTest {
    static final String ACCESS_KEY = "AKIAHEALTHTEST0000";
    static final String SECRET = "health-secret-value-42";
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SCHEMA.register(registry);
        Path files = TempDirs.create("barge-monitoring-");
        Path disk = Files.createDirectories(files.resolve("disk"));
        Files.createDirectories(disk.resolve("metrics-src"));
        Files.createDirectories(disk.resolve("metrics-dst"));
        registry.add("barge.remotes.disk.type", () -> "local");
        registry.add("barge.remotes.disk.root", disk::toString);
        registry.add("barge.remotes.disk.options.sync", () -> "false");
        Path jobs = Files.createDirectories(files.resolve("jobs"));
        Files.writeString(jobs.resolve("copy.yml"), """
                name: copy-for-metrics
                cron: "0 0 0 1 1 *"
                job: migrate
                parameters:
                  source: disk:metrics-src
                  target: disk:metrics-dst
                """);
        registry.add("barge.jobs-dir", jobs::toString);
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    @Qualifier("remotesHealthContributor")
    HealthContributor remotes;

    @Autowired
    Schedules schedules;

    @Autowired
    MeterRegistry registry;

    @Autowired
    JobRepository repository;

    @Autowired
    JobRecords records;

    @Autowired
    StoreRegistry stores;

    private Health health(String remote) {
        return ((HealthIndicator) ((CompositeHealthContributor) remotes).getContributor(remote)).health();
    }

    @Test
    void eachRemoteIsUpOrDownWithItsTypeAndNoCredentials() {
        Health disk = health("disk");
        Health broken = health("broken");

        assertThat(disk.getStatus()).isEqualTo(Status.UP);
        assertThat(disk.getDetails()).containsEntry("type", "local")
                .containsEntry("check", "list one key of bucket 'metrics-src'");
        assertThat(broken.getStatus()).isEqualTo(Status.DOWN);
        assertThat(broken.getDetails()).containsEntry("type", "s3").containsEntry("check", "list the buckets")
                .containsKey("kind").containsKey("error");
        assertThat(disk + " " + broken).doesNotContain(SECRET).doesNotContain(ACCESS_KEY);
        // answers are kept for a while: a monitor polling health costs each remote one request a minute
        assertThat(health("broken")).isSameAs(broken);
        assertThat(health("disk")).isSameAs(disk);
        assertThat(context.getBeansOfType(HealthContributor.class)).as("Actuator's own database check")
                .containsKey("dbHealthContributor");
    }

    @Test
    void aScheduledRunRecordsItsDurationObjectsAndBytesByJobAndRemote() throws Exception {
        ObjectStore disk = stores.store("disk");
        for (int i = 0; i < 3; i++) {
            disk.put(PutRequest.builder("metrics-src", "k" + i).build(),
                    Payload.ofBytes("12345".getBytes(StandardCharsets.UTF_8)));
        }

        long execution = schedules.runNow("copy-for-metrics");

        await("the run to complete", () -> repository.getJobExecution(execution).getStatus() == BatchStatus.COMPLETED);
        await("its duration recorded", () -> registry.find(JobMetrics.DURATION).tag("job", "migrate").timer() != null);
        Timer duration = registry.get(JobMetrics.DURATION).tags("job", "migrate", "status", "COMPLETED").timer();
        assertThat(duration.count()).isEqualTo(1);
        assertThat(registry.get(JobMetrics.OBJECTS)
                .tags("job", "migrate", "outcome", "copied", "source", "disk", "target", "disk").counter().count())
                .isEqualTo(3.0);
        assertThat(registry.get(JobMetrics.BYTES)
                .tags("job", "migrate", "outcome", "copied", "source", "disk", "target", "disk").counter().count())
                .isEqualTo(15.0);
        // the storage layer records into the same registry: requests and their latencies, by remote
        assertThat(registry.get("barge.storage.requests").tags("remote", "disk", "operation", "put").timer().count())
                .isGreaterThanOrEqualTo(3);

        // and in Prometheus's text format, as /actuator/prometheus serves it
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JobMetrics(prometheus, repository, records).record(repository.getJobExecution(execution));
        assertThat(prometheus.scrape())
                .contains("barge_job_objects_total{job=\"migrate\",outcome=\"copied\",source=\"disk\",target=\"disk\"} 3.0")
                .contains("barge_job_bytes_total{job=\"migrate\",outcome=\"copied\",source=\"disk\",target=\"disk\"} 15.0")
                .contains("barge_job_duration_seconds_count{job=\"migrate\",status=\"COMPLETED\"} 1");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 20 s: " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
