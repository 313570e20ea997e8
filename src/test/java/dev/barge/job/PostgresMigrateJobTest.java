package dev.barge.job;

import dev.barge.test.TestPostgres;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The migrate job with its repository on PostgreSQL. */
class PostgresMigrateJobTest extends MigrateJobContract {
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        SCHEMA.register(registry);
        localRemotes(registry);
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }
}
