package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Location;
import dev.barge.storage.RestoreRequest;
import dev.barge.storage.StorageClass;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What a restore does: asks for the archived objects under a location that a selection takes to be
 * made readable, optionally waits until they are, and optionally copies them to another location
 * then (in a storage class there). The location, the selection, waiting and the copy identify the
 * job instance, so that a rerun continues it and does not ask again for what it asked; the days,
 * the tier and the timings only change how.
 *
 * @param location what to restore under, a {@link Location}; its path is a directory
 * @param request how long restored copies stay readable, and how fast they are made
 * @param selection which of the listed objects are restored
 * @param waitFor whether the job waits until every requested object is readable
 * @param poll how often it looks while it waits
 * @param timeout how long it waits at most, counted from when waiting first began
 * @param thenCopyTo where the restored objects are copied once readable, or {@code null}; needs {@code waitFor}
 * @param thenStorageClass the class of those copies, or {@code null} for the target's default
 * @param dryRun count what would be asked for, ask for nothing
 * @param chunkSize objects per chunk: the unit of commit and of restart
 * @param concurrency objects asked for (or copied) at once
 * @param skipLimit objects that may fail before the job fails
 * @param partitions key ranges in which the requests, and the copy, run in parallel, each restartable
 *     on its own (see {@link MigrateParameters#partitions()}); 1 for one listing
 * @param partitionBy where the ranges fall ({@code --partition-by}); counts for a run's first start only
 */
public record RestoreParameters(String location, RestoreRequest request, Selection selection, boolean waitFor,
        Duration poll, Duration timeout, String thenCopyTo, StorageClass.Family thenStorageClass, boolean dryRun,
        int chunkSize, int concurrency, long skipLimit, int partitions, PartitionSplit partitionBy)
        implements JobRequest {

    /** In one partition. */
    public RestoreParameters(String location, RestoreRequest request, Selection selection, boolean waitFor,
            Duration poll, Duration timeout, String thenCopyTo, StorageClass.Family thenStorageClass, boolean dryRun,
            int chunkSize, int concurrency, long skipLimit) {
        this(location, request, selection, waitFor, poll, timeout, thenCopyTo, thenStorageClass, dryRun, chunkSize,
                concurrency, skipLimit, 1, PartitionSplit.RANGE);
    }

    public RestoreParameters {
        requireNonNull(location, "location is null");
        requireNonNull(request, "request is null");
        requireNonNull(selection, "selection is null");
        requireNonNull(poll, "poll is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(partitionBy, "partitionBy is null");
        MigrateParameters.requirePartitions(partitions);
        if (!Location.parse(location).hasBucket()) {
            throw new IllegalArgumentException("'" + location + "' names no bucket; use remote:bucket/prefix");
        }
        if (thenCopyTo != null && !waitFor) {
            throw new IllegalArgumentException("--then-copy-to needs --wait: objects can only be copied once they"
                    + " are restored");
        }
        if (thenStorageClass != null && thenCopyTo == null) {
            throw new IllegalArgumentException("--then-storage-class needs --then-copy-to: it is the class of the copies");
        }
        if (thenCopyTo != null && !Location.parse(thenCopyTo).hasBucket()) {
            throw new IllegalArgumentException("'" + thenCopyTo + "' names no bucket; use remote:bucket/prefix");
        }
        if (poll.isNegative() || poll.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the poll interval and the timeout must be longer than zero");
        }
        if (chunkSize < 1 || concurrency < 1 || skipLimit < 0) {
            throw new IllegalArgumentException("chunk size and concurrency must be at least 1, the skip limit not"
                    + " negative: " + chunkSize + ", " + concurrency + ", " + skipLimit);
        }
    }

    @Override
    public String jobName() {
        return RestoreJob.NAME;
    }

    @Override
    public List<String> problems(Preflight preflight) {
        return preflight.restore(location, thenCopyTo, thenStorageClass, !dryRun);
    }

    @Override
    public boolean isRunOf(JobParameters p) {
        return JobRunner.sameInstanceButRun(toJobParameters(0, Instant.EPOCH), p);
    }

    /** The job parameters of run {@code run} of this restore, started at {@code referenceTime}. */
    public JobParameters toJobParameters(long run, Instant referenceTime) {
        JobParametersBuilder b = new JobParametersBuilder()
                .addString("location", location)
                .addString("wait", Boolean.toString(waitFor))
                .addString("then-copy-to", thenCopyTo == null ? "" : thenCopyTo)
                .addString("then-storage-class", thenStorageClass == null ? "" : thenStorageClass.name())
                .addString("dry-run", Boolean.toString(dryRun))
                .addLong(JobRunner.RUN, run)
                .addString(JobRunner.REFERENCE_TIME, referenceTime.toString(), false)
                .addLong("days", (long) request.days(), false)
                .addString("tier", request.tier().name(), false)
                .addString("poll", poll.toString(), false)
                .addString("timeout", timeout.toString(), false)
                .addLong("chunk-size", (long) chunkSize, false)
                .addLong("concurrency", (long) concurrency, false)
                .addLong("skip-limit", skipLimit, false);
        MigrateParameters.addPartitions(b, partitions);
        partitionBy.addTo(b);
        return selection.addTo(b).toJobParameters();
    }

    /** The parameters a restore execution was started with. */
    public static RestoreParameters from(JobParameters p) {
        String copyTo = p.getString("then-copy-to");
        String copyClass = p.getString("then-storage-class");
        return new RestoreParameters(p.getString("location"),
                new RestoreRequest(Math.toIntExact(p.getLong("days")), RestoreRequest.Tier.valueOf(p.getString("tier"))),
                Selection.from(p), Boolean.parseBoolean(p.getString("wait")), Duration.parse(p.getString("poll")),
                Duration.parse(p.getString("timeout")), copyTo == null || copyTo.isEmpty() ? null : copyTo,
                copyClass == null || copyClass.isEmpty() ? null : StorageClass.Family.valueOf(copyClass),
                Boolean.parseBoolean(p.getString("dry-run")), Math.toIntExact(p.getLong("chunk-size")),
                Math.toIntExact(p.getLong("concurrency")), p.getLong("skip-limit"), MigrateParameters.partitions(p),
                PartitionSplit.from(p));
    }

    @Override
    public String toString() {
        return "restore " + location + (waitFor ? " and wait" : "") + (thenCopyTo == null ? "" : ", then copy to "
                + thenCopyTo + (thenStorageClass == null ? "" : " as " + thenStorageClass)) + (dryRun ? " (dry run)" : "");
    }
}
