package dev.barge.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.local.LocalStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** A remote's health: checked off the caller's thread, all remotes at once, kept, and never waited on too long. */
class RemoteHealthIndicatorTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final MutableClock clock = new MutableClock();

    @TempDir
    Path root;

    private ObjectStore local;

    @BeforeEach
    void store() throws IOException {
        Files.createDirectories(root.resolve("photos"));
        local = new LocalStoreProvider().open(RemoteConfig.local("disk", root));
    }

    @AfterEach
    void stop() throws Exception {
        executor.shutdownNow();
        local.close();
    }

    private RemoteHealthIndicator indicator(Supplier<ObjectStore> store, String bucket, Duration timeout) {
        return new RemoteHealthIndicator("local", store, bucket, Duration.ofSeconds(60), timeout, executor, clock);
    }

    /** Opens the store only once {@code release} is counted down, telling {@code started}. */
    private static Supplier<ObjectStore> held(ObjectStore store, CountDownLatch started, CountDownLatch release) {
        return () -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return store;
        };
    }

    @Test
    void theFirstStaleRemoteStartsTheChecksOfAllOfThem() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        RemoteHealthIndicator a = indicator(held(local, started, release), "photos", Duration.ofSeconds(10));
        RemoteHealthIndicator b = indicator(held(local, started, release), null, Duration.ofSeconds(10));
        new RemotesHealth(Map.of("a", a, "b", b));

        CompletableFuture<Health> first = CompletableFuture.supplyAsync(a::health);

        assertThat(started.await(5, TimeUnit.SECONDS)).as("both checks going while the first is waited for").isTrue();
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(Status.UP);
        assertThat(b.health().getStatus()).isEqualTo(Status.UP);
        assertThat(b.health().getDetails()).containsEntry("check", "list the buckets");
    }

    @Test
    void aRemoteThatNeverAnsweredAndDoesNotAnswerInTimeIsDown() {
        CountDownLatch release = new CountDownLatch(1);
        RemoteHealthIndicator hanging = indicator(held(local, new CountDownLatch(1), release), "photos",
                Duration.ofMillis(300));

        Health never = hanging.health();

        release.countDown();
        assertThat(never.getStatus()).isEqualTo(Status.DOWN);
        assertThat(never.getDetails()).containsEntry("error", "no answer within 300 ms");
    }

    @Test
    void anAnswerIsKeptAMinuteAndPastItALateCheckGivesTheLastAnswerMarkedStale() throws Exception {
        AtomicReference<CountDownLatch> gate = new AtomicReference<>();
        RemoteHealthIndicator disk = indicator(() -> {
            CountDownLatch closed = gate.get();
            if (closed != null) {
                try {
                    closed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return local;
        }, "photos", Duration.ofMillis(300));
        Health up = disk.health();
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        clock.advance(Duration.ofSeconds(59));
        assertThat(disk.health()).as("kept").isSameAs(up);

        clock.advance(Duration.ofSeconds(2));
        gate.set(new CountDownLatch(1));
        Health stale = disk.health();

        assertThat(stale.getStatus()).isEqualTo(Status.UP);
        assertThat(stale.getDetails()).containsKey("stale").containsEntry("checkedAt", up.getDetails().get("checkedAt"));
        gate.get().countDown();
        Instant deadline = Instant.now().plusSeconds(5);
        while (disk.health().getDetails().containsKey("stale")) {
            assertThat(Instant.now()).as("the late check to land").isBefore(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertThat(disk.health().getDetails().get("checkedAt")).isNotEqualTo(up.getDetails().get("checkedAt"));
    }

    @Test
    void aBucketThatIsNotThereIsDownWithItsKind() {
        Health missing = indicator(() -> local, "absent", Duration.ofSeconds(5)).health();

        assertThat(missing.getStatus()).isEqualTo(Status.DOWN);
        assertThat(missing.getDetails()).containsEntry("kind", "BUCKET_NOT_FOUND")
                .containsEntry("check", "list one key of bucket 'absent'");
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
