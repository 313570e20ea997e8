package dev.barge.config;

import dev.barge.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The job repository on PostgreSQL, in a schema of its own. */
class PostgresJobRepositoryTest extends JobRepositoryContract {
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        SCHEMA.register(registry);
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }
}
