package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.layer.RateLimitSettings;
import dev.barge.test.TempDirs;
import dev.barge.web.ExecutionActions;
import dev.barge.web.Executions;
import dev.barge.web.WebSecurityConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.DispatcherServlet;
import org.thymeleaf.ITemplateEngine;

/**
 * The two contexts a command can start (issue 11, start-up): {@code ls}, {@code cat}, {@code stat}
 * and {@code remotes} get the stores alone, with no DataSource, Flyway, job repository or Spring
 * Batch, and leave no job database behind; the job commands get everything. Both read their
 * settings from the same sources, in the same order.
 */
class CommandContextsTest {
    private Path dir;
    private Path home;
    private Path remotesFile;
    private SpringContextStarter starter;

    @BeforeEach
    void files() throws IOException {
        dir = TempDirs.create("barge-contexts-");
        home = dir.resolve("home");
        Path data = Files.createDirectories(dir.resolve("data/photos/2024"));
        Files.writeString(data.resolve("a.jpg"), "alpha");
        Files.createDirectories(dir.resolve("env-root/photos"));
        // the file says one root for "disk", the environment another: the environment wins
        remotesFile = Files.writeString(dir.resolve("remotes.yml"), "disk:\n  type: local\n  root: " + dir.resolve("file-root")
                + "\nfromfile:\n  type: local\n  root: " + dir.resolve("data") + "\n");
        starter = new SpringContextStarter(Map.of(
                "BARGE_REMOTE_DISK_ROOT", dir.resolve("data").toString(),
                "BARGE_REMOTE_FROMENV_TYPE", "s3",
                "BARGE_REMOTE_FROMENV_ACCESS_KEY_ID", "AKIAEXAMPLE",
                "BARGE_REMOTE_FROMENV_SECRET_ACCESS_KEY", "very-secret"),
                Map.of("barge.home", home.toString()));
    }

    /** With {@code --db-url} on the embedded default's file, whatever the developer's BARGE_DB_URL says. */
    private Launch launch(Launch.Needs needs) {
        return new Launch(needs, remotesFile, "jdbc:h2:file:" + home.resolve("jobs"), RateLimitSettings.NONE, Set.of());
    }

    private List<String> jobDatabaseFiles() throws IOException {
        if (!Files.isDirectory(home)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(home)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("jobs")).toList();
        }
    }

    @Test
    void theStoresContextHasNoJobRepositoryDataSourceFlywayOrBatch() throws IOException {
        try (Session session = starter.start(launch(Launch.Needs.STORES))) {
            assertThat(session.has(StoreRegistry.class)).isTrue();
            assertThat(session.has(DataSource.class)).as("DataSource").isFalse();
            assertThat(session.has(Flyway.class)).as("Flyway").isFalse();
            assertThat(session.has(JobRepository.class)).as("JobRepository").isFalse();
            assertThat(session.has(JobOperator.class)).as("JobOperator").isFalse();
            assertNothingOfBargeServe(session);
            assertThat(session.stores().remotes()).extracting(RemoteConfig::name)
                    .contains("disk", "fromfile", "fromenv");
        }
        assertThat(jobDatabaseFiles()).isEmpty();
    }

    @Test
    void theJobsContextHasTheJobRepositoryAndCreatesItsDatabase() throws IOException {
        try (Session session = starter.start(launch(Launch.Needs.JOBS))) {
            assertThat(session.has(DataSource.class)).isTrue();
            assertThat(session.has(JobRepository.class)).isTrue();
            assertThat(session.has(io.micrometer.core.instrument.MeterRegistry.class))
                    .as("no Actuator or Micrometer auto-configuration outside barge serve").isFalse();
            assertNothingOfBargeServe(session);
            session.jobs().repository().getJobNames();
        }
        assertThat(jobDatabaseFiles()).isNotEmpty();
    }

    /**
     * No web server, Spring MVC, Spring Security, Thymeleaf or springdoc (config/ServeOnlyAutoConfigurations),
     * and none of dev.barge.web's beans: those are barge serve's alone.
     */
    private static void assertNothingOfBargeServe(Session session) {
        assertThat(session.has(ServletWebServerFactory.class)).as("web server").isFalse();
        assertThat(session.has(DispatcherServlet.class)).as("Spring MVC").isFalse();
        assertThat(session.has(SecurityFilterChain.class)).as("Spring Security's filter chain").isFalse();
        assertThat(session.has(UserDetailsService.class)).as("Spring Security's users").isFalse();
        assertThat(session.has(ITemplateEngine.class)).as("Thymeleaf").isFalse();
        assertThat(session.has(SpringDocConfigProperties.class)).as("springdoc").isFalse();
        assertThat(session.has(Executions.class)).as("the dashboard's queries").isFalse();
        assertThat(session.has(ExecutionActions.class)).as("the dashboard's actions").isFalse();
        assertThat(session.has(WebSecurityConfiguration.class)).as("the dashboard's security").isFalse();
    }

    @Test
    void bothContextsSeeTheSameRemotesWithTheSamePrecedence() {
        List<RemoteConfig> stores;
        try (Session session = starter.start(launch(Launch.Needs.STORES))) {
            stores = session.stores().remotes();
        }
        List<RemoteConfig> jobs;
        try (Session session = starter.start(launch(Launch.Needs.JOBS))) {
            jobs = session.stores().remotes();
        }
        assertThat(stores).usingRecursiveFieldByFieldElementComparator().containsExactlyInAnyOrderElementsOf(jobs);
        assertThat(stores).filteredOn(r -> r.name().equals("disk")).singleElement()
                .satisfies(disk -> assertThat(disk.root()).isEqualTo(dir.resolve("data")));
    }

    @Test
    void lsStatCatAndRemotesLeaveNoJobDatabase() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ofHours(1));
        String config = "--config=" + remotesFile;

        BargeCli cli = new BargeCli(starter, terminal);
        assertThat(cli.execute("ls", "-R", "disk:photos", config)).isZero();
        assertThat(cli.execute("stat", "fromfile:photos/2024/a.jpg", config)).isZero();
        assertThat(cli.execute("cat", "file://" + dir.resolve("data/photos/2024/a.jpg"), config)).isZero();
        assertThat(cli.execute("remotes", config)).isZero();

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2024/a.jpg", "Size           5 B", "alpha",
                "fromenv", "AKIA****").doesNotContain("very-secret");
        assertThat(jobDatabaseFiles()).as("files in barge.home").isEmpty();
    }
}
