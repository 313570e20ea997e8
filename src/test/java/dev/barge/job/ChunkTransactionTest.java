package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.barge.batch.Outcome;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.test.TestPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How chunks meet the copies. The next chunk's objects are already copying while a slow object holds
 * up the current chunk (work ahead). And no database transaction stays open across a network copy: the pool is never drained by slow
 * copies and PostgreSQL never holds a transaction for as long as a copy takes. Seen from inside every
 * write to the target, in the copying thread, with the real pool: each write waits until no
 * connection is in use. A connection held across copies would never be given back while the write
 * waits, and the wait would run out. (A copy of the next chunk may start while the current chunk
 * commits, which takes a connection for milliseconds: hence a wait, not a snapshot.)
 */
@SpringBootTest(properties = "barge.jobs.heartbeat-interval=1h")
@Import(StoreFaults.class)
class ChunkTransactionTest {
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();

    @Autowired
    MigrateJob migrate;

    @Autowired
    StoreRegistry stores;

    @Autowired
    JobRecords records;

    @Autowired
    StoreFaults faults;

    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SCHEMA.register(registry);
        MigrateJobContract.localRemotes(registry);
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Test
    void noConnectionIsHeldWhileTheObjectsOfAChunkAreCopied() throws Exception {
        ObjectStore src = stores.store("src");
        stores.store("dst").createBucket("tx-out");
        src.createBucket("tx-in");
        for (int i = 0; i < 40; i++) {
            src.put(PutRequest.builder("tx-in", "k" + i).build(), Payload.ofBytes(new byte[] {(byte) i}));
        }
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        List<Boolean> connectionsFreeDuringCopies = new CopyOnWriteArrayList<>();
        faults.beforeWrite("dst", () -> connectionsFreeDuringCopies.add(allConnectionsFree(pool)));

        JobExecution execution = migrate.run(MigrateParameters.builder("src:tx-in", "dst:tx-out")
                .chunkSize(10).concurrency(4).build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(records.totals(execution.getId()).get(Outcome.COPIED).objects()).isEqualTo(40);
        assertThat(connectionsFreeDuringCopies).hasSize(40).containsOnly(true);
    }

    @Test
    void theNextChunkIsCopiedWhileASlowObjectHoldsUpTheCurrentOne() throws Exception {
        ObjectStore src = stores.store("src");
        stores.store("dst").createBucket("ahead-out");
        src.createBucket("ahead-in");
        for (int i = 0; i < 40; i++) {
            src.put(PutRequest.builder("ahead-in", String.format("k%02d", i)).build(),
                    Payload.ofBytes(new byte[] {(byte) i}));
        }
        CountDownLatch laterChunkCopying = new CountDownLatch(1);
        List<Boolean> slowObjectSawTheNextChunk = new CopyOnWriteArrayList<>();
        faults.beforeWrite("dst", key -> {
            if (key.compareTo("k10") >= 0) {
                laterChunkCopying.countDown();
            } else if (key.equals("k05")) {
                // without work ahead, no object of the next chunk starts before this one is done
                slowObjectSawTheNextChunk.add(awaitQuietly(laterChunkCopying));
            }
        });

        JobExecution execution = migrate.run(MigrateParameters.builder("src:ahead-in", "dst:ahead-out")
                .chunkSize(10).concurrency(4).build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(records.totals(execution.getId()).get(Outcome.COPIED).objects()).isEqualTo(40);
        assertThat(slowObjectSawTheNextChunk).containsExactly(true);
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether, while the calling copy waits, every pooled connection is back in the pool within 10 s. */
    private static boolean allConnectionsFree(HikariDataSource pool) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

}
