package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.DeleteItemWriter;
import dev.barge.batch.ListingProgress;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StoreRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.stereotype.Component;

/**
 * The {@code delete} job: deletes the objects under a prefix that a selection takes, chunk by chunk
 * with the store's batch delete ({@link DeleteItemWriter}), from one listing of the prefix. It is
 * built from the blocks {@code migrate} uses: the listing reader (read ahead, restartable by key),
 * the filter, the totals and the failure table; a run is continued by running it again.
 */
@Component
public final class DeleteJob implements PartitionedJob {
    public static final String NAME = "delete";

    private final JobSupport support;
    private final StoreRegistry stores;
    private final JobRecords records;

    public DeleteJob(JobSupport support) {
        this.support = requireNonNull(support, "support is null");
        this.stores = support.stores();
        this.records = support.records();
    }

    /**
     * Runs the delete to its end, or until {@code stop} is requested (then it stops after the chunk
     * in flight), counting what the listing has listed in {@code listed}.
     *
     * @throws JobRunner.AlreadyRunning when the same delete runs in a live process
     */
    public JobExecution run(DeleteParameters parameters, StopRequest stop, ListingProgress listed) throws Exception {
        requireNonNull(stop, "stop is null");
        requireNonNull(listed, "listed is null");
        return support.run(NAME, parameters::toJobParameters, p -> job(p, stop, listed));
    }

    /** Runs the delete to its end. */
    public JobExecution run(DeleteParameters parameters) throws Exception {
        return support.run(NAME, parameters::toJobParameters, p -> job(p, null, null));
    }

    private Job job(JobParameters jobParameters, StopRequest stop, ListingProgress listed) {
        DeleteParameters p = DeleteParameters.from(jobParameters);
        JobSupport.WorkStep delete = support.workStep(NAME, p.partitions(), rangeWork(jobParameters, listed), listed);
        return support.job(NAME, p, delete.pools(), Set.of(), stop).start(delete.step()).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobSupport.RangeWork rangeWork(JobParameters jobParameters) {
        return rangeWork(jobParameters, null);
    }

    /** The delete of one key range at a time, as an execution's parameters say. */
    private JobSupport.RangeWork rangeWork(JobParameters jobParameters, ListingProgress listed) {
        DeleteParameters p = DeleteParameters.from(jobParameters);
        Instant referenceTime = Instant.parse(jobParameters.getString(JobRunner.REFERENCE_TIME));
        Location where = Location.parse(p.location());
        ObjectStore store = stores.store(where);
        String prefix = MigrateJob.directory(where.path());
        return support.listingWork(where, store, prefix, p.partitions(), p.partitionBy(), p.chunkSize(), listed,
                () -> new DeleteItemWriter(store, where.bucket(), prefix, p.selection().filter(referenceTime),
                        p.dryRun(), records, p.skipLimit()),
                List.of());
    }
}
