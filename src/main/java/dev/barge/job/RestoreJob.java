package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.IdentityCheck;
import dev.barge.batch.ListingProgress;
import dev.barge.batch.MigrationMode;
import dev.barge.batch.ObjectActionWriter;
import dev.barge.batch.ObjectFilter;
import dev.barge.batch.Outcome;
import dev.barge.storage.ListRequest;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.RestoreRequest;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.stereotype.Component;

/**
 * The {@code restore} job, in up to three steps:
 * <ol>
 *   <li>{@value #REQUEST}: each archived object under the location that the selection takes is asked
 *       to be made readable ({@link ObjectStore#restore}); one already readable, or already being
 *       restored, is counted and not asked again, and one that needs no restore is counted too.</li>
 *   <li>{@value #WAIT} (with {@code --wait}): looks every poll interval until no object is still
 *       being restored, or fails once the timeout has passed since waiting first began. A rerun after
 *       a stop or a crash comes back here without asking again, since the first step completed.</li>
 *   <li>{@value #COPY} (with {@code --then-copy-to}): the {@code migrate} step from the location to the
 *       target, its copies in the class asked for: cold data on one vendor to cold data on another.</li>
 * </ol>
 * With {@code --partitions N} the requests and the copy each run in N key ranges, here or on the
 * cluster's workers ({@link PartitionedJob}); the wait looks at the whole location.
 */
@Component
public final class RestoreJob implements PartitionedJob {
    public static final String NAME = "restore";
    static final String REQUEST = "request";
    static final String WAIT = "wait";
    static final String COPY = "copy";

    private static final Logger log = LoggerFactory.getLogger(RestoreJob.class);

    private final JobSupport support;
    private final StoreRegistry stores;
    private final JobRecords records;
    private final MigrateJob migrate;

    public RestoreJob(JobSupport support, MigrateJob migrate) {
        this.support = requireNonNull(support, "support is null");
        this.stores = support.stores();
        this.records = support.records();
        this.migrate = requireNonNull(migrate, "migrate is null");
    }

    /**
     * Runs the restore to its end, or until {@code stop} is requested, counting what the first step's
     * listing has listed in {@code listed}.
     *
     * @throws JobRunner.AlreadyRunning when the same restore runs in a live process
     */
    public JobExecution run(RestoreParameters parameters, StopRequest stop, ListingProgress listed) throws Exception {
        requireNonNull(stop, "stop is null");
        requireNonNull(listed, "listed is null");
        return support.run(NAME, parameters::toJobParameters, p -> job(p, stop, listed));
    }

    /** Runs the restore to its end. */
    public JobExecution run(RestoreParameters parameters) throws Exception {
        return support.run(NAME, parameters::toJobParameters, p -> job(p, null, null));
    }

    private Job job(JobParameters jobParameters, StopRequest stop, ListingProgress listed) {
        RestoreParameters p = RestoreParameters.from(jobParameters);
        Instant referenceTime = Instant.parse(jobParameters.getString(JobRunner.REFERENCE_TIME));
        Location where = Location.parse(p.location());
        ObjectStore store = stores.store(where);
        String prefix = MigrateJob.directory(where.path());
        ListingProgress progress = listed != null ? listed : new ListingProgress();
        JobSupport.WorkStep request = support.workStep(REQUEST, p.partitions(), requestWork(jobParameters, progress),
                progress);
        List<ExecutorService> pools = new ArrayList<>(request.pools());
        List<Step> then = new ArrayList<>();
        if (p.waitFor() && !p.dryRun()) {
            ExecutorService stats = Executors.newFixedThreadPool(p.concurrency(), MigrateJob.threads("barge-restore"));
            pools.add(stats);
            then.add(support.step(WAIT)
                    .tasklet(new AwaitRestores(store, where.bucket(), prefix, p.selection().filter(referenceTime),
                            p.poll(), p.timeout(), stats), support.transactionManager())
                    .build());
        }
        if (p.thenCopyTo() != null) {
            MigrateParameters copy = copyParameters(p);
            new LocationOverlap(stores).check(copy.source(), copy.target(), copy.excludes());
            JobSupport.WorkStep step = migrate.step(COPY, copy, referenceTime, null);
            pools.addAll(step.pools());
            then.add(step.step());
        }
        SimpleJobBuilder job = support.job(NAME, p, pools, Set.of(), stop).start(request.step());
        then.forEach(job::next);
        return job.build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> workSteps() {
        return Set.of(REQUEST, COPY);
    }

    @Override
    public JobSupport.RangeWork rangeWork(JobParameters jobParameters) {
        return rangeWork(REQUEST, jobParameters);
    }

    @Override
    public JobSupport.RangeWork rangeWork(String workStep, JobParameters jobParameters) {
        if (COPY.equals(workStep)) {
            return migrate.rangeWork(copyParameters(RestoreParameters.from(jobParameters)),
                    Instant.parse(jobParameters.getString(JobRunner.REFERENCE_TIME)));
        }
        if (!REQUEST.equals(workStep)) {
            throw new IllegalArgumentException("a restore works in key ranges in steps " + workSteps() + ", not "
                    + workStep);
        }
        return requestWork(jobParameters, null);
    }

    /** The restore requests of one key range at a time, as an execution's parameters say. */
    private JobSupport.RangeWork requestWork(JobParameters jobParameters, ListingProgress listed) {
        RestoreParameters p = RestoreParameters.from(jobParameters);
        Instant referenceTime = Instant.parse(jobParameters.getString(JobRunner.REFERENCE_TIME));
        Location where = Location.parse(p.location());
        ObjectStore store = stores.store(where);
        String prefix = MigrateJob.directory(where.path());
        ExecutorService actions = Executors.newFixedThreadPool(p.concurrency(), MigrateJob.threads("barge-restore"));
        return support.listingWork(where, store, prefix, p.partitions(), p.partitionBy(), p.chunkSize(), listed,
                () -> new ObjectActionWriter(prefix, p.selection().filter(referenceTime),
                        new RequestRestore(store, where.bucket(), p.request()), p.dryRun(), actions, records,
                        p.skipLimit()),
                List.of(actions));
    }

    /** The copy {@code --then-copy-to} makes once the objects are restored: a migration, in the restore's ranges. */
    private static MigrateParameters copyParameters(RestoreParameters p) {
        return MigrateParameters.builder(p.location(), p.thenCopyTo())
                .mode(MigrationMode.COPY)
                .selection(p.selection())
                .targetStorageClass(p.thenStorageClass() == null ? null : StorageClass.of(p.thenStorageClass()))
                .identityCheck(IdentityCheck.CHECKSUM)
                .dryRun(p.dryRun())
                .chunkSize(p.chunkSize())
                .concurrency(p.concurrency())
                .skipLimit(p.skipLimit())
                .partitions(p.partitions())
                .partitionBy(p.partitionBy())
                .build();
    }

    /** Where an object stands, asked of the store: the listing carries no restore state. */
    private static RestoreStatus status(ObjectStore store, String bucket, String key) {
        return store.stat(bucket, key).restore();
    }

    private static boolean archived(ObjectInfo object) {
        return object.storageClass().family().requiresRestore();
    }

    /** Asks for one object's restore, unless it needs none or has one already. */
    private record RequestRestore(ObjectStore store, String bucket, RestoreRequest request)
            implements ObjectActionWriter.ObjectAction {
        @Override
        public Outcome apply(ObjectInfo object) {
            Outcome state = wouldDo(object);
            if (state == Outcome.RESTORE_REQUESTED) {
                store.restore(bucket, object.key(), request);
            }
            return state;
        }

        @Override
        public Outcome wouldDo(ObjectInfo object) {
            if (!archived(object)) {
                return Outcome.NOT_ARCHIVED;
            }
            return switch (status(store, bucket, object.key()).state()) {
                case RESTORED -> Outcome.RESTORED;
                case IN_PROGRESS -> Outcome.RESTORE_IN_PROGRESS;
                case NONE -> Outcome.RESTORE_REQUESTED;
            };
        }
    }

    /** Every requested restore has ended: none is left in progress after the timeout, when it fails. */
    static final class RestoreTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RestoreTimeout(long pending, Duration timeout) {
            super(pending + (pending == 1 ? " object is" : " objects are") + " still being restored after "
                    + timeout + " of waiting; run the same command again to keep waiting (no restore is asked again),"
                    + " or give a longer --timeout");
        }
    }

    /**
     * The wait: one look per execution of the tasklet (a stop is honoured between two looks), each
     * look a listing of the location and a stat of each archived object the selection takes.
     */
    private static final class AwaitRestores implements StoppableTasklet {
        private static final String STARTED = "wait.started";

        private final ObjectStore store;
        private final String bucket;
        private final String prefix;
        private final ObjectFilter filter;
        private final Duration poll;
        private final Duration timeout;
        private final ExecutorService stats;
        private final CountDownLatch stopped = new CountDownLatch(1);

        AwaitRestores(ObjectStore store, String bucket, String prefix, ObjectFilter filter, Duration poll,
                Duration timeout, ExecutorService stats) {
            this.store = store;
            this.bucket = bucket;
            this.prefix = prefix;
            this.filter = filter;
            this.poll = poll;
            this.timeout = timeout;
            this.stats = stats;
        }

        @Override
        public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
            ExecutionContext context = chunkContext.getStepContext().getStepExecution().getExecutionContext();
            if (!context.containsKey(STARTED)) {
                // kept across restarts: the timeout counts from the first look of the first run
                context.putString(STARTED, Instant.now().toString());
            }
            long pending = pending();
            if (pending == 0) {
                log.info("every requested restore under {}/{} has finished", bucket, prefix);
                return RepeatStatus.FINISHED;
            }
            Instant started = Instant.parse(context.getString(STARTED));
            if (Instant.now().isAfter(started.plus(timeout))) {
                throw new RestoreTimeout(pending, timeout);
            }
            log.info("{} objects under {}/{} are still being restored; looking again in {}", pending, bucket, prefix,
                    poll);
            stopped.await(poll.toMillis(), TimeUnit.MILLISECONDS);
            return RepeatStatus.CONTINUABLE;
        }

        @Override
        public void stop() {
            stopped.countDown();
        }

        private long pending() {
            long[] pending = {0};
            store.listAll(ListRequest.of(bucket, prefix), page -> {
                List<CompletableFuture<Boolean>> looks = new ArrayList<>();
                for (ObjectInfo object : page.objects()) {
                    if (filter.accepts(object.key().substring(prefix.length()), object)) {
                        looks.add(CompletableFuture.supplyAsync(() -> inProgress(object), stats));
                    }
                }
                for (CompletableFuture<Boolean> look : looks) {
                    if (look.join()) {
                        pending[0]++;
                    }
                }
            });
            return pending[0];
        }

        private boolean inProgress(ObjectInfo object) {
            try {
                return archived(object)
                        && status(store, bucket, object.key()).state() == RestoreStatus.State.IN_PROGRESS;
            } catch (StorageException e) {
                if (e.kind() == dev.barge.storage.ErrorKind.NOT_FOUND) {
                    return false; // gone since the listing: nothing to wait for
                }
                throw e;
            }
        }
    }
}
