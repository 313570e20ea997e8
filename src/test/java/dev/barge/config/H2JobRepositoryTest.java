package dev.barge.config;

import dev.barge.test.TempDirs;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The job repository on the default: an H2 file under Barge's home, here a fresh directory. */
class H2JobRepositoryTest extends JobRepositoryContract {

    @DynamicPropertySource
    static void h2(DynamicPropertyRegistry registry) throws Exception {
        Path home = TempDirs.create("barge-home-");
        registry.add("barge.home", home::toString);
    }
}
