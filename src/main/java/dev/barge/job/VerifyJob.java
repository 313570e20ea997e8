package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.KeyRange;
import dev.barge.batch.KeyRangePartitioner;
import dev.barge.batch.ListingMergeItemReader;
import dev.barge.batch.ListingProgress;
import dev.barge.batch.ObjectListingItemReaderBuilder;
import dev.barge.batch.ObjectPair;
import dev.barge.batch.Outcome;
import dev.barge.batch.VerifyItemWriter;
import dev.barge.batch.VerifyPlanner;
import dev.barge.batch.WorkAheadItemReader;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StoreRegistry;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.Step;
import org.springframework.stereotype.Component;

/**
 * The {@code verify} job, like {@code rclone check}: walks the source and target listings side by
 * side ({@link ListingMergeItemReader}), decides per key whether it is missing on a side, different or
 * matched ({@link VerifyPlanner}, by the rule migrate skips identical objects by), and hashes the
 * content of both sides where asked to and no checksum can decide ({@link VerifyItemWriter}), the next
 * chunk's downloads started while the current one commits ({@link WorkAheadItemReader}). It is
 * built from the blocks {@code migrate} uses, and a run is continued by running it again.
 *
 * <p>It only reads. Each missing or different key is recorded with what differs beside the failures
 * ({@link JobRecords#failures}, {@link JobRecords.Failure#isFinding}); totals count
 * {@link Outcome#MATCHED}, {@link Outcome#MISSING_AT_TARGET}, {@link Outcome#MISSING_AT_SOURCE},
 * {@link Outcome#DIFFERENT}, {@link Outcome#SKIPPED_FILTERED} and {@link Outcome#FAILED} (unreadable).
 * A completed run that skipped unreadable objects ends with exit code {@value #COMPLETED_WITH_SKIPS}
 * (the comparison is incomplete; a rerun retries them), whatever else it found; one that found any
 * difference and skipped nothing with {@value #DIFFERENCES_FOUND}; one where both sides match with
 * {@code COMPLETED}.
 */
@Component
public final class VerifyJob implements PartitionedJob {
    public static final String NAME = "verify";
    public static final String DIFFERENCES_FOUND = JobTotals.DIFFERENCES_FOUND;
    public static final String COMPLETED_WITH_SKIPS = JobTotals.COMPLETED_WITH_SKIPS;

    private final JobSupport support;
    private final StoreRegistry stores;
    private final JobRecords records;

    public VerifyJob(JobSupport support) {
        this.support = requireNonNull(support, "support is null");
        this.stores = support.stores();
        this.records = support.records();
    }

    /**
     * Runs the verification to its end, or until {@code stop} is requested (then it stops after the
     * chunk in flight), counting what the source listing has listed in {@code listed}.
     *
     * @throws JobRunner.AlreadyRunning when the same verification runs in a live process
     * @throws LocationOverlap.Refused when source and target are one location
     */
    public JobExecution run(VerifyParameters parameters, StopRequest stop, ListingProgress listed) throws Exception {
        requireNonNull(stop, "stop is null");
        requireNonNull(listed, "listed is null");
        return support.run(NAME, parameters::toJobParameters, p -> job(p, stop, listed));
    }

    /** Runs the verification to its end. */
    public JobExecution run(VerifyParameters parameters) throws Exception {
        return support.run(NAME, parameters::toJobParameters, p -> job(p, null, null));
    }

    private Job job(JobParameters jobParameters, StopRequest stop, ListingProgress listed) {
        VerifyParameters p = VerifyParameters.from(jobParameters);
        JobSupport.WorkStep verify = support.workStep(NAME, p.partitions(), rangeWork(jobParameters, listed), listed);
        Set<Outcome> differences = EnumSet.of(Outcome.MISSING_AT_TARGET, Outcome.MISSING_AT_SOURCE, Outcome.DIFFERENT);
        return support.job(NAME, p, verify.pools(), differences, stop).start(verify.step()).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobSupport.RangeWork rangeWork(JobParameters jobParameters) {
        return rangeWork(jobParameters, null);
    }

    /** The verification of one key range at a time, as an execution's parameters say. */
    private JobSupport.RangeWork rangeWork(JobParameters jobParameters, ListingProgress listed) {
        VerifyParameters p = VerifyParameters.from(jobParameters);
        Instant referenceTime = Instant.parse(jobParameters.getString(JobRunner.REFERENCE_TIME));
        Location from = Location.parse(p.source());
        Location to = Location.parse(p.target());
        LocationOverlap.Overlap overlap = new LocationOverlap(stores).compare(from, to);
        if (overlap.relation() == LocationOverlap.Relation.SAME) {
            throw new LocationOverlap.Refused("source '" + p.source() + "' and target '" + p.target() + "' are the same"
                    + " location (" + overlap.place() + "): verifying it against itself compares nothing; choose"
                    + " the copy to compare it with");
        }
        ObjectStore source = stores.store(from);
        ObjectStore target = stores.store(to);
        String sourcePrefix = MigrateJob.directory(from.path());
        String targetPrefix = MigrateJob.directory(to.path());

        ExecutorService downloads = Executors.newFixedThreadPool(p.concurrency(), MigrateJob.threads("barge-verify"));
        // one request ahead on each listing, source and target at once, in every partition
        ExecutorService listings = Executors.newFixedThreadPool(2 * p.partitions(), MigrateJob.threads("barge-list"));
        VerifyPlanner planner = new VerifyPlanner(p.selection().filter(referenceTime), p.identityCheck(), p.download(),
                from.bucket(), sourcePrefix, target, to.bucket(), targetPrefix);
        BiFunction<String, KeyRange, Step> verifyIn = (stepName, range) -> {
            ListingMergeItemReader reader = new ListingMergeItemReader(
                    new ObjectListingItemReaderBuilder().name("source").store(source).remote(from.remote())
                            .bucket(from.bucket()).prefix(sourcePrefix).range(range).progress(listed)
                            .readAhead(listings).build(),
                    sourcePrefix,
                    new ObjectListingItemReaderBuilder().name("target").store(target).remote(to.remote())
                            .bucket(to.bucket()).prefix(targetPrefix).range(range).readAhead(listings).build(),
                    targetPrefix);
            VerifyItemWriter writer = new VerifyItemWriter(downloads, source, from.bucket(), target, to.bucket(),
                    records, p.skipLimit(), 3);
            // the next chunk's keys are decided and their downloads started while this one commits
            WorkAheadItemReader<ObjectPair, ListingMergeItemReader.Mark, VerifyItemWriter.Started> ahead =
                    new WorkAheadItemReader<>(reader, pair -> writer.start(planner.process(pair)), writer::abandon,
                            p.chunkSize());
            return support.<VerifyItemWriter.Started, VerifyItemWriter.Started>chunkStep(stepName, p.chunkSize())
                    .reader(ahead)
                    .writer(writer)
                    .listener(writer)
                    .build();
        };
        return new JobSupport.RangeWork(verifyIn,
                new KeyRangePartitioner(p.partitionBy().sampler(source, from.bucket(), sourcePrefix)), List.of(downloads, listings));
    }
}
