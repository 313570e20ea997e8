package dev.barge.job;

import dev.barge.test.TempDirs;
import java.io.IOException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The migrate job with its repository on the default H2 file. */
class H2MigrateJobTest extends MigrateJobContract {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        String home = TempDirs.create("barge-home-").toString();
        registry.add("barge.home", () -> home);
        localRemotes(registry);
    }
}
