package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Location;
import java.time.Instant;
import java.util.List;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What a prefix delete does. The location and the selection identify the job instance: the same
 * delete run again after a failure, a stop or a crash continues it. Chunk size and skip limit only
 * change how.
 *
 * @param location what to delete under, a {@link Location}; its path is a directory ("photos"
 *     deletes under {@code photos/}, not {@code photos2/})
 * @param wholeBucket whether the location may name a whole bucket (an empty path): a second, explicit
 *     yes for the largest delete there is
 * @param selection which of the listed objects go
 * @param dryRun count what would go, delete nothing
 * @param chunkSize objects per chunk: the unit of commit and of restart
 * @param skipLimit objects that may fail before the job fails
 * @param partitions key ranges listed and deleted in parallel, each restartable on its own (see
 *     {@link MigrateParameters#partitions()}); 1 for one listing
 * @param partitionBy where the ranges fall ({@code --partition-by}); counts for a run's first start only
 */
public record DeleteParameters(String location, boolean wholeBucket, Selection selection, boolean dryRun,
        int chunkSize, long skipLimit, int partitions, PartitionSplit partitionBy) implements JobRequest {

    /** In key ranges sampled from the keyspace. */
    public DeleteParameters(String location, boolean wholeBucket, Selection selection, boolean dryRun, int chunkSize,
            long skipLimit, int partitions) {
        this(location, wholeBucket, selection, dryRun, chunkSize, skipLimit, partitions, PartitionSplit.RANGE);
    }

    /** In one partition. */
    public DeleteParameters(String location, boolean wholeBucket, Selection selection, boolean dryRun, int chunkSize,
            long skipLimit) {
        this(location, wholeBucket, selection, dryRun, chunkSize, skipLimit, 1);
    }

    public DeleteParameters {
        requireNonNull(location, "location is null");
        requireNonNull(selection, "selection is null");
        requireNonNull(partitionBy, "partitionBy is null");
        Location parsed = Location.parse(location);
        if (!parsed.hasBucket()) {
            throw new IllegalArgumentException("'" + location + "' names no bucket; use remote:bucket/prefix");
        }
        if (parsed.path().isEmpty() && !wholeBucket) {
            throw new IllegalArgumentException("'" + location + "' is a whole bucket; deleting all of its objects"
                    + " needs to be asked for as such (--all)");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1: " + chunkSize);
        }
        if (skipLimit < 0) {
            throw new IllegalArgumentException("skip limit must not be negative: " + skipLimit);
        }
        MigrateParameters.requirePartitions(partitions);
    }

    /** These parameters in {@code partitions} partitions. */
    public DeleteParameters withPartitions(int partitions) {
        return new DeleteParameters(location, wholeBucket, selection, dryRun, chunkSize, skipLimit, partitions,
                partitionBy);
    }

    /** These parameters, their partitions split {@code split}'s way. */
    public DeleteParameters withPartitionBy(PartitionSplit split) {
        return new DeleteParameters(location, wholeBucket, selection, dryRun, chunkSize, skipLimit, partitions, split);
    }

    @Override
    public String jobName() {
        return DeleteJob.NAME;
    }

    @Override
    public List<String> problems(Preflight preflight) {
        return preflight.deletion(location);
    }

    @Override
    public boolean isRunOf(JobParameters p) {
        return JobRunner.sameInstanceButRun(toJobParameters(0, Instant.EPOCH), p);
    }

    /** The job parameters of run {@code run} of this delete, started at {@code referenceTime}. */
    public JobParameters toJobParameters(long run, Instant referenceTime) {
        JobParametersBuilder b = new JobParametersBuilder()
                .addString("location", location)
                .addString("whole-bucket", Boolean.toString(wholeBucket))
                .addString("dry-run", Boolean.toString(dryRun))
                .addLong(JobRunner.RUN, run)
                .addString(JobRunner.REFERENCE_TIME, referenceTime.toString(), false)
                .addLong("chunk-size", (long) chunkSize, false)
                .addLong("skip-limit", skipLimit, false);
        MigrateParameters.addPartitions(b, partitions);
        partitionBy.addTo(b);
        return selection.addTo(b).toJobParameters();
    }

    /** The parameters a delete execution was started with. */
    public static DeleteParameters from(JobParameters p) {
        return new DeleteParameters(p.getString("location"), Boolean.parseBoolean(p.getString("whole-bucket")),
                Selection.from(p), Boolean.parseBoolean(p.getString("dry-run")),
                Math.toIntExact(p.getLong("chunk-size")), p.getLong("skip-limit"),
                MigrateParameters.partitions(p), PartitionSplit.from(p));
    }

    @Override
    public String toString() {
        return "delete " + location + (dryRun ? " (dry run)" : "")
                + (selection.includes().isEmpty() ? "" : " include " + selection.includes())
                + (selection.excludes().isEmpty() ? "" : " exclude " + selection.excludes());
    }
}
