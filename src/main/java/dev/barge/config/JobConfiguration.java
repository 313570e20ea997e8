package dev.barge.config;

import dev.barge.job.ExecutionOwnership;
import dev.barge.job.JobRecords;
import dev.barge.job.JobRunner;
import dev.barge.transfer.TransferSettings;
import java.time.Clock;
import java.time.Duration;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.unit.DataSize;

/** The pieces jobs share: their records, who owns which execution, how they start, how objects move. */
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

    @Bean
    JobRunner jobRunner(JobRepository repository, JobOperator operator, ExecutionOwnership ownership) {
        return new JobRunner(repository, operator, ownership, Clock.systemUTC());
    }

    @Bean
    TransferSettings transferSettings(
            @Value("${barge.transfer.multipart-threshold:32MB}") DataSize multipartThreshold,
            @Value("${barge.transfer.part-size:16MB}") DataSize partSize,
            @Value("${barge.transfer.parts-in-flight:4}") int partsInFlight) {
        return new TransferSettings(multipartThreshold.toBytes(), partSize.toBytes(), partsInFlight);
    }
}
