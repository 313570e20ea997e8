package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.barge.batch.JobRecords;
import dev.barge.batch.Outcome;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StoreRegistry;
import dev.barge.test.TestPostgres;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
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
 * While a chunk's objects are being copied, the job holds no database connection: no transaction
 * stays open at PostgreSQL across network copies, and the pool is never drained by slow copies.
 * Seen from inside every write to the target, in the copying thread, with the real pool.
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
        List<Integer> inUseDuringCopies = new CopyOnWriteArrayList<>();
        faults.beforeWrite("dst", () -> inUseDuringCopies.add(pool.getHikariPoolMXBean().getActiveConnections()));

        JobExecution execution = migrate.run(MigrateParameters.builder("src:tx-in", "dst:tx-out")
                .chunkSize(10).concurrency(4).build());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(records.totals(execution.getId()).get(Outcome.COPIED).objects()).isEqualTo(40);
        assertThat(inUseDuringCopies).hasSize(40).containsOnly(0);
    }

}
