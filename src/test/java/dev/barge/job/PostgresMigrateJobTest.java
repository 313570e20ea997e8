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
        registry.add("spring.datasource.url", SCHEMA::url);
        registry.add("spring.datasource.username", SCHEMA::user);
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.flyway.schemas", SCHEMA::name);
        localRemotes(registry);
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }
}
