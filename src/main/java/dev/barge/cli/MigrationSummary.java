package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.JobRecords;
import dev.barge.batch.Outcome;
import dev.barge.job.MigrateJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * How a migration ended, for people (the summary lines) and scripts ({@code --json}).
 *
 * @param jobExecutionId the execution
 * @param status its batch status
 * @param exitCode the command's exit code
 * @param totals objects and bytes by outcome
 * @param elapsed how long the execution ran
 * @param dryRun whether nothing was written
 * @param message what to do next, or {@code null}
 * @param resumed the earlier execution this one resumed and what those before had done, or {@code null}
 */
record MigrationSummary(long jobExecutionId, BatchStatus status, int exitCode, Map<Outcome, JobRecords.Total> totals,
        Duration elapsed, boolean dryRun, String message, Resumed resumed) {

    /**
     * A run that continued an earlier execution of the same migration.
     *
     * @param executionId the execution it resumed (the last before it)
     * @param done objects and bytes the executions before it had finished (copied, skipped, filtered)
     */
    record Resumed(long executionId, JobRecords.Total done) {
        String text() {
            return "resumes execution " + executionId + ", which had already done " + Formats.count(done.objects(),
                    "object") + " (" + Formats.bytes(done.bytes()) + ")";
        }
    }

    MigrationSummary {
        requireNonNull(status, "status is null");
        totals = Map.copyOf(totals);
        requireNonNull(elapsed, "elapsed is null");
    }

    static MigrationSummary of(JobExecution execution, Map<Outcome, JobRecords.Total> totals, boolean dryRun,
            Resumed resumed) {
        long id = execution.getId();
        BatchStatus status = execution.getStatus();
        boolean skips = MigrateJob.COMPLETED_WITH_SKIPS.equals(execution.getExitStatus().getExitCode());
        int exitCode;
        String message;
        if (status == BatchStatus.COMPLETED && skips) {
            exitCode = ExitCode.COMPLETED_WITH_SKIPS;
            message = Formats.count(totals.get(Outcome.FAILED).objects(), "object") + " failed and"
                    + " were skipped: see them with"
                    + " 'barge jobs failures " + id + "'; run the same command again to retry them";
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
        return new MigrationSummary(id, status, exitCode, totals,
                Formats.between(execution.getStartTime(), execution.getEndTime()), dryRun, message, resumed);
    }

    private JobRecords.Total total(Outcome outcome) {
        return totals.getOrDefault(outcome, new JobRecords.Total(0, 0));
    }

    String text() {
        JobRecords.Total copied = total(Outcome.COPIED);
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s execution %d in %s%s%n", statusWord(), jobExecutionId, Formats.duration(elapsed),
                dryRun ? " (dry run: nothing was written; counts are what would be done)" : ""));
        if (resumed != null) {
            out.append("  (it ").append(resumed.text()).append(")").append(System.lineSeparator());
        }
        out.append(String.format("  copied              %10d %-7s  %12s%s%n", copied.objects(),
                noun(copied.objects()), Formats.bytes(copied.bytes()),
                dryRun ? "" : "  (" + Formats.rate(copied.bytes(), elapsed) + ")"));
        out.append(String.format("  skipped, identical  %10d %-7s  %12s%n", total(Outcome.SKIPPED_IDENTICAL).objects(),
                noun(total(Outcome.SKIPPED_IDENTICAL).objects()), Formats.bytes(total(Outcome.SKIPPED_IDENTICAL).bytes())));
        for (Object[] row : new Object[][] {{"filtered out      ", Outcome.SKIPPED_FILTERED},
                {"failed            ", Outcome.FAILED}, {"deleted           ", Outcome.DELETED}}) {
            long objects = total((Outcome) row[1]).objects();
            out.append(String.format("  %s  %10d %s%n", row[0], objects, noun(objects)));
        }
        if (message != null) {
            out.append(message).append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String noun(long objects) {
        return objects == 1 ? "object" : "objects";
    }

    private String statusWord() {
        return switch (status) {
            case COMPLETED -> exitCode == ExitCode.OK ? "Completed" : "Completed with skipped objects:";
            case STOPPED -> "Stopped";
            default -> status.name().charAt(0) + status.name().substring(1).toLowerCase(java.util.Locale.ROOT);
        };
    }

    String json() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", exitCode == ExitCode.COMPLETED_WITH_SKIPS ? MigrateJob.COMPLETED_WITH_SKIPS : status.name());
        fields.put("exitCode", exitCode);
        fields.put("jobExecutionId", jobExecutionId);
        fields.put("objectsCopied", total(Outcome.COPIED).objects());
        fields.put("bytesCopied", total(Outcome.COPIED).bytes());
        fields.put("objectsSkipped", total(Outcome.SKIPPED_IDENTICAL).objects());
        fields.put("bytesSkipped", total(Outcome.SKIPPED_IDENTICAL).bytes());
        fields.put("objectsFiltered", total(Outcome.SKIPPED_FILTERED).objects());
        fields.put("objectsFailed", total(Outcome.FAILED).objects());
        fields.put("objectsDeleted", total(Outcome.DELETED).objects());
        fields.put("elapsedSeconds", elapsed.toMillis() / 1000.0);
        if (!dryRun) {
            fields.put("bytesPerSecond",
                    (long) (total(Outcome.COPIED).bytes() / (Math.max(elapsed.toMillis(), 1) / 1000.0)));
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
