package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.Outcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Every job's start and end: sets up the execution's totals; at the end stops the job's pools, marks
 * a run that skipped failed objects ({@value #COMPLETED_WITH_SKIPS}: a rerun retries them) or else,
 * for a comparing job, found differences ({@value #DIFFERENCES_FOUND}), puts the one-line cause of
 * a failed run in its exit description, and logs the totals.
 */
final class JobTotals implements JobExecutionListener {
    /** The exit code of a completed run that skipped objects for failures. */
    static final String COMPLETED_WITH_SKIPS = "COMPLETED_WITH_SKIPS";
    /** The exit code of a completed comparison that found objects missing or different. */
    static final String DIFFERENCES_FOUND = "DIFFERENCES_FOUND";

    private static final Logger log = LoggerFactory.getLogger(JobTotals.class);

    private final JobRecords records;
    private final Object description;
    private final List<ExecutorService> pools;
    private final Set<Outcome> differences;

    /**
     * @param description what the job does, logged at the start ({@code toString()} of its parameters)
     * @param pools stopped when the job ends
     */
    JobTotals(JobRecords records, Object description, List<ExecutorService> pools) {
        this(records, description, pools, Set.of());
    }

    /**
     * @param differences the outcomes that are differences found (a comparing job's); a completed run
     *     that counted any of them ends with {@value #DIFFERENCES_FOUND}
     */
    JobTotals(JobRecords records, Object description, List<ExecutorService> pools, Set<Outcome> differences) {
        this.records = requireNonNull(records, "records is null");
        this.description = requireNonNull(description, "description is null");
        this.pools = List.copyOf(pools);
        this.differences = Set.copyOf(differences);
    }

    @Override
    public void beforeJob(JobExecution execution) {
        records.startTotals(execution.getId());
        log.info("execution {}: {}", execution.getId(), description);
    }

    @Override
    public void afterJob(JobExecution execution) {
        pools.forEach(ExecutorService::shutdownNow);
        Map<Outcome, ExecutionRecords.Total> totals = records.totals(execution.getId());
        // a run resumed across executions ends as all of them together: a chunk an earlier execution
        // committed with skips or differences is not done again, and must not be forgotten
        Map<Outcome, ExecutionRecords.Total> run = records.instanceTotals(execution.getJobInstanceId());
        long failed = run.get(Outcome.FAILED).objects();
        List<String> found = differences.stream().sorted().filter(o -> run.get(o).objects() > 0)
                .map(o -> run.get(o).objects() + " " + o.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .toList();
        String where = " see the failures of execution" + executions(execution);
        if (execution.getStatus() == BatchStatus.COMPLETED && failed > 0) {
            execution.setExitStatus(new ExitStatus(COMPLETED_WITH_SKIPS, failed + " objects failed and were skipped;"
                    + (found.isEmpty() ? "" : " differences found: " + String.join(", ", found) + ";") + where));
        } else if (execution.getStatus() == BatchStatus.COMPLETED && !found.isEmpty()) {
            execution.setExitStatus(new ExitStatus(DIFFERENCES_FOUND, "differences found: " + String.join(", ", found)
                    + ";" + where));
        } else if (execution.getStatus() == BatchStatus.FAILED) {
            FailureCause.of(execution).ifPresent(cause -> {
                log.error("execution {} failed: {}", execution.getId(), cause,
                        execution.getAllFailureExceptions().get(0));
                execution.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), cause));
            });
        }
        log.info("execution {} {}: {}", execution.getId(), execution.getStatus(), totals.entrySet().stream()
                .filter(e -> e.getValue().objects() > 0)
                .map(e -> e.getKey() + " " + e.getValue().objects() + " (" + e.getValue().bytes() + " bytes)")
                .collect(java.util.stream.Collectors.joining(", ", "{", "}")));
    }

    /** {@code " 42"}, or {@code "s 41, 42"} when earlier executions of the run recorded some too. */
    private String executions(JobExecution execution) {
        List<Long> ids = records.executionsWithFailures(execution.getJobInstanceId());
        if (ids.isEmpty() || ids.equals(List.of(execution.getId()))) {
            return " " + execution.getId();
        }
        return "s " + String.join(", ", ids.stream().map(String::valueOf).toList());
    }
}
