package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.IdentityCheck;
import dev.barge.batch.MigrationMode;
import dev.barge.batch.ObjectFilter;
import dev.barge.storage.Location;
import dev.barge.storage.StorageClass;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What a migration does. The settings that change what is copied identify the job instance: the
 * same migration run again after a failure or a crash continues that instance. Chunk size,
 * concurrency and skip limit only change how, and may differ between runs.
 *
 * @param source where to copy from, a {@link Location}
 * @param target where to copy to
 * @param mode copy, sync or move
 * @param deleteExtraneous with {@link MigrationMode#SYNC}: delete target objects the source lacks
 * @param includes globs of keys to take (see {@link ObjectFilter}); empty for all
 * @param excludes globs of keys to leave
 * @param minSize smallest object taken, or {@code null}
 * @param maxSize largest object taken, or {@code null}
 * @param minAge take only objects at least this old when the migration first started, or {@code null}
 * @param maxAge take only objects at most this old when the migration first started, or {@code null}
 * @param storageClasses take only objects of these storage class families; empty for all
 * @param targetStorageClass storage class of the copies, or {@code null} for the target's default
 * @param identityCheck how an object already at the target is recognised
 * @param dryRun report what would be done, write nothing
 * @param chunkSize objects per chunk: the unit of commit and of restart
 * @param concurrency objects copied at once
 * @param skipLimit objects that may fail before the job fails
 * @param partitions key ranges of the source listed and copied in parallel, each restartable on its
 *     own; 1 for one listing. More than one identifies the run: the same command with another count
 *     is another run (which finds done what was done)
 * @param partitionBy where the ranges fall ({@code --partition-by}); counts for a run's first start only
 */
public record MigrateParameters(
        String source,
        String target,
        MigrationMode mode,
        boolean deleteExtraneous,
        List<String> includes,
        List<String> excludes,
        Long minSize,
        Long maxSize,
        Duration minAge,
        Duration maxAge,
        Set<StorageClass.Family> storageClasses,
        StorageClass targetStorageClass,
        IdentityCheck identityCheck,
        boolean dryRun,
        int chunkSize,
        int concurrency,
        long skipLimit,
        int partitions,
        PartitionSplit partitionBy) implements JobRequest {

    public MigrateParameters {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        requireNonNull(mode, "mode is null");
        includes = List.copyOf(requireNonNull(includes, "includes is null"));
        excludes = List.copyOf(requireNonNull(excludes, "excludes is null"));
        storageClasses = storageClasses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(storageClasses));
        requireNonNull(identityCheck, "identityCheck is null");
        requireNonNull(partitionBy, "partitionBy is null");
        Location.parse(source);
        Location.parse(target);
        if (deleteExtraneous && mode != MigrationMode.SYNC) {
            throw new IllegalArgumentException("delete-extraneous only makes sense with mode sync, not " + mode);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1: " + chunkSize);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        requirePartitions(partitions);
        if (skipLimit < 0) {
            throw new IllegalArgumentException("skip limit must not be negative: " + skipLimit);
        }
        if (minSize != null && maxSize != null && minSize > maxSize) {
            throw new IllegalArgumentException("min size " + minSize + " is above max size " + maxSize);
        }
    }

    /** The most partitions a run may have. */
    public static final int MAX_PARTITIONS = 256;

    /** The parameter that holds a run's partition count, present only above one. */
    static final String PARTITIONS = "partitions";

    /**
     * Refuses a partition count outside 1 to {@link #MAX_PARTITIONS}: the check of every job's
     * parameters that have one.
     */
    static void requirePartitions(int partitions) {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be from 1 to " + MAX_PARTITIONS + ": " + partitions);
        }
    }

    /** A run's partition count as its job parameters hold it: 1 when absent (one listing). */
    static int partitions(JobParameters p) {
        Long partitions = p.getLong(PARTITIONS);
        return partitions == null ? 1 : Math.toIntExact(partitions);
    }

    /** Adds a partition count to job parameters, identifying, when above one (so a count of 1 changes no older run). */
    static JobParametersBuilder addPartitions(JobParametersBuilder b, int partitions) {
        if (partitions > 1) {
            b.addLong(PARTITIONS, (long) partitions);
        }
        return b;
    }

    public static Builder builder(String source, String target) {
        return new Builder(source, target);
    }

    /** Which objects the migration takes. */
    public Selection selection() {
        return new Selection(includes, excludes, minSize, maxSize, minAge, maxAge, storageClasses);
    }

    /** The filter, with ages turned into times relative to when the migration first started. */
    public ObjectFilter filter(Instant referenceTime) {
        return selection().filter(referenceTime);
    }

    @Override
    public String jobName() {
        return MigrateJob.NAME;
    }

    @Override
    public List<String> problems(Preflight preflight) {
        return preflight.migration(source, target, excludes, !dryRun);
    }

    @Override
    public boolean isRunOf(JobParameters p) {
        return source.equals(p.getString("source")) && target.equals(p.getString("target"));
    }

    /** The job parameters of run {@code run} of this migration, started at {@code referenceTime}. */
    public JobParameters toJobParameters(long run, Instant referenceTime) {
        JobParametersBuilder b = new JobParametersBuilder()
                .addString("source", source)
                .addString("target", target)
                .addString("mode", mode.name())
                .addString("delete-extraneous", Boolean.toString(deleteExtraneous))
                .addString("identity-check", identityCheck.name())
                .addString("dry-run", Boolean.toString(dryRun))
                .addLong(JobRunner.RUN, run)
                .addString(JobRunner.REFERENCE_TIME, referenceTime.toString(), false)
                .addLong("chunk-size", (long) chunkSize, false)
                .addLong("concurrency", (long) concurrency, false)
                .addLong("skip-limit", skipLimit, false);
        selection().addTo(b);
        addPartitions(b, partitions);
        partitionBy.addTo(b);
        if (targetStorageClass != null) {
            b.addString("target-storage-class", targetStorageClass.family().name()
                    + (targetStorageClass.vendorName() == null ? "" : ":" + targetStorageClass.vendorName()));
        }
        return b.toJobParameters();
    }

    /** The parameters a job execution was started with. */
    public static MigrateParameters from(JobParameters p) {
        String storageClass = p.getString("target-storage-class");
        StorageClass target = null;
        if (storageClass != null) {
            int colon = storageClass.indexOf(':');
            target = colon < 0 ? StorageClass.of(StorageClass.Family.valueOf(storageClass))
                    : new StorageClass(StorageClass.Family.valueOf(storageClass.substring(0, colon)),
                            storageClass.substring(colon + 1));
        }
        Selection selection = Selection.from(p);
        return new MigrateParameters(p.getString("source"), p.getString("target"),
                MigrationMode.valueOf(p.getString("mode")), Boolean.parseBoolean(p.getString("delete-extraneous")),
                selection.includes(), selection.excludes(), selection.minSize(), selection.maxSize(),
                selection.minAge(), selection.maxAge(), selection.storageClasses(),
                target, IdentityCheck.valueOf(p.getString("identity-check")),
                Boolean.parseBoolean(p.getString("dry-run")), Math.toIntExact(p.getLong("chunk-size")),
                Math.toIntExact(p.getLong("concurrency")), p.getLong("skip-limit"),
                partitions(p), PartitionSplit.from(p));
    }

    public static final class Builder {
        private final String source;
        private final String target;
        private MigrationMode mode = MigrationMode.COPY;
        private boolean deleteExtraneous;
        private List<String> includes = List.of();
        private List<String> excludes = List.of();
        private Long minSize;
        private Long maxSize;
        private Duration minAge;
        private Duration maxAge;
        private Set<StorageClass.Family> storageClasses = Set.of();
        private StorageClass targetStorageClass;
        private IdentityCheck identityCheck = IdentityCheck.CHECKSUM;
        private boolean dryRun;
        private Integer chunkSize;
        private int concurrency = 8;
        private long skipLimit = Long.MAX_VALUE;
        private int partitions = 1;
        private PartitionSplit partitionBy = PartitionSplit.RANGE;

        private Builder(String source, String target) {
            this.source = source;
            this.target = target;
        }

        public Builder mode(MigrationMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder deleteExtraneous(boolean deleteExtraneous) {
            this.deleteExtraneous = deleteExtraneous;
            return this;
        }

        /** Every filter at once: {@link #includes} to {@link #storageClasses}. */
        public Builder selection(Selection selection) {
            return includes(selection.includes()).excludes(selection.excludes()).minSize(selection.minSize())
                    .maxSize(selection.maxSize()).minAge(selection.minAge()).maxAge(selection.maxAge())
                    .storageClasses(selection.storageClasses());
        }

        public Builder includes(List<String> includes) {
            this.includes = includes;
            return this;
        }

        public Builder excludes(List<String> excludes) {
            this.excludes = excludes;
            return this;
        }

        public Builder minSize(Long minSize) {
            this.minSize = minSize;
            return this;
        }

        public Builder maxSize(Long maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        public Builder minAge(Duration minAge) {
            this.minAge = minAge;
            return this;
        }

        public Builder maxAge(Duration maxAge) {
            this.maxAge = maxAge;
            return this;
        }

        public Builder storageClasses(Set<StorageClass.Family> storageClasses) {
            this.storageClasses = storageClasses;
            return this;
        }

        public Builder targetStorageClass(StorageClass targetStorageClass) {
            this.targetStorageClass = targetStorageClass;
            return this;
        }

        public Builder identityCheck(IdentityCheck identityCheck) {
            this.identityCheck = identityCheck;
            return this;
        }

        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** Objects per chunk; default {@link #defaultChunkSize} of the concurrency. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder skipLimit(long skipLimit) {
            this.skipLimit = skipLimit;
            return this;
        }

        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder partitionBy(PartitionSplit partitionBy) {
            this.partitionBy = partitionBy;
            return this;
        }

        public MigrateParameters build() {
            return new MigrateParameters(source, target, mode, deleteExtraneous, includes, excludes, minSize, maxSize,
                    minAge, maxAge, storageClasses, targetStorageClass, identityCheck, dryRun,
                    chunkSize != null ? chunkSize : defaultChunkSize(concurrency), concurrency, skipLimit, partitions,
                    partitionBy);
        }
    }

    /**
     * Objects per chunk when none is given: 16 per object copied at once, from 100 to 1000. A chunk
     * waits for its slowest copy before it commits, so a chunk only a few times the concurrency
     * leaves the pool idle at every commit; a larger one redoes more after a crash.
     */
    public static int defaultChunkSize(int concurrency) {
        return (int) Math.max(100, Math.min(1000, 16L * concurrency));
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase(Locale.ROOT) + " " + source + " -> " + target + (dryRun ? " (dry run)" : "")
                + (includes.isEmpty() ? "" : " include " + new TreeSet<>(includes))
                + (excludes.isEmpty() ? "" : " exclude " + new TreeSet<>(excludes))
                + (partitions > 1 ? " in " + partitions + " partitions" : "");
    }
}
