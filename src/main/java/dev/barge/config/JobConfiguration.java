package dev.barge.config;

import dev.barge.job.ExecutionOwnership;
import dev.barge.job.JobRecords;
import dev.barge.job.JobRunner;
import dev.barge.job.PartitionNotices;
import dev.barge.job.Preflight;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.layer.RateBudgets;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The pieces jobs share: their records, who owns which execution, how they start and what is checked before they start. */
@Configuration(proxyBeanMethods = false)
public class JobConfiguration {

    /** No database connection held while a chunk copies: see {@link LazyJobConnections}. */
    @Bean
    static LazyJobConnections lazyJobConnections() {
        return new LazyJobConnections();
    }

    @Bean
    JobRecords jobRecords(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        return new JobRecords(jdbc, transactionManager);
    }

    @Bean(destroyMethod = "close")
    ExecutionOwnership executionOwnership(JdbcTemplate jdbc,
            @Value("${barge.jobs.heartbeat-interval:5s}") Duration heartbeatInterval) {
        return new ExecutionOwnership(jdbc, heartbeatInterval, Clock.systemUTC());
    }

    /** What remote partitions' managers tell the command running the job (hand-offs of lost partitions). */
    @Bean
    PartitionNotices partitionNotices() {
        return new PartitionNotices();
    }

    @Bean
    JobRunner jobRunner(JobRepository repository, JobOperator operator, ExecutionOwnership ownership) {
        return new JobRunner(repository, operator, ownership, Clock.systemUTC());
    }

    /**
     * Where remotes' rate budgets live: in the job repository when it is PostgreSQL, which every
     * worker, partition and manager shares, so that one requests/s and one bytes/s budget per remote
     * holds for the cluster ({@link SharedRateBudgets}); with the embedded H2 database, one process's,
     * in memory (one store per remote, so its partitions share one bucket).
     */
    @Bean
    RateBudgets rateBudgets(DataSource dataSource, Environment environment) {
        String url = environment.getProperty("spring.datasource.url", "");
        return url.startsWith("jdbc:postgresql:") ? new SharedRateBudgets(dataSource) : RateBudgets.IN_PROCESS;
    }

    /** The checks before a job starts, naming a remote's settings as the user wrote them. */
    @Bean
    Preflight preflight(StoreRegistry stores, RemoteSettings settings) {
        return new Preflight(stores, settings::name);
    }
}
