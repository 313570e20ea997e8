package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.IdentityCheck;
import dev.barge.storage.Location;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What a verification compares, and how. The locations, the selection, the identity check and the
 * download flag identify the job instance: the same verification run again after a failure, a
 * stop or a crash continues it. Concurrency, chunk size and skip limit only change how.
 *
 * @param source the location to compare from, a {@link Location} with a bucket; its path is a directory
 * @param target the location to compare with
 * @param selection which keys are compared: the source's object decides, or the target's for a key
 *     only the target holds
 * @param identityCheck how two objects of one key are taken to match: {@link IdentityCheck#CHECKSUM}
 *     ({@code --checksum}, the default), {@link IdentityCheck#SIZE_ONLY} ({@code --size-only})
 * @param download compare the bytes themselves (MD5 of both sides' content, downloaded) where no
 *     checksum both sides report can decide; needs {@link IdentityCheck#CHECKSUM}
 * @param concurrency objects downloaded at once
 * @param chunkSize keys per chunk: the unit of commit and of restart
 * @param skipLimit objects that may fail (be unreadable) before the job fails; differences are not failures
 * @param partitions key ranges compared in parallel, each restartable on its own (see
 *     {@link MigrateParameters#partitions()}); 1 for one pass
 * @param partitionBy where the ranges fall ({@code --partition-by}); counts for a run's first start only
 */
public record VerifyParameters(String source, String target, Selection selection, IdentityCheck identityCheck,
        boolean download, int concurrency, int chunkSize, long skipLimit, int partitions, PartitionSplit partitionBy)
        implements JobRequest {

    /** In key ranges sampled from the keyspace. */
    public VerifyParameters(String source, String target, Selection selection, IdentityCheck identityCheck,
            boolean download, int concurrency, int chunkSize, long skipLimit, int partitions) {
        this(source, target, selection, identityCheck, download, concurrency, chunkSize, skipLimit, partitions,
                PartitionSplit.RANGE);
    }

    /** In one partition. */
    public VerifyParameters(String source, String target, Selection selection, IdentityCheck identityCheck,
            boolean download, int concurrency, int chunkSize, long skipLimit) {
        this(source, target, selection, identityCheck, download, concurrency, chunkSize, skipLimit, 1);
    }

    public VerifyParameters {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        requireNonNull(selection, "selection is null");
        requireNonNull(identityCheck, "identityCheck is null");
        requireNonNull(partitionBy, "partitionBy is null");
        requireBucket(source, "source");
        requireBucket(target, "target");
        if (download && identityCheck != IdentityCheck.CHECKSUM) {
            throw new IllegalArgumentException("--download compares content, which --size-only"
                    + (identityCheck == IdentityCheck.SIZE_ONLY ? "" : " (or " + identityCheck + ")")
                    + " says not to do; choose one");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
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
    public VerifyParameters withPartitions(int partitions) {
        return new VerifyParameters(source, target, selection, identityCheck, download, concurrency, chunkSize,
                skipLimit, partitions, partitionBy);
    }

    /** These parameters, their partitions split {@code split}'s way. */
    public VerifyParameters withPartitionBy(PartitionSplit split) {
        return new VerifyParameters(source, target, selection, identityCheck, download, concurrency, chunkSize,
                skipLimit, partitions, split);
    }

    /**
     * A verification of everything under {@code source} against {@code target} by checksum, without
     * downloading, 8 objects at once, in chunks of {@link MigrateParameters#defaultChunkSize}, failing
     * at no number of unreadable objects.
     */
    public static VerifyParameters of(String source, String target) {
        return new VerifyParameters(source, target, Selection.ALL, IdentityCheck.CHECKSUM, false, 8,
                MigrateParameters.defaultChunkSize(8), Long.MAX_VALUE);
    }

    @Override
    public String jobName() {
        return VerifyJob.NAME;
    }

    @Override
    public List<String> problems(Preflight preflight) {
        return preflight.verification(source, target);
    }

    @Override
    public boolean isRunOf(JobParameters p) {
        return JobRunner.sameInstanceButRun(toJobParameters(0, Instant.EPOCH), p);
    }

    /** A verification writes nothing in any case: there is no separate dry run. */
    @Override
    public boolean dryRun() {
        return false;
    }

    /** The job parameters of run {@code run} of this verification, started at {@code referenceTime}. */
    public JobParameters toJobParameters(long run, Instant referenceTime) {
        JobParametersBuilder b = new JobParametersBuilder()
                .addString("source", source)
                .addString("target", target)
                .addString("identity-check", identityCheck.name())
                .addString("download", Boolean.toString(download))
                .addLong(JobRunner.RUN, run)
                .addString(JobRunner.REFERENCE_TIME, referenceTime.toString(), false)
                .addLong("concurrency", (long) concurrency, false)
                .addLong("chunk-size", (long) chunkSize, false)
                .addLong("skip-limit", skipLimit, false);
        MigrateParameters.addPartitions(b, partitions);
        partitionBy.addTo(b);
        return selection.addTo(b).toJobParameters();
    }

    /** The parameters a verify execution was started with. */
    public static VerifyParameters from(JobParameters p) {
        return new VerifyParameters(p.getString("source"), p.getString("target"), Selection.from(p),
                IdentityCheck.valueOf(p.getString("identity-check")), Boolean.parseBoolean(p.getString("download")),
                Math.toIntExact(p.getLong("concurrency")), Math.toIntExact(p.getLong("chunk-size")),
                p.getLong("skip-limit"), MigrateParameters.partitions(p), PartitionSplit.from(p));
    }

    /** {@code verify SOURCE -> TARGET (options)}, e.g. {@code verify s3:a -> oss:b (--download, include '*.jpg')}. */
    @Override
    public String toString() {
        List<String> options = new ArrayList<>();
        if (identityCheck == IdentityCheck.SIZE_ONLY) {
            options.add("--size-only");
        } else if (identityCheck == IdentityCheck.SIZE_AND_MTIME) {
            options.add("size and time");
        }
        if (download) {
            options.add("--download");
        }
        new TreeSet<>(selection.includes()).forEach(glob -> options.add("include '" + glob + "'"));
        new TreeSet<>(selection.excludes()).forEach(glob -> options.add("exclude '" + glob + "'"));
        if (selection.minSize() != null) {
            options.add("min-size " + selection.minSize() + " B");
        }
        if (selection.maxSize() != null) {
            options.add("max-size " + selection.maxSize() + " B");
        }
        if (selection.minAge() != null) {
            options.add("min-age " + selection.minAge());
        }
        if (selection.maxAge() != null) {
            options.add("max-age " + selection.maxAge());
        }
        if (!selection.storageClasses().isEmpty()) {
            options.add("storage classes " + new TreeSet<>(selection.storageClasses()));
        }
        return VerifyJob.NAME + " " + source + " -> " + target
                + (options.isEmpty() ? "" : " (" + String.join(", ", options) + ")");
    }

    private static void requireBucket(String location, String role) {
        if (!Location.parse(location).hasBucket()) {
            throw new IllegalArgumentException("the " + role + " '" + location + "' names no bucket;"
                    + " use remote:bucket/prefix");
        }
    }
}
