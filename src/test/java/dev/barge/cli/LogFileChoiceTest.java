package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Each application logs to its own {@code logging.file.name}, or to no file, whatever an earlier
 * application in the same JVM left in the {@code LOG_FILE} system property (Spring Boot sets it
 * once, for the first, and never removes it).
 */
class LogFileChoiceTest {
    @TempDir
    Path dir;

    private String logFileBefore;

    @Configuration(proxyBeanMethods = false)
    static class Empty {}

    @BeforeEach
    void rememberLogFile() {
        logFileBefore = System.getProperty("LOG_FILE");
    }

    @AfterEach
    void restoreLogFile() {
        if (logFileBefore == null) {
            System.clearProperty("LOG_FILE");
        } else {
            System.setProperty("LOG_FILE", logFileBefore);
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE)
                .properties("logging.threshold.console=off", "spring.main.banner-mode=off")
                .properties(properties).run();
    }

    @Test
    void anApplicationWithoutALogFileWritesNoneWhereAnEarlierOneLogged() {
        Path earlier = dir.resolve("earlier-home/barge.log");
        System.setProperty("LOG_FILE", earlier.toString());

        try (ConfigurableApplicationContext ignored = start()) {
            LoggerFactory.getLogger("dev.barge.cli.LogFileChoiceTest").warn("a line for no file");
        }

        assertThat(earlier.getParent()).as("the earlier application's home, made again").doesNotExist();
    }

    @Test
    void anApplicationLogsToItsOwnFileNotTheOneAnEarlierOneLeftInLogFile() throws Exception {
        Path earlier = dir.resolve("earlier-home/barge.log");
        Path mine = dir.resolve("my-home/barge.log");
        System.setProperty("LOG_FILE", earlier.toString());

        try (ConfigurableApplicationContext ignored = start("logging.file.name=" + mine)) {
            LoggerFactory.getLogger("dev.barge.cli.LogFileChoiceTest").warn("a line for my file");
        }

        assertThat(Files.readString(mine)).contains("a line for my file");
        assertThat(earlier.getParent()).doesNotExist();
    }
}
