package dev.barge.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.BargeApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The application with the scheduler on does not start while a spec is wrong, and says which and why. */
class ScheduleStartTest {
    // not a @TempDir: the log file of a start that failed stays open in the logging system after the
    // test, and would make the directory again when JUnit has deleted it; this one goes when the JVM ends
    private final Path dir = dev.barge.test.TempDirs.create("barge-schedule-start-");

    private SpringApplicationBuilder application(Path jobs) {
        return new SpringApplicationBuilder(BargeApplication.class)
                .web(WebApplicationType.NONE)
                .properties("barge.schedule.enabled=true",
                        "barge.jobs-dir=" + jobs,
                        "barge.home=" + dir.resolve("home"),
                        "spring.datasource.url=jdbc:h2:mem:schedule-start-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                        "barge.remotes.prod.type=local",
                        "barge.remotes.prod.root=" + dir,
                        "logging.threshold.console=off");
    }

    @Test
    void aBadSpecStopsTheStartNamingItsFileAndField() throws IOException {
        Path jobs = Files.createDirectories(dir.resolve("jobs"));
        Path bad = Files.writeString(jobs.resolve("purge.yml"), """
                name: purge
                cron: "0 0 4 * * SUN"
                job: delete
                parameters:
                  location: prod:scratch/tmp/
                """);

        assertThatThrownBy(() -> application(jobs).run().close())
                .rootCause()
                .isInstanceOf(InvalidScheduleSpecs.class)
                .hasMessageContaining(bad + ": parameters.yes (line 4): a scheduled delete has no terminal");
    }

    @Test
    void goodSpecsAreScheduledWhenTheApplicationStarts() throws IOException {
        Path jobs = Files.createDirectories(dir.resolve("good-jobs"));
        Files.createDirectories(dir.resolve("scratch"));
        Files.writeString(jobs.resolve("purge.yml"), """
                name: purge
                cron: "0 0 4 * * SUN"
                job: delete
                parameters:
                  location: prod:scratch/tmp/
                  yes: true
                """);

        try (ConfigurableApplicationContext context = application(jobs).run()) {
            Schedules schedules = context.getBean(Schedules.class);
            assertThat(schedules.schedules()).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("purge");
                assertThat(s.job()).isEqualTo("delete");
                assertThat(s.lastTick()).isEmpty();
            });
            assertThat(context.getBean(ScheduledRuns.class).isRunning()).isTrue();
        }
    }
}
