package dev.barge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The job repository on the default: an H2 file under Barge's home, here a fresh directory. */
class H2JobRepositoryTest extends JobRepositoryContract {

    @DynamicPropertySource
    static void h2(DynamicPropertyRegistry registry) throws Exception {
        Path home = Files.createTempDirectory("barge-home-");
        registry.add("barge.home", home::toString);
    }
}
