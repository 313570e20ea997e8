package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ListingProgress;
import dev.barge.batch.ObjectActionWriter;
import dev.barge.batch.Outcome;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StoreRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.stereotype.Component;

/**
 * The {@code archive} job, in place: each object under a location that the selection takes gets a
 * storage class, the way its store does it ({@link ObjectStore#setStorageClass}: S3 copies the
 * object onto itself, OSS copies with {@code x-oss-storage-class}, Kodo sends {@code chtype}, the
 * local driver rewrites its metadata). Objects already in the class are counted and left alone. A
 * listing, a filter and an action ({@link ObjectActionWriter}); a run is continued by running it again.
 */
@Component
public final class ArchiveJob implements PartitionedJob {
    public static final String NAME = "archive";

    private final JobSupport support;
    private final StoreRegistry stores;
    private final JobRecords records;

    public ArchiveJob(JobSupport support) {
        this.support = requireNonNull(support, "support is null");
        this.stores = support.stores();
        this.records = support.records();
    }

    /**
     * Runs the archive to its end, or until {@code stop} is requested (then it stops after the chunk
     * in flight), counting what the listing has listed in {@code listed}.
     *
     * @throws JobRunner.AlreadyRunning when the same archive runs in a live process
     */
    public JobExecution run(ArchiveParameters parameters, StopRequest stop, ListingProgress listed) throws Exception {
        requireNonNull(stop, "stop is null");
        requireNonNull(listed, "listed is null");
        return support.run(NAME, parameters::toJobParameters, p -> job(p, stop, listed));
    }

    /** Runs the archive to its end. */
    public JobExecution run(ArchiveParameters parameters) throws Exception {
        return support.run(NAME, parameters::toJobParameters, p -> job(p, null, null));
    }

    private Job job(JobParameters jobParameters, StopRequest stop, ListingProgress listed) {
        ArchiveParameters p = ArchiveParameters.from(jobParameters);
        ListingProgress progress = listed != null ? listed : new ListingProgress();
        JobSupport.WorkStep archive = support.workStep(NAME, p.partitions(), rangeWork(jobParameters, progress),
                progress);
        return support.job(NAME, p, archive.pools(), Set.of(), stop).start(archive.step()).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobSupport.RangeWork rangeWork(JobParameters jobParameters) {
        return rangeWork(jobParameters, null);
    }

    /** The archive of one key range at a time, as an execution's parameters say. */
    private JobSupport.RangeWork rangeWork(JobParameters jobParameters, ListingProgress listed) {
        ArchiveParameters p = ArchiveParameters.from(jobParameters);
        Instant referenceTime = Instant.parse(jobParameters.getString(JobRunner.REFERENCE_TIME));
        Location where = Location.parse(p.location());
        ObjectStore store = stores.store(where);
        String prefix = MigrateJob.directory(where.path());
        ExecutorService actions = Executors.newFixedThreadPool(p.concurrency(), MigrateJob.threads("barge-archive"));
        return support.listingWork(where, store, prefix, p.partitions(), p.partitionBy(), p.chunkSize(),
                listed != null ? listed : new ListingProgress(),
                () -> new ObjectActionWriter(prefix, p.selection().filter(referenceTime),
                        new ChangeClass(store, where.bucket(), p.storageClass()), p.dryRun(), actions, records,
                        p.skipLimit()),
                List.of(actions));
    }

    /** Gives an object the class, unless its listing shows it has it. */
    private record ChangeClass(ObjectStore store, String bucket, StorageClass.Family family)
            implements ObjectActionWriter.ObjectAction {
        @Override
        public Outcome apply(ObjectInfo object) {
            if (inClass(object)) {
                return Outcome.ALREADY_IN_CLASS;
            }
            store.setStorageClass(bucket, object.key(), StorageClass.of(family));
            return Outcome.ARCHIVED;
        }

        @Override
        public Outcome wouldDo(ObjectInfo object) {
            return inClass(object) ? Outcome.ALREADY_IN_CLASS : Outcome.ARCHIVED;
        }

        private boolean inClass(ObjectInfo object) {
            return object.storageClass().family() == family;
        }
    }
}
