package dev.barge.monitoring;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.Outcome;
import dev.barge.job.JobExecutionEnded;
import dev.barge.job.JobRecords;
import dev.barge.storage.Location;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.event.EventListener;

/**
 * The metrics of jobs, recorded as each execution started in this process ends
 * ({@link JobExecutionEnded}), from what the job repository and Barge's totals hold of it:
 *
 * <ul>
 *   <li>{@value #DURATION}: a timer of executions by {@code job} and final {@code status};</li>
 *   <li>{@value #OBJECTS} and {@value #BYTES}: counters of objects and bytes by {@code job},
 *       {@code outcome} (copied, deleted, skipped as identical...), and the job's {@code source} and
 *       {@code target} remotes ({@code none} for a job with one location).</li>
 * </ul>
 *
 * Requests, their latencies, bytes on the wire and errors by kind, per remote and operation, are the
 * storage layer's own meters ({@code barge.storage.*}, from {@code storage/layer/MetricsObjectStore}),
 * in the same registry: they are not counted again here.
 */
public final class JobMetrics {
    static final String DURATION = "barge.job.duration";
    static final String OBJECTS = "barge.job.objects";
    static final String BYTES = "barge.job.bytes";
    private static final Logger log = LoggerFactory.getLogger(JobMetrics.class);

    private final MeterRegistry registry;
    private final JobRepository repository;
    private final JobRecords records;

    public JobMetrics(MeterRegistry registry, JobRepository repository, JobRecords records) {
        this.registry = requireNonNull(registry, "registry is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.records = requireNonNull(records, "records is null");
    }

    @EventListener
    public void ended(JobExecutionEnded ended) {
        try {
            JobExecution execution = repository.getJobExecution(ended.jobExecutionId());
            if (execution != null) {
                record(execution);
            }
        } catch (RuntimeException e) {
            // metrics are not worth failing a run over
            log.warn("no metrics for execution {}: {}", ended.jobExecutionId(), e.toString());
        }
    }

    /** Records an ended execution. */
    void record(JobExecution execution) {
        String job = execution.getJobInstance().getJobName();
        LocalDateTime start = execution.getStartTime();
        LocalDateTime end = execution.getEndTime();
        if (start != null) {
            Timer.builder(DURATION).description("Job executions, start to end")
                    .tag("job", job).tag("status", execution.getStatus().name())
                    .register(registry)
                    .record(Duration.between(start, end != null ? end : LocalDateTime.now()));
        }
        JobParameters p = execution.getJobParameters();
        String source = remote(first(p, "source", "location"));
        String target = remote(first(p, "target", "then-copy-to"));
        for (Map.Entry<Outcome, ExecutionRecords.Total> total : records.totals(execution.getId()).entrySet()) {
            if (total.getValue().objects() == 0 && total.getValue().bytes() == 0) {
                continue;
            }
            String outcome = total.getKey().name().toLowerCase(Locale.ROOT);
            Counter.builder(OBJECTS).description("Objects jobs handled, by outcome").baseUnit("objects")
                    .tag("job", job).tag("outcome", outcome).tag("source", source).tag("target", target)
                    .register(registry).increment(total.getValue().objects());
            Counter.builder(BYTES).description("Bytes of the objects jobs handled, by outcome").baseUnit("bytes")
                    .tag("job", job).tag("outcome", outcome).tag("source", source).tag("target", target)
                    .register(registry).increment(total.getValue().bytes());
        }
    }

    private static String first(JobParameters p, String... names) {
        for (String name : names) {
            String value = p.getString(name);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private static String remote(String location) {
        if (location == null) {
            return "none";
        }
        try {
            return Location.parse(location).remote();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
