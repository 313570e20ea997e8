package dev.barge.job;

import java.io.IOException;
import java.nio.file.Files;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The migrate job with its repository on the default H2 file. */
class H2MigrateJobTest extends MigrateJobContract {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        String home = Files.createTempDirectory("barge-home-").toString();
        registry.add("barge.home", () -> home);
        localRemotes(registry);
    }
}
