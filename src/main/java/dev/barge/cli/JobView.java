package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.Outcome;
import dev.barge.job.ArchiveJob;
import dev.barge.job.DeleteJob;
import dev.barge.job.JobDescriptions;
import dev.barge.job.JobRecords;
import dev.barge.job.JobRequest;
import dev.barge.job.MigrateJob;
import dev.barge.job.RestoreJob;
import dev.barge.job.VerifyJob;
import java.util.List;
import java.util.Set;

/**
 * How the command line shows one kind of job's totals: the progress line while it runs, and the
 * summary and {@code --json} fields when it ends. A job is shown by the outcomes it counts
 * ({@link dev.barge.job.JobRecords#totals}); nothing else about it is needed here, so a new job
 * gets its progress and summary by declaring one view.
 *
 * @param task the word the progress line starts with ({@code migrate})
 * @param work the outcome the job exists for ({@link JobDescriptions#work}): its bytes are what the progress line reports as done
 *     ({@code 1.2 GiB copied}) and the summary's rate
 * @param verb the past tense of the work, as in "20.6 MiB copied"
 * @param byteRate whether the work is measured in bytes per second (a copy) or in objects per second
 *     (a delete, whose bytes are freed, not moved)
 * @param done the outcomes that count as done towards the listed total
 * @param rows the summary's lines, in order
 * @param differences outcomes that, counted in a completed run, make it end with
 *     {@link ExitCode#DIFFERENCES}: what a check found, not what went wrong
 */
record JobView(String task, Outcome work, String verb, boolean byteRate, Set<Outcome> done, List<Row> rows,
        Set<Outcome> differences) {

    /**
     * One line of the summary and its {@code --json} fields.
     *
     * @param label what the line counts, as a person reads it
     * @param outcome the outcome it counts
     * @param objectsField the JSON field of its objects
     * @param bytesField the JSON field of its bytes, or {@code null} to show no bytes
     */
    record Row(String label, Outcome outcome, String objectsField, String bytesField) {
        Row {
            requireNonNull(label, "label is null");
            requireNonNull(outcome, "outcome is null");
            requireNonNull(objectsField, "objectsField is null");
        }
    }

    JobView {
        requireNonNull(task, "task is null");
        requireNonNull(work, "work is null");
        requireNonNull(verb, "verb is null");
        done = Set.copyOf(done);
        rows = List.copyOf(rows);
        differences = Set.copyOf(differences);
    }

    /** {@code migrate}: copies, skips what is identical, and in sync or move mode deletes. */
    static final JobView MIGRATE = new JobView("migrate", JobDescriptions.work(MigrateJob.NAME), "copied", true,
            Set.of(Outcome.COPIED, Outcome.SKIPPED_IDENTICAL, Outcome.SKIPPED_FILTERED, Outcome.FAILED),
            List.of(new Row("copied", Outcome.COPIED, "objectsCopied", "bytesCopied"),
                    new Row("skipped, identical", Outcome.SKIPPED_IDENTICAL, "objectsSkipped", "bytesSkipped"),
                    new Row("filtered out", Outcome.SKIPPED_FILTERED, "objectsFiltered", null),
                    new Row("failed", Outcome.FAILED, "objectsFailed", null),
                    new Row("deleted", Outcome.DELETED, "objectsDeleted", null)),
            Set.of());

    /** {@code delete}: deletes what the selection takes under a prefix. */
    static final JobView DELETE = new JobView("delete", JobDescriptions.work(DeleteJob.NAME), "deleted", false,
            Set.of(Outcome.DELETED, Outcome.SKIPPED_FILTERED, Outcome.FAILED),
            List.of(new Row("deleted", Outcome.DELETED, "objectsDeleted", "bytesDeleted"),
                    new Row("filtered out", Outcome.SKIPPED_FILTERED, "objectsFiltered", null),
                    new Row("failed", Outcome.FAILED, "objectsFailed", null)),
            Set.of());

    /** {@code archive}, in place: gives objects a storage class. */
    static final JobView ARCHIVE = new JobView("archive", JobDescriptions.work(ArchiveJob.NAME), "archived", false,
            Set.of(Outcome.ARCHIVED, Outcome.ALREADY_IN_CLASS, Outcome.SKIPPED_FILTERED, Outcome.FAILED),
            List.of(new Row("archived", Outcome.ARCHIVED, "objectsArchived", "bytesArchived"),
                    new Row("already in class", Outcome.ALREADY_IN_CLASS, "objectsAlreadyInClass", null),
                    new Row("filtered out", Outcome.SKIPPED_FILTERED, "objectsFiltered", null),
                    new Row("failed", Outcome.FAILED, "objectsFailed", null)),
            Set.of());

    /** {@code restore}: asks for archived objects to be made readable, perhaps waits, perhaps copies them. */
    static final JobView RESTORE = new JobView("restore", JobDescriptions.work(RestoreJob.NAME), "requested", false,
            Set.of(Outcome.RESTORE_REQUESTED, Outcome.RESTORE_IN_PROGRESS, Outcome.RESTORED, Outcome.NOT_ARCHIVED,
                    Outcome.SKIPPED_FILTERED, Outcome.FAILED),
            List.of(new Row("requested", Outcome.RESTORE_REQUESTED, "objectsRequested", "bytesRequested"),
                    new Row("already restoring", Outcome.RESTORE_IN_PROGRESS, "objectsAlreadyRestoring", null),
                    new Row("already readable", Outcome.RESTORED, "objectsAlreadyRestored", null),
                    new Row("not archived", Outcome.NOT_ARCHIVED, "objectsNotArchived", null),
                    new Row("filtered out", Outcome.SKIPPED_FILTERED, "objectsFiltered", null),
                    new Row("failed", Outcome.FAILED, "objectsFailed", null),
                    new Row("then copied", Outcome.COPIED, "objectsCopied", "bytesCopied"),
                    new Row("then identical", Outcome.SKIPPED_IDENTICAL, "objectsSkipped", null)),
            Set.of());

    /** {@code verify}: compares two listings, and with {@code --download} the bytes. */
    static final JobView VERIFY = new JobView("verify", JobDescriptions.work(VerifyJob.NAME), "matched", false,
            Set.of(Outcome.MATCHED, Outcome.MISSING_AT_TARGET, Outcome.MISSING_AT_SOURCE, Outcome.DIFFERENT,
                    Outcome.SKIPPED_FILTERED, Outcome.FAILED),
            List.of(new Row("matched", Outcome.MATCHED, "objectsMatched", "bytesMatched"),
                    new Row("missing at target", Outcome.MISSING_AT_TARGET, "objectsMissingAtTarget", null),
                    new Row("missing at source", Outcome.MISSING_AT_SOURCE, "objectsMissingAtSource", null),
                    new Row("different", Outcome.DIFFERENT, "objectsDifferent", null),
                    new Row("filtered out", Outcome.SKIPPED_FILTERED, "objectsFiltered", null),
                    new Row("unreadable", Outcome.FAILED, "objectsFailed", null)),
            Set.of(Outcome.MISSING_AT_TARGET, Outcome.MISSING_AT_SOURCE, Outcome.DIFFERENT));

    /** How {@code request}'s job is shown. */
    static JobView of(JobRequest request) {
        return switch (request.jobName()) {
            case MigrateJob.NAME -> MIGRATE;
            case DeleteJob.NAME -> DELETE;
            case ArchiveJob.NAME -> ARCHIVE;
            case RestoreJob.NAME -> RESTORE;
            case VerifyJob.NAME -> VERIFY;
            default -> throw new IllegalArgumentException("no view of job " + request.jobName());
        };
    }

    /** The outcomes of the work done before an execution that resumes: done, and not failed (a rerun retries those). */
    Set<Outcome> finished() {
        return done.stream().filter(o -> o != Outcome.FAILED).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
