package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Location;
import dev.barge.storage.StorageClass;
import java.time.Instant;
import java.util.List;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What an in-place archive does: the objects under a location that a selection takes get a storage
 * class. The location, the class and the selection identify the job instance: the same archive run
 * again after a failure, a stop or a crash continues it. Chunk size, concurrency and skip limit only
 * change how.
 *
 * @param location what to archive under, a {@link Location}; its path is a directory
 * @param storageClass the class every object is to have
 * @param selection which of the listed objects are archived ({@code --min-age 90d}, say)
 * @param dryRun count what would change, change nothing
 * @param chunkSize objects per chunk: the unit of commit and of restart
 * @param concurrency objects changed at once
 * @param skipLimit objects that may fail before the job fails
 * @param partitions key ranges listed and archived in parallel, each restartable on its own (see
 *     {@link MigrateParameters#partitions()}); 1 for one listing
 * @param partitionBy where the ranges fall ({@code --partition-by}); counts for a run's first start only
 */
public record ArchiveParameters(String location, StorageClass.Family storageClass, Selection selection,
        boolean dryRun, int chunkSize, int concurrency, long skipLimit, int partitions, PartitionSplit partitionBy)
        implements JobRequest {

    /** In key ranges sampled from the keyspace. */
    public ArchiveParameters(String location, StorageClass.Family storageClass, Selection selection, boolean dryRun,
            int chunkSize, int concurrency, long skipLimit, int partitions) {
        this(location, storageClass, selection, dryRun, chunkSize, concurrency, skipLimit, partitions,
                PartitionSplit.RANGE);
    }

    /** In one partition. */
    public ArchiveParameters(String location, StorageClass.Family storageClass, Selection selection, boolean dryRun,
            int chunkSize, int concurrency, long skipLimit) {
        this(location, storageClass, selection, dryRun, chunkSize, concurrency, skipLimit, 1);
    }

    public ArchiveParameters {
        requireNonNull(location, "location is null");
        requireNonNull(storageClass, "storageClass is null");
        requireNonNull(selection, "selection is null");
        requireNonNull(partitionBy, "partitionBy is null");
        if (!Location.parse(location).hasBucket()) {
            throw new IllegalArgumentException("'" + location + "' names no bucket; use remote:bucket/prefix");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1: " + chunkSize);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        if (skipLimit < 0) {
            throw new IllegalArgumentException("skip limit must not be negative: " + skipLimit);
        }
        MigrateParameters.requirePartitions(partitions);
    }

    @Override
    public String jobName() {
        return ArchiveJob.NAME;
    }

    @Override
    public List<String> problems(Preflight preflight) {
        return preflight.archive(location, storageClass);
    }

    @Override
    public boolean isRunOf(JobParameters p) {
        return JobRunner.sameInstanceButRun(toJobParameters(0, Instant.EPOCH), p);
    }

    /** The job parameters of run {@code run} of this archive, started at {@code referenceTime}. */
    public JobParameters toJobParameters(long run, Instant referenceTime) {
        JobParametersBuilder b = new JobParametersBuilder()
                .addString("location", location)
                .addString("storage-class", storageClass.name())
                .addString("dry-run", Boolean.toString(dryRun))
                .addLong(JobRunner.RUN, run)
                .addString(JobRunner.REFERENCE_TIME, referenceTime.toString(), false)
                .addLong("chunk-size", (long) chunkSize, false)
                .addLong("concurrency", (long) concurrency, false)
                .addLong("skip-limit", skipLimit, false);
        MigrateParameters.addPartitions(b, partitions);
        partitionBy.addTo(b);
        return selection.addTo(b).toJobParameters();
    }

    /** The parameters an archive execution was started with. */
    public static ArchiveParameters from(JobParameters p) {
        return new ArchiveParameters(p.getString("location"), StorageClass.Family.valueOf(p.getString("storage-class")),
                Selection.from(p), Boolean.parseBoolean(p.getString("dry-run")),
                Math.toIntExact(p.getLong("chunk-size")), Math.toIntExact(p.getLong("concurrency")),
                p.getLong("skip-limit"), MigrateParameters.partitions(p), PartitionSplit.from(p));
    }

    @Override
    public String toString() {
        return "archive " + location + " to " + storageClass + (dryRun ? " (dry run)" : "");
    }
}
