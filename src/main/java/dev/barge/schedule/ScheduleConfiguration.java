package dev.barge.schedule;

import dev.barge.job.ExecutionOwnership;
import dev.barge.job.JobCatalog;
import dev.barge.storage.StoreRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The scheduler of {@code barge serve}, and only of it: every command starts the same application,
 * which scans every package, and the command line's jobs must not start scheduled ones. The serve
 * command sets {@value #ENABLED}{@code =true}; the specs are read from {@code barge.jobs-dir}
 * ({@code ./jobs} by default) and checked before anything is scheduled, so that a bad spec stops the
 * start naming its file and field.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = ScheduleConfiguration.ENABLED, havingValue = "true")
public class ScheduleConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ScheduleConfiguration.class);

    /** The property that turns the scheduler on. */
    public static final String ENABLED = "barge.schedule.enabled";

    /**
     * How the scheduler runs.
     *
     * @param jobsDir the directory of the specs
     * @param maxConcurrentRuns scheduled runs at once in this instance; a tick past it is FAILED_TO_START
     * @param lockAtMostFor how long a spec's lock outlives an instance that died holding it; kept alive
     *     every half of it while the run goes on (ShedLock's keep-alive needs at least 30 s)
     * @param runNowWait how long "run now" waits for the run's execution to appear
     * @param keepTicksFor how long the record of a tick is kept (a spec's last tick, and its last that
     *     started a run, are kept however old)
     */
    public record Settings(Path jobsDir, int maxConcurrentRuns, Duration lockAtMostFor, Duration runNowWait,
            Duration keepTicksFor) {
        public Settings {
            if (maxConcurrentRuns < 1) {
                throw new IllegalArgumentException("barge.schedule.max-concurrent-runs must be at least 1: "
                        + maxConcurrentRuns);
            }
            if (lockAtMostFor.compareTo(Duration.ofSeconds(30)) < 0) {
                throw new IllegalArgumentException("barge.schedule.lock-at-most-for must be at least 30s: "
                        + lockAtMostFor);
            }
        }
    }

    @Bean
    Settings scheduleSettings(@Value("${barge.jobs-dir:./jobs}") Path jobsDir,
            @Value("${barge.schedule.max-concurrent-runs:4}") int maxConcurrentRuns,
            @Value("${barge.schedule.lock-at-most-for:60s}") Duration lockAtMostFor,
            @Value("${barge.schedule.run-now-wait:30s}") Duration runNowWait,
            @Value("${barge.schedule.keep-ticks-for:90d}") Duration keepTicksFor) {
        return new Settings(jobsDir, maxConcurrentRuns, lockAtMostFor, runNowWait, keepTicksFor);
    }

    /** The specs of {@code barge.jobs-dir}, checked against the configured remotes. */
    @Bean
    ScheduledSpecs scheduledSpecs(Settings settings, StoreRegistry stores) {
        List<ScheduleSpec> specs = new ScheduleSpecs(stores::remote).read(settings.jobsDir());
        if (specs.isEmpty()) {
            log.warn("no scheduled jobs: {} {}", settings.jobsDir().toAbsolutePath(),
                    Files.isDirectory(settings.jobsDir()) ? "holds no *.yml spec"
                            : "does not exist (barge.jobs-dir, BARGE_JOBS_DIR)");
        } else {
            log.info("{} scheduled jobs from {}", specs.size(), settings.jobsDir().toAbsolutePath());
        }
        return new ScheduledSpecs(settings.jobsDir(), specs);
    }

    @Bean(destroyMethod = "close")
    ScheduledRuns scheduledRuns(ScheduledSpecs specs, Settings settings, DataSource dataSource, JobCatalog catalog,
            JobRepository repository, ExecutionOwnership ownership, ApplicationEventPublisher events) {
        return create(specs.specs(), settings, dataSource, catalog, repository, ownership, events, node());
    }

    /**
     * A scheduler of {@code specs} over the job repository {@code dataSource}, with pools and a lock
     * keeper of its own, all shut down when it is closed; not started.
     *
     * @param node this instance's name in the ticks and the locks
     */
    static ScheduledRuns create(List<ScheduleSpec> specs, Settings settings, DataSource dataSource,
            JobCatalog catalog, JobRepository repository, ExecutionOwnership ownership,
            ApplicationEventPublisher events, String node) {
        ThreadPoolTaskScheduler ticks = new ThreadPoolTaskScheduler();
        ticks.setPoolSize(2);
        ticks.setThreadNamePrefix("barge-schedule-");
        // closing waits for a tick being handled, whose run then finds the scheduler stopped
        ticks.setWaitForTasksToCompleteOnShutdown(true);
        ticks.setAwaitTerminationSeconds(10);
        ticks.initialize();
        ThreadPoolTaskExecutor runs = new ThreadPoolTaskExecutor();
        runs.setCorePoolSize(settings.maxConcurrentRuns());
        runs.setMaxPoolSize(settings.maxConcurrentRuns());
        runs.setQueueCapacity(0);
        runs.setThreadNamePrefix("barge-scheduled-run-");
        runs.setWaitForTasksToCompleteOnShutdown(true);
        runs.setAwaitTerminationSeconds(60);
        runs.initialize();
        ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "barge-schedule-lock");
            t.setDaemon(true);
            return t;
        });
        JdbcTemplateLockProvider jdbc = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .withTableName("BARGE_SCHEDULE_LOCK")
                .withLockedByValue(node)
                .usingDbTime()
                .build());
        SpecLocks locks = new SpecLocks(new KeepAliveLockProvider(jdbc, keepAlive), settings.lockAtMostFor(),
                Clock.systemUTC());
        return new ScheduledRuns(specs, ticks, runs, locks, new ScheduleTicks(new JdbcTemplate(dataSource),
                Clock.systemUTC()), catalog, repository, ownership, events, node, Clock.systemUTC(),
                settings.runNowWait(), settings.keepTicksFor(), () -> {
                    ticks.shutdown();
                    runs.shutdown();
                    keepAlive.shutdownNow();
                });
    }

    /** This instance's name: host, process and a few random characters (two contexts may share a process). */
    static String node() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The specs read at start.
     *
     * @param directory where they were read from
     * @param specs the specs, checked
     */
    public record ScheduledSpecs(Path directory, List<ScheduleSpec> specs) {
        public ScheduledSpecs {
            specs = List.copyOf(specs);
        }
    }
}
