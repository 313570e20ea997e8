package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.Outcome;
import dev.barge.job.MigrateJob;
import dev.barge.job.VerifyJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * How a job ended, for people (the summary lines) and scripts ({@code --json}), in the words of its
 * {@link JobView}.
 *
 * @param view how the job's totals are shown
 * @param jobExecutionId the execution
 * @param status its batch status
 * @param exitCode the command's exit code
 * @param totals objects and bytes by outcome
 * @param elapsed how long the execution ran
 * @param dryRun whether nothing was written
 * @param message what to do next, or {@code null}
 * @param resumed the earlier execution this one resumed and what those before had done, or {@code null}
 */
record JobSummary(JobView view, long jobExecutionId, BatchStatus status, int exitCode,
        Map<Outcome, ExecutionRecords.Total> totals, Duration elapsed, boolean dryRun, String message, Resumed resumed) {

    /**
     * A run that continued an earlier execution of the same job.
     *
     * @param executionId the execution it resumed (the last before it)
     * @param done objects and bytes the executions before it had finished ({@link JobView#finished})
     */
    record Resumed(long executionId, ExecutionRecords.Total done) {
        String text() {
            return "resumes execution " + executionId + ", which had already done " + Formats.count(done.objects(),
                    "object") + " (" + Formats.bytes(done.bytes()) + ")";
        }
    }

    JobSummary {
        requireNonNull(view, "view is null");
        requireNonNull(status, "status is null");
        totals = Map.copyOf(totals);
        requireNonNull(elapsed, "elapsed is null");
    }

    /**
     * @param totals what this execution did
     * @param runTotals what every execution of its run did together (the same as {@code totals} for a
     *     first execution): a resumed run ends as all of its executions together
     * @param withFailures the executions of the run that recorded failures or findings
     */
    static JobSummary of(JobView view, JobExecution execution, Map<Outcome, ExecutionRecords.Total> totals,
            Map<Outcome, ExecutionRecords.Total> runTotals, List<Long> withFailures, boolean dryRun, Resumed resumed) {
        long id = execution.getId();
        BatchStatus status = execution.getStatus();
        String exit = execution.getExitStatus().getExitCode();
        long differences = view.differences().stream()
                .mapToLong(o -> runTotals.getOrDefault(o, new ExecutionRecords.Total(0, 0)).objects()).sum();
        String see = (withFailures.isEmpty() ? List.of(id) : withFailures).stream()
                .map(e -> "'barge jobs failures " + e + "'").collect(Collectors.joining(" and "));
        int exitCode;
        String message;
        if (status == BatchStatus.COMPLETED && MigrateJob.COMPLETED_WITH_SKIPS.equals(exit)) {
            exitCode = ExitCode.COMPLETED_WITH_SKIPS;
            long failed = runTotals.getOrDefault(Outcome.FAILED, new ExecutionRecords.Total(0, 0)).objects();
            message = Formats.count(failed, "object") + " failed and" + (failed == 1 ? " was" : " were")
                    + " skipped: see them with " + see + "; run the same command again to retry them";
        } else if (status == BatchStatus.COMPLETED && (VerifyJob.DIFFERENCES_FOUND.equals(exit) || differences > 0)) {
            exitCode = ExitCode.DIFFERENCES;
            message = Formats.count(differences, "difference") + " found: see them with " + see;
        } else if (status == BatchStatus.COMPLETED) {
            exitCode = ExitCode.OK;
            message = null;
        } else if (status == BatchStatus.STOPPED) {
            exitCode = ExitCode.FAILED;
            message = "stopped; run the same command again to resume where it stopped";
        } else {
            exitCode = ExitCode.FAILED;
            String why = execution.getExitStatus().getExitDescription();
            why = why == null || why.isBlank() ? "" : ": " + why.lines().findFirst().orElse("");
            message = "failed" + why + "; see 'barge jobs show " + id + "', then run the same command again to resume";
        }
        return new JobSummary(view, id, status, exitCode, totals,
                Formats.between(execution.getStartTime(), execution.getEndTime()), dryRun, message, resumed);
    }

    private ExecutionRecords.Total total(Outcome outcome) {
        return totals.getOrDefault(outcome, new ExecutionRecords.Total(0, 0));
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s execution %d in %s%s%n", statusWord(), jobExecutionId, Formats.duration(elapsed),
                dryRun ? " (dry run: nothing was written or deleted; counts are what would be done)" : ""));
        if (resumed != null) {
            out.append("  (it ").append(resumed.text()).append(")").append(System.lineSeparator());
        }
        for (JobView.Row row : view.rows()) {
            ExecutionRecords.Total total = total(row.outcome());
            out.append(String.format("  %-18s  %10d %-7s", row.label(), total.objects(), noun(total.objects())));
            if (row.bytesField() != null) {
                out.append(String.format("  %12s", Formats.bytes(total.bytes())));
            }
            if (row.outcome() == view.work() && !dryRun) {
                out.append("  (").append(rate(total)).append(")");
            }
            out.append(System.lineSeparator());
        }
        if (message != null) {
            out.append(message).append(System.lineSeparator());
        }
        return out.toString().replaceAll(" +(\\R)", "$1");
    }

    private String rate(ExecutionRecords.Total work) {
        return view.byteRate() ? Formats.rate(work.bytes(), elapsed) : Formats.objectRate(work.objects(), elapsed);
    }

    private static String noun(long objects) {
        return objects == 1 ? "object" : "objects";
    }

    private String statusWord() {
        return switch (status) {
            case COMPLETED -> exitCode == ExitCode.OK ? "Completed"
                    : exitCode == ExitCode.DIFFERENCES ? "Completed, with differences:" : "Completed with skipped objects:";
            case STOPPED -> "Stopped";
            default -> status.name().charAt(0) + status.name().substring(1).toLowerCase(Locale.ROOT);
        };
    }

    String json() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("job", view.task());
        fields.put("status", exitCode == ExitCode.COMPLETED_WITH_SKIPS ? MigrateJob.COMPLETED_WITH_SKIPS
                : exitCode == ExitCode.DIFFERENCES ? VerifyJob.DIFFERENCES_FOUND : status.name());
        fields.put("exitCode", exitCode);
        fields.put("jobExecutionId", jobExecutionId);
        for (JobView.Row row : view.rows()) {
            fields.put(row.objectsField(), total(row.outcome()).objects());
            if (row.bytesField() != null) {
                fields.put(row.bytesField(), total(row.outcome()).bytes());
            }
        }
        fields.put("elapsedSeconds", elapsed.toMillis() / 1000.0);
        if (!dryRun) {
            double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
            ExecutionRecords.Total work = total(view.work());
            fields.put(view.byteRate() ? "bytesPerSecond" : "objectsPerSecond",
                    (long) ((view.byteRate() ? work.bytes() : work.objects()) / seconds));
        }
        fields.put("dryRun", dryRun);
        if (resumed != null) {
            fields.put("resumedExecutionId", resumed.executionId());
            fields.put("objectsDoneBefore", resumed.done().objects());
            fields.put("bytesDoneBefore", resumed.done().bytes());
        }
        fields.put("message", message);
        return Json.object(fields);
    }
}
