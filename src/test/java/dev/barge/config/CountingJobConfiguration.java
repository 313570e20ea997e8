package dev.barge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.support.ListItemReader;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** A job that counts to 25 in chunks of 7, for the job repository tests. */
@TestConfiguration(proxyBeanMethods = false)
class CountingJobConfiguration {
    @Bean
    List<Integer> written() {
        return new ArrayList<>();
    }

    @Bean
    Job countingJob(JobRepository repository, List<Integer> written) {
        return new JobBuilder("counting", repository)
                .start(new StepBuilder("count", repository)
                        .<Integer, Integer>chunk(7)
                        .reader(new ListItemReader<>(IntStream.rangeClosed(1, 25).boxed().toList()))
                        .writer(chunk -> written.addAll(chunk.getItems()))
                        .build())
                .build();
    }
}
