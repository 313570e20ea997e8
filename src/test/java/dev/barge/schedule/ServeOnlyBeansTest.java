package dev.barge.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.monitoring.JobMetrics;
import dev.barge.monitoring.MonitoringConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The scheduler, health and metrics are {@code barge serve}'s: every command starts the same
 * application, which scans every package, and without their properties none of their beans exists
 * (a {@code barge migrate} must never start scheduled runs).
 */
class ServeOnlyBeansTest {
    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withUserConfiguration(ScheduleConfiguration.class, MonitoringConfiguration.class);

    @Test
    void withoutTheServePropertiesThereIsNoSchedulerAndNoMonitoring() {
        contexts.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ScheduledRuns.class);
            assertThat(context).doesNotHaveBean(ScheduleConfiguration.Settings.class);
            assertThat(context).doesNotHaveBean(JobMetrics.class);
            assertThat(context).doesNotHaveBean("remotesHealthContributor");
        });
    }

    @Test
    void aLockThatKeepAliveCannotKeepIsRefused() {
        assertThatThrownBy(() -> new ScheduleConfiguration.Settings(java.nio.file.Path.of("jobs"), 4,
                java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30), java.time.Duration.ofDays(1)))
                .hasMessageContaining("barge.schedule.lock-at-most-for must be at least 30s");
        assertThatThrownBy(() -> new ScheduleConfiguration.Settings(java.nio.file.Path.of("jobs"), 0,
                java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(30), java.time.Duration.ofDays(1)))
                .hasMessageContaining("barge.schedule.max-concurrent-runs must be at least 1");
    }
}
