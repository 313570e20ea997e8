package dev.barge.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.job.ExecutionOwnership;
import dev.barge.job.JobCatalog;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.layer.ObjectStoreLayer;
import dev.barge.test.TempDirs;
import dev.barge.test.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scheduler over a real PostgreSQL job repository, with two schedulers sharing it as two
 * {@code barge serve} instances would: one run per tick, a tick that finds the previous run still
 * going is skipped (the run is held at a gate the test opens), and "run now" follows the same rules.
 */
@DirtiesContext
@SpringBootTest(properties = "barge.jobs.heartbeat-interval=200ms")
@Import(ScheduledRunsTest.Gate.class)
class ScheduledRunsTest {
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    /** While closed, writes of objects to remote {@code gated} wait. */
    private static volatile CountDownLatch gate = new CountDownLatch(0);
    /** While set, writes of objects to remote {@code gated} are refused, as by credentials revoked since the start. */
    private static volatile boolean refuseWrites;

    /** Holds every object write to remote {@code gated} (the preflight's probe aside) until {@link #gate} opens. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Gate {
        @Bean
        StoreRegistry.StoreDecorator gatedWrites() {
            return (RemoteConfig remote, ObjectStore store) -> !remote.name().equals("gated") ? store
                    : new ObjectStoreLayer(store) {
                        @Override
                        protected <T> T invoke(Call call, Supplier<T> action) {
                            if (call.operation() == Operation.PUT && call.key() != null
                                    && !call.key().contains("barge-preflight-")) {
                                if (refuseWrites) {
                                    throw StorageException.builder(ErrorKind.INVALID_CREDENTIALS, Operation.PUT)
                                            .bucket(call.bucket()).key(call.key())
                                            .detail("the access key was revoked by the test").build();
                                }
                                try {
                                    if (!gate.await(60, TimeUnit.SECONDS)) {
                                        throw StorageException.builder(ErrorKind.PERMANENT, Operation.PUT)
                                                .detail("the test never opened the gate").build();
                                    }
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                            return action.get();
                        }
                    };
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SCHEMA.register(registry);
        Path root = TempDirs.create("barge-schedule-");
        for (String remote : List.of("src", "dst", "gated")) {
            Path dir = Files.createDirectories(root.resolve(remote));
            registry.add("barge.remotes." + remote + ".type", () -> "local");
            registry.add("barge.remotes." + remote + ".root", dir::toString);
            registry.add("barge.remotes." + remote + ".options.sync", () -> "false");
        }
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    JobCatalog catalog;

    @Autowired
    JobRepository repository;

    @Autowired
    ExecutionOwnership ownership;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    StoreRegistry stores;

    @TempDir
    Path jobs;

    private final List<ScheduledRuns> schedulers = new ArrayList<>();

    @AfterEach
    void close() {
        gate.countDown();
        refuseWrites = false;
        schedulers.forEach(ScheduledRuns::close);
    }

    /** A scheduler of the specs in {@link #jobs}, as one {@code barge serve} instance, started when asked. */
    private ScheduledRuns scheduler(String node) {
        List<ScheduleSpec> specs = new ScheduleSpecs(stores::remote).read(jobs);
        ScheduledRuns runs = ScheduleConfiguration.create(specs, new ScheduleConfiguration.Settings(jobs, 2,
                Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofDays(90)), dataSource, catalog, repository, ownership, events,
                node);
        schedulers.add(runs);
        return runs;
    }

    private ScheduleTicks ticks() {
        return new ScheduleTicks(new org.springframework.jdbc.core.JdbcTemplate(dataSource), java.time.Clock.systemUTC());
    }

    /** A new bucket on {@code remote} with {@code count} small objects. */
    private String bucket(String remote, int count) {
        String bucket = "sched-" + BUCKETS.incrementAndGet();
        ObjectStore store = stores.store(remote);
        store.createBucket(bucket);
        for (int i = 0; i < count; i++) {
            store.put(PutRequest.builder(bucket, "k" + i).build(),
                    Payload.ofBytes(("object " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return bucket;
    }

    private void spec(String name, String cron, String source, String target) throws IOException {
        Files.writeString(jobs.resolve(name + ".yml"), """
                name: %s
                cron: "%s"
                job: migrate
                parameters:
                  source: %s
                  target: %s
                  concurrency: 2
                """.formatted(name, cron, source, target));
    }

    /** Every execution of the migrate job whose source is {@code source}. */
    private List<JobExecution> executions(String source) {
        List<JobExecution> all = new ArrayList<>();
        for (JobInstance instance : repository.getJobInstances("migrate", 0, 10_000)) {
            for (JobExecution e : repository.getJobExecutions(instance)) {
                if (source.equals(e.getJobParameters().getString("source"))) {
                    all.add(e);
                }
            }
        }
        return all;
    }

    private static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    @Test
    void twoSchedulersSharingOneDatabaseStartExactlyOneRunPerTick() throws Exception {
        String in = bucket("src", 3);
        String source = "src:" + in;
        spec("every-2s", "*/2 * * * * *", source, "dst:" + bucket("dst", 0));
        ScheduledRuns a = scheduler("node-a");
        ScheduledRuns b = scheduler("node-b");
        a.start();
        b.start();

        await("five ticks recorded, three of them started", Duration.ofSeconds(40), () -> {
            List<Tick> all = ticks().all("every-2s");
            return all.size() >= 5 && all.stream().filter(t -> t.outcome() == Tick.Outcome.STARTED).count() >= 3;
        });
        a.stop();
        b.stop();
        a.close();
        b.close();

        List<Tick> ticks = ticks().all("every-2s");
        assertThat(ticks).allSatisfy(t -> {
            assertThat(t.trigger()).isEqualTo(Tick.Trigger.CRON);
            assertThat(t.due().getEpochSecond() % 2).as("due on an even second").isZero();
            assertThat(t.node()).isIn("node-a", "node-b");
        });
        // one row per due time, and no due time left out between the first and the last
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(Duration.between(ticks.get(i - 1).due(), ticks.get(i).due())).isEqualTo(Duration.ofSeconds(2));
        }
        // both schedulers saw the ticks: each one the other had claimed was left alone
        assertThat(a.ticksClaimedElsewhere() + b.ticksClaimedElsewhere()).isGreaterThanOrEqualTo(ticks.size() - 2);
        List<Tick> started = ticks.stream().filter(t -> t.outcome() == Tick.Outcome.STARTED).toList();
        assertThat(started).hasSizeGreaterThanOrEqualTo(3);
        List<JobExecution> executions = executions(source);
        assertThat(executions).as("one execution per started tick").hasSize(started.size());
        assertThat(started).extracting(Tick::jobExecutionId)
                .doesNotContainNull()
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(executions.stream().map(JobExecution::getId).toList());
        // closing asks a run still going to stop after its chunk: only the last may have been going
        long last = executions.stream().mapToLong(JobExecution::getId).max().orElseThrow();
        assertThat(executions).allSatisfy(e -> assertThat(e.getStatus()).isIn(e.getId() == last
                ? List.of(BatchStatus.COMPLETED, BatchStatus.STOPPED) : List.of(BatchStatus.COMPLETED)));
        // a skipped tick, if the machine was slow, names the run that was still going
        ticks.stream().filter(t -> t.outcome() == Tick.Outcome.SKIPPED)
                .forEach(t -> assertThat(t.message()).contains("still going"));
        // none failed to start, but a tick claimed as the schedulers stopped
        ticks.stream().filter(t -> t.outcome() == Tick.Outcome.FAILED_TO_START)
                .forEach(t -> assertThat(t.message()).contains("shutting down"));
    }

    @Test
    void aTickWhileTheRunOfAnEarlierOneStillGoesIsSkippedOnEitherInstance() throws Exception {
        gate = new CountDownLatch(1);
        String in = bucket("src", 2);
        String source = "src:" + in;
        spec("slow", "* * * * * *", source, "gated:" + bucket("gated", 0));
        ScheduledRuns a = scheduler("node-a");
        ScheduledRuns b = scheduler("node-b");
        a.start();
        b.start();

        await("a started run and two skipped ticks after it", Duration.ofSeconds(20), () -> {
            List<Tick> ticks = ticks().all("slow");
            return !ticks.isEmpty() && ticks.get(0).jobExecutionId() != null
                    && ticks.stream().filter(t -> t.outcome() == Tick.Outcome.SKIPPED).count() >= 2;
        });
        assertThatThrownBy(() -> b.runNow("slow"))
                .isInstanceOfSatisfying(Schedules.NotStarted.class,
                        e -> assertThat(e.outcome()).isEqualTo(Tick.Outcome.SKIPPED))
                .hasMessageContaining("still going");
        List<Tick> whileGated = ticks().all("slow");
        List<JobExecution> running = executions(source);
        gate.countDown();

        assertThat(running).singleElement().satisfies(e -> assertThat(e.getStatus()).isIn(BatchStatus.STARTING,
                BatchStatus.STARTED));
        long execution = running.get(0).getId();
        assertThat(whileGated.get(0).outcome()).isEqualTo(Tick.Outcome.STARTED);
        assertThat(whileGated.get(0).jobExecutionId()).isEqualTo(execution);
        assertThat(whileGated.subList(1, whileGated.size())).isNotEmpty().allSatisfy(t -> {
            assertThat(t.outcome()).isEqualTo(Tick.Outcome.SKIPPED);
            assertThat(t.jobExecutionId()).isEqualTo(execution);
            assertThat(t.message()).contains("still going");
        });
        assertThat(whileGated).filteredOn(t -> t.trigger() == Tick.Trigger.MANUAL).singleElement()
                .satisfies(t -> assertThat(t.node()).isEqualTo("node-b"));
        assertThat(new HashSet<>(whileGated.stream().map(Tick::due).toList())).hasSameSizeAs(whileGated);
        await("the gated run to complete", Duration.ofSeconds(20),
                () -> repository.getJobExecution(execution).getStatus() == BatchStatus.COMPLETED);
    }

    @Test
    void runNowStartsARunAndReturnsItsExecutionAndTheSchedulesShowIt() throws Exception {
        String in = bucket("src", 2);
        String out = bucket("dst", 0);
        spec("by-hand", "0 0 0 1 1 *", "src:" + in, "dst:" + out);
        spec("no-source", "0 0 0 1 1 *", "src:missing-bucket", "dst:" + out);
        ScheduledRuns runs = scheduler("node-a");
        runs.start();

        long execution = runs.runNow("by-hand");

        await("the run to complete", Duration.ofSeconds(20),
                () -> repository.getJobExecution(execution).getStatus() == BatchStatus.COMPLETED);
        assertThat(repository.getJobExecution(execution).getJobParameters().getString("source"))
                .isEqualTo("src:" + in);
        assertThatThrownBy(() -> runs.runNow("no-source"))
                .isInstanceOfSatisfying(Schedules.NotStarted.class,
                        e -> assertThat(e.outcome()).isEqualTo(Tick.Outcome.FAILED_TO_START))
                .hasMessageContaining("missing-bucket");
        assertThatThrownBy(() -> runs.runNow("by-hnd")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("[by-hand, no-source]");

        List<Schedule> schedules = runs.schedules();
        assertThat(schedules).extracting(Schedule::name).containsExactly("by-hand", "no-source");
        Schedule byHand = schedules.get(0);
        assertThat(byHand.job()).isEqualTo("migrate");
        assertThat(byHand.description()).contains("src:" + in);
        assertThat(byHand.nextRun()).isAfter(Instant.now());
        assertThat(byHand.lastTick()).hasValueSatisfying(t -> {
            assertThat(t.trigger()).isEqualTo(Tick.Trigger.MANUAL);
            assertThat(t.outcome()).isEqualTo(Tick.Outcome.STARTED);
        });
        assertThat(byHand.lastExecutionId()).contains(execution);
        assertThat(byHand.lastExecutionStatus()).contains(BatchStatus.COMPLETED);
        Schedule noSource = schedules.get(1);
        assertThat(noSource.lastTick()).hasValueSatisfying(t -> {
            assertThat(t.outcome()).isEqualTo(Tick.Outcome.FAILED_TO_START);
            assertThat(t.message()).contains("missing-bucket");
        });
        assertThat(noSource.lastExecutionId()).isEmpty();
        assertThat(runs.ticks("by-hand", 10)).singleElement()
                .satisfies(t -> assertThat(t.jobExecutionId()).isEqualTo(execution));
        assertThatThrownBy(() -> runs.ticks("by-hnd", 10)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aFailedScheduledRunIsInTheRepositoryAndTheNextRunContinuesIt() throws Exception {
        String in = bucket("src", 3);
        spec("fails-once", "0 0 0 1 1 *", "src:" + in, "gated:" + bucket("gated", 0));
        ScheduledRuns runs = scheduler("node-a");
        runs.start();
        refuseWrites = true;

        long failed = runs.runNow("fails-once");

        await("the run to fail", Duration.ofSeconds(20),
                () -> repository.getJobExecution(failed).getStatus() == BatchStatus.FAILED);
        await("the schedules to show it", Duration.ofSeconds(5), () -> runs.schedules().get(0)
                .lastExecutionStatus().equals(java.util.Optional.of(BatchStatus.FAILED)));
        assertThat(runs.schedules().get(0).lastExecutionId()).contains(failed);
        await("the failed run to let go of its lock", Duration.ofSeconds(5), () -> !runs.runningHere("fails-once"));
        assertThat(repository.getJobExecution(failed).getExitStatus().getExitDescription())
                .contains("the access key was revoked by the test");
        refuseWrites = false;

        long continued = runs.runNow("fails-once");

        await("the continued run to complete", Duration.ofSeconds(20),
                () -> repository.getJobExecution(continued).getStatus() == BatchStatus.COMPLETED);
        assertThat(continued).isNotEqualTo(failed);
        assertThat(repository.getJobExecution(continued).getJobInstanceId())
                .as("the same run, restarted").isEqualTo(repository.getJobExecution(failed).getJobInstanceId());
        assertThat(ticks().all("fails-once")).extracting(Tick::outcome, Tick::jobExecutionId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Tick.Outcome.STARTED, failed),
                        org.assertj.core.groups.Tuple.tuple(Tick.Outcome.STARTED, continued));
    }

    @Test
    void oldTicksAreDeletedButEachSpecsLastTickAndLastRunAreKept() {
        java.time.Clock longAgo = java.time.Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        ScheduleTicks old = new ScheduleTicks(new org.springframework.jdbc.core.JdbcTemplate(dataSource), longAgo);
        long run = old.claim("pruned", Instant.parse("2020-01-01T00:00:00Z"), "node-a").orElseThrow();
        old.execution(run, 424242L);
        long skipped = old.claim("pruned", Instant.parse("2020-01-01T00:00:01Z"), "node-a").orElseThrow();
        old.decide(skipped, Tick.Outcome.SKIPPED, 424242L, "still going");
        long gone = old.claim("pruned", Instant.parse("2020-01-01T00:00:02Z"), "node-a").orElseThrow();
        old.decide(gone, Tick.Outcome.SKIPPED, 424242L, "still going");
        long last = old.claim("pruned", Instant.parse("2020-01-01T00:00:03Z"), "node-a").orElseThrow();
        old.decide(last, Tick.Outcome.FAILED_TO_START, null, "no bucket");
        long oldOfAnother = old.claim("pruned-too", Instant.parse("2020-01-01T00:00:00Z"), "node-a").orElseThrow();
        old.decide(oldOfAnother, Tick.Outcome.SKIPPED, null, "still going");
        long recent = ticks().claimManual("pruned-too", "node-b");

        int deleted = ticks().prune(Instant.now().minus(Duration.ofDays(90)));

        assertThat(deleted).isEqualTo(3);
        assertThat(ticks().all("pruned")).extracting(Tick::id).containsExactly(run, last);
        assertThat(ticks().all("pruned-too")).extracting(Tick::id).containsExactly(recent);
    }
}
