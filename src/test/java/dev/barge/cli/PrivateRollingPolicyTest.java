package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.util.FileSize;
import dev.barge.config.StoresOnly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A rollover of the log leaves only owner-only files: the archive and the new log are 0600. Each
 * test forces a rollover by moving the policy's clock to the next day, so that the next event rolls
 * the log over as it would at midnight.
 */
class PrivateRollingPolicyTest {
    private static final String OWNER_ONLY = "rw-------";

    @TempDir
    Path dir;

    @BeforeEach
    void posix() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
    }

    @Test
    void theGzippedArchiveAndTheNextLogAreOwnerOnly() throws IOException {
        Path log = dir.resolve("barge.log");
        // a log not made private: the archive is 0600 all the same
        Files.writeString(log, "");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r--r--"));
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        try {
            RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
            appender.setContext(context);
            appender.setFile(log.toString());
            PrivateRollingPolicy<ILoggingEvent> policy = new PrivateRollingPolicy<>();
            policy.setContext(context);
            policy.setParent(appender);
            policy.setFileNamePattern(log + ".%d{yyyy-MM-dd}.%i.gz");
            policy.setMaxFileSize(FileSize.valueOf("10MB"));
            policy.start();
            appender.setRollingPolicy(policy);
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%msg%n");
            encoder.start();
            appender.setEncoder(encoder);
            appender.start();
            Logger logger = context.getLogger("barge.test");
            logger.addAppender(appender);

            logger.warn("before the rollover");
            nextDay(policy);
            logger.warn("after the rollover");
            appender.stop();

            Path archive = onlyArchive();
            assertThat(archive.getFileName().toString()).endsWith(".0.gz");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo(OWNER_ONLY);
            assertThat(gunzip(archive)).isEqualTo("before the rollover\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo(OWNER_ONLY);
            assertThat(Files.readString(log)).isEqualTo("after the rollover\n");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("barge.log", archive.getFileName().toString());
            }
        } finally {
            context.stop();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void springBootRollsBargeLogWithThePrivatePolicy() throws IOException {
        Path log = dir.resolve("home/barge.log");
        PrivateLogFile.protect(log);
        Map<String, Object> properties = Map.of("logging.file.name", log.toString(), "logging.threshold.console", "off",
                "barge.home", dir.resolve("home").toString());
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StoresOnly.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .registerShutdownHook(false).properties(properties).run()) {
            LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
            Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            Appender<ILoggingEvent> file = root.getAppender("FILE");
            assertThat(file).isInstanceOf(RollingFileAppender.class);
            RollingFileAppender<ILoggingEvent> rolling = (RollingFileAppender<ILoggingEvent>) file;
            assertThat(rolling.getFile()).isEqualTo(log.toString());
            assertThat(rolling.getRollingPolicy()).isInstanceOf(PrivateRollingPolicy.class);
            PrivateRollingPolicy<?> policy = (PrivateRollingPolicy<?>) rolling.getRollingPolicy();
            assertThat(policy.getFileNamePattern()).isEqualTo(log + ".%d{yyyy-MM-dd}.%i.gz");
            assertThat(policy.getMaxHistory()).isEqualTo(7);

            org.slf4j.Logger logger = LoggerFactory.getLogger("dev.barge.cli.PrivateRollingPolicyTest");
            logger.warn("before the rollover");
            nextDay(policy);
            logger.warn("after the rollover");
            rolling.stop(); // the file is closed and nothing more goes to this directory

            Path archive = onlyArchive(log.getParent());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo(OWNER_ONLY);
            assertThat(gunzip(archive)).contains("before the rollover").doesNotContain("after the rollover");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo(OWNER_ONLY);
            assertThat(Files.readString(log)).contains("after the rollover");
        }
    }

    private static void nextDay(PrivateRollingPolicy<?> policy) {
        policy.getTimeBasedFileNamingAndTriggeringPolicy()
                .setCurrentTime(System.currentTimeMillis() + Duration.ofDays(1).toMillis());
    }

    private Path onlyArchive() throws IOException {
        return onlyArchive(dir);
    }

    private static Path onlyArchive(Path in) throws IOException {
        try (Stream<Path> files = Files.list(in)) {
            List<Path> archives = files.filter(p -> p.getFileName().toString().startsWith("barge.log.")).toList();
            assertThat(archives).hasSize(1);
            return archives.get(0);
        }
    }

    private static String gunzip(Path archive) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
