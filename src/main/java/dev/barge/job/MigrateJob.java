package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.KeyListItemReader;
import dev.barge.batch.KeyRange;
import dev.barge.batch.KeyRangePartitioner;
import dev.barge.batch.ListingMergeItemReader;
import dev.barge.batch.ListingProgress;
import dev.barge.batch.MarkingItemReader;
import dev.barge.batch.MigrationItemWriter;
import dev.barge.batch.MigrationItemWriterBuilder;
import dev.barge.batch.MigrationMode;
import dev.barge.batch.MigrationPlanner;
import dev.barge.batch.ObjectListingItemReaderBuilder;
import dev.barge.batch.ObjectPair;
import dev.barge.batch.WorkAheadItemReader;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StoreRegistry;
import dev.barge.transfer.ObjectTransfer;
import dev.barge.transfer.TransferSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.Step;
import org.springframework.stereotype.Component;

/**
 * The {@code migrate} job: one chunk-oriented step that walks the source and target listings side
 * by side ({@link ListingMergeItemReader}), decides per key ({@link MigrationPlanner}) and copies,
 * skips or deletes concurrently ({@link MigrationItemWriter}). Objects are planned and their work
 * started up to a chunk ahead of the chunk being written ({@link WorkAheadItemReader}), so two
 * chunks are in flight at most. With {@link MigrateParameters#partitions()} above one the step is
 * partitioned: the source's keyspace is sampled and split into key ranges
 * ({@link KeyRangePartitioner}), and each range is such a step of its own, listed and copied in
 * parallel with the others and restarted on its own. A run that ends with objects
 * skipped for failures completes with exit code {@value #COMPLETED_WITH_SKIPS}.
 */
@Component
public final class MigrateJob implements PartitionedJob {
    public static final String NAME = "migrate";
    public static final String COMPLETED_WITH_SKIPS = JobTotals.COMPLETED_WITH_SKIPS;
    /** The job parameter of a retry: the execution whose failed objects it copies again. */
    public static final String RETRY_OF = "retry-of";

    private final JobSupport support;
    private final StoreRegistry stores;
    private final JobRecords records;
    private final TransferSettings transferSettings;

    public MigrateJob(JobSupport support, TransferSettings transferSettings) {
        this.support = requireNonNull(support, "support is null");
        this.stores = support.stores();
        this.records = support.records();
        this.transferSettings = requireNonNull(transferSettings, "transferSettings is null");
    }

    /**
     * Runs the migration to its end: a new run, or the continuation of an unfinished one.
     *
     * @throws JobRunner.AlreadyRunning when the same migration runs in a live process
     */
    public JobExecution run(MigrateParameters parameters) throws Exception {
        return support.run(NAME, parameters::toJobParameters, this::job);
    }

    /**
     * Runs the migration to its end, or until {@code stop} is requested: then it stops after the
     * chunk in flight (before the first one when the request came before it started).
     *
     * @throws JobRunner.AlreadyRunning when the same migration runs in a live process
     */
    public JobExecution run(MigrateParameters parameters, StopRequest stop) throws Exception {
        return run(parameters, stop, new ListingProgress());
    }

    /**
     * {@link #run(MigrateParameters, StopRequest)}, counting what the source listing has listed in
     * {@code listed}: a progress display's total, without a second listing.
     */
    public JobExecution run(MigrateParameters parameters, StopRequest stop, ListingProgress listed) throws Exception {
        requireNonNull(stop, "stop is null");
        requireNonNull(listed, "listed is null");
        return support.run(NAME, parameters::toJobParameters, p -> job(p, stop, listed));
    }

    /** The job for one execution's parameters. */
    Job job(JobParameters jobParameters) {
        return job(jobParameters, null, null);
    }

    private Job job(JobParameters jobParameters, StopRequest stop, ListingProgress listed) {
        MigrateParameters p = MigrateParameters.from(jobParameters);
        Instant referenceTime = Instant.parse(jobParameters.getString(JobRunner.REFERENCE_TIME));
        JobSupport.WorkStep copy = step(NAME, p, referenceTime, listed);
        JobBuilder job = support.job(NAME, p, copy.pools(), Set.of(), stop);
        return job.start(copy.step()).build();
    }

    /**
     * The step that migrates as {@code p} says, named {@code name}, and the pools it runs on (to be
     * shut down when its job ends); for jobs that copy as one of their steps too:
     * {@code restore --then-copy-to}.
     *
     * @param referenceTime when the job first started: ages in the filter are relative to it
     * @param listed counts what the source listing has listed, or {@code null}
     */
    JobSupport.WorkStep step(String name, MigrateParameters p, Instant referenceTime, ListingProgress listed) {
        return step(name, p, referenceTime, listed, null);
    }

    /** {@link #step}, over {@code keys} looked up one by one instead of the two listings when not {@code null}. */
    private JobSupport.WorkStep step(String name, MigrateParameters p, Instant referenceTime, ListingProgress listed,
            List<KeyListItemReader.Key> keys) {
        JobSupport.RangeWork work = rangeWork(p, referenceTime, listed, keys);
        return support.workStep(name, keys == null ? p.partitions() : 1, work, listed);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobSupport.RangeWork rangeWork(JobParameters jobParameters) {
        return rangeWork(MigrateParameters.from(jobParameters),
                Instant.parse(jobParameters.getString(JobRunner.REFERENCE_TIME)));
    }

    /** The migration {@code p}, started at {@code referenceTime}, one key range at a time: also restore's copy step. */
    JobSupport.RangeWork rangeWork(MigrateParameters p, Instant referenceTime) {
        return rangeWork(p, referenceTime, null, null);
    }

    /**
     * The migration {@code p} of one key range at a time: its source and target listed from the
     * range's start to its end, or {@code keys} looked up one by one when not {@code null}.
     */
    private JobSupport.RangeWork rangeWork(MigrateParameters p, Instant referenceTime, ListingProgress listed,
            List<KeyListItemReader.Key> keys) {
        Location from = Location.parse(p.source());
        Location to = Location.parse(p.target());
        requireBucket(from, "source");
        requireBucket(to, "target");
        new LocationOverlap(stores).check(p.source(), p.target(), p.excludes());
        ObjectStore source = stores.store(from);
        ObjectStore target = stores.store(to);
        String sourcePrefix = directory(from.path());
        String targetPrefix = directory(to.path());

        ExecutorService objects = Executors.newFixedThreadPool(p.concurrency(), threads("barge-copy"));
        ExecutorService parts = Executors.newFixedThreadPool(p.concurrency() * transferSettings.partsInFlight(),
                threads("barge-part"));
        boolean partitioned = keys == null && p.partitions() > 1;
        // one request ahead on each listing, source and target at once, in every partition
        ExecutorService listings = Executors.newFixedThreadPool(2 * (partitioned ? p.partitions() : 1),
                threads("barge-list"));
        // a move asks each source again just before deleting it; those stats must not queue behind copies
        ExecutorService checks = p.mode() == MigrationMode.MOVE && !p.dryRun()
                ? Executors.newFixedThreadPool(p.concurrency(), threads("barge-check")) : null;
        ObjectTransfer transfer = new ObjectTransfer(transferSettings, parts);
        MigrationPlanner planner = new MigrationPlanner(p.filter(referenceTime), p.identityCheck(),
                p.deleteExtraneous(), target, to.bucket(), targetPrefix);
        BiFunction<String, KeyRange, Step> copyOf = (stepName, range) -> {
            MigrationItemWriter writer = new MigrationItemWriterBuilder()
                    .transfer(transfer)
                    .executor(objects)
                    .checkExecutor(checks)
                    .source(source, from.bucket(), sourcePrefix)
                    .target(target, to.bucket(), targetPrefix)
                    .sameStore(stores.sameStore(from.remote(), to.remote()))
                    .targetStorageClass(p.targetStorageClass())
                    .mode(p.mode())
                    .identityCheck(p.identityCheck())
                    .dryRun(p.dryRun())
                    .records(records)
                    .skipLimit(p.skipLimit())
                    .build();
            MarkingItemReader<ObjectPair, ?> reader = keys != null
                    ? new KeyListItemReader(keys, source, from.bucket(), sourcePrefix, target, to.bucket(),
                            targetPrefix, listed)
                    : new ListingMergeItemReader(
                            new ObjectListingItemReaderBuilder().name("source").store(source).remote(from.remote())
                                    .bucket(from.bucket()).prefix(sourcePrefix).range(range).progress(listed)
                                    .readAhead(listings).build(),
                            sourcePrefix,
                            new ObjectListingItemReaderBuilder().name("target").store(target).remote(to.remote())
                                    .bucket(to.bucket()).prefix(targetPrefix).range(range).readAhead(listings)
                                    .build(),
                            targetPrefix);
            // the next chunk's objects are planned and started while this one finishes and commits
            WorkAheadItemReader<ObjectPair, ?, MigrationItemWriter.Started> ahead =
                    workAhead(reader, pair -> writer.start(planner.process(pair)), writer, p.chunkSize());
            return support.<MigrationItemWriter.Started, MigrationItemWriter.Started>chunkStep(stepName,
                            p.chunkSize())
                    .reader(ahead)
                    .writer(writer)
                    .listener(writer)
                    .build();
        };
        List<ExecutorService> pools = new ArrayList<>(List.of(objects, parts, listings));
        if (checks != null) {
            pools.add(checks);
        }
        return new JobSupport.RangeWork(copyOf,
                new KeyRangePartitioner(p.partitionBy().sampler(source, from.bucket(), sourcePrefix)), pools);
    }

    private static <M> WorkAheadItemReader<ObjectPair, M, MigrationItemWriter.Started> workAhead(
            MarkingItemReader<ObjectPair, M> reader,
            java.util.function.Function<ObjectPair, MigrationItemWriter.Started> start, MigrationItemWriter writer,
            int chunkSize) {
        return new WorkAheadItemReader<>(reader, start, writer::abandon, chunkSize);
    }

    /**
     * Runs a new execution of the migration {@code p} over exactly the objects execution
     * {@code failedExecutionId} of it (and the executions of its run before it) recorded as failed, looked up one by one with no listing, the
     * ages of its filter relative to {@code referenceTime} (the failed run's). The same retry run again
     * continues it.
     *
     * @throws JobRunner.AlreadyRunning when the same retry runs in a live process
     */
    public JobExecution retryFailed(MigrateParameters p, long failedExecutionId, Instant referenceTime,
            StopRequest stop, ListingProgress listed) throws Exception {
        requireNonNull(stop, "stop is null");
        requireNonNull(listed, "listed is null");
        String sourcePrefix = directory(Location.parse(p.source()).path());
        String targetPrefix = directory(Location.parse(p.target()).path());
        java.util.TreeMap<String, KeyListItemReader.Key> keys = new java.util.TreeMap<>();
        List<JobRecords.Failure> failures = new java.util.ArrayList<>();
        // the run's earlier executions too: a resumed run does not redo their chunks, nor their failures
        long instance = support.repository().getJobExecution(failedExecutionId).getJobInstanceId();
        for (long execution : records.executionsWithFailures(instance)) {
            if (execution <= failedExecutionId) {
                failures.addAll(records.failures(execution));
            }
        }
        for (JobRecords.Failure failure : failures) {
            String full = failure.key();
            String relative = full.startsWith(sourcePrefix) ? full.substring(sourcePrefix.length())
                    : full.startsWith(targetPrefix) ? full.substring(targetPrefix.length()) : null;
            if (relative != null && !relative.isEmpty() && !failure.isFinding()) {
                keys.putIfAbsent(relative, new KeyListItemReader.Key(relative, failure.size()));
            }
        }
        List<KeyListItemReader.Key> retried = List.copyOf(keys.values());
        return support.run(NAME, (run, now) -> new JobParametersBuilder(p.toJobParameters(run, referenceTime))
                .addLong(RETRY_OF, failedExecutionId).toJobParameters(), jobParameters -> {
                    JobSupport.WorkStep copy = step(NAME, p, referenceTime, listed, retried);
                    return support.job(NAME, "retry of the " + retried.size() + " failed objects of execution "
                            + failedExecutionId + ": " + p, copy.pools(), Set.of(), stop).start(copy.step()).build();
                });
    }

    /** A location's path as a key prefix: a directory, so "photos" does not take "photos2/". */
    public static String directory(String path) {
        return path.isEmpty() || path.endsWith("/") ? path : path + "/";
    }

    private static void requireBucket(Location location, String role) {
        if (!location.hasBucket()) {
            throw new IllegalArgumentException("the " + role + " '" + location + "' names no bucket; use remote:bucket/prefix");
        }
    }

    /** Daemon threads named {@code name-1}, {@code name-2}...: a job's pools never keep the JVM alive. */
    static java.util.concurrent.ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
