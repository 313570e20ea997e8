package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.KeyRange;
import dev.barge.batch.KeyRangePartitioner;
import dev.barge.batch.ListingProgress;
import dev.barge.batch.ObjectListingItemReaderBuilder;
import dev.barge.batch.Outcome;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StoreRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobExecutionException;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.partition.support.SimpleStepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.ChunkOrientedStepBuilder;
import org.springframework.batch.core.step.builder.PartitionStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What every job is built and run with: the repository and its transactions, the stores, Barge's
 * records, the owner of executions and the runner that starts or continues them. A job is then its
 * reader, its decision and its action; the wiring around them is here, once.
 */
@Component
public final class JobSupport {
    private final JobRepository repository;
    private final PlatformTransactionManager transactionManager;
    private final StoreRegistry stores;
    private final JobRecords records;
    private final ExecutionOwnership ownership;
    private final JobRunner runner;
    private final ObjectProvider<RemotePartitions> remote;

    /**
     * @param remote where partitions go in a process started to send them to workers ({@code --remote});
     *     none: they run on local threads
     */
    public JobSupport(JobRepository repository, PlatformTransactionManager transactionManager, StoreRegistry stores,
            JobRecords records, ExecutionOwnership ownership, JobRunner runner, ObjectProvider<RemotePartitions> remote) {
        this.repository = requireNonNull(repository, "repository is null");
        this.transactionManager = requireNonNull(transactionManager, "transactionManager is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.records = requireNonNull(records, "records is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.remote = requireNonNull(remote, "remote is null");
    }

    public StoreRegistry stores() {
        return stores;
    }

    public JobRecords records() {
        return records;
    }

    JobRepository repository() {
        return repository;
    }

    /**
     * Runs job {@code name} to its end: a new run, or the continuation of its unfinished one
     * ({@link JobRunner#run}).
     *
     * @throws JobRunner.AlreadyRunning when the same run is alive in another process
     */
    JobExecution run(String name, BiFunction<Long, Instant, JobParameters> parametersOfRun,
            Function<JobParameters, Job> jobFor) throws Exception {
        return runner.run(name, parametersOfRun, jobFor);
    }

    /** A chunk-oriented step named {@code name}, committing every {@code chunkSize} items in the repository's transactions. */
    <I, O> ChunkOrientedStepBuilder<I, O> chunkStep(String name, int chunkSize) {
        return new StepBuilder(name, repository).<I, O>chunk(chunkSize).transactionManager(transactionManager);
    }

    /** A tasklet step's builder, in the repository's transactions ({@link #transactionManager()}). */
    StepBuilder step(String name) {
        return new StepBuilder(name, repository);
    }

    /**
     * What a job does in one key range, as one execution's parameters define it: the step of a range,
     * built afresh for each run of it (readers and writers hold state); the partitioner that splits the
     * keyspace; the pools the range steps share, shut down by {@link #close}.
     *
     * @param stepOf the step named {@code stepName} that works on {@code range}
     */
    public record RangeWork(BiFunction<String, KeyRange, Step> stepOf, KeyRangePartitioner partitioner,
            List<ExecutorService> pools) implements AutoCloseable {
        public RangeWork {
            requireNonNull(stepOf, "stepOf is null");
            requireNonNull(partitioner, "partitioner is null");
            pools = List.copyOf(pools);
        }

        /** Shuts the pools down once the steps in flight are done with them. */
        @Override
        public void close() {
            pools.forEach(ExecutorService::shutdown);
        }
    }

    /**
     * The work of a job that lists one location and acts on each object listed (archive, delete,
     * restore's requests), one key range at a time: each range a chunk step that reads the listing of
     * {@code prefix} in {@code where}'s bucket from the range's start, a page ahead, into a writer
     * made for the range by {@code writer}; the ranges split {@code split}'s way.
     *
     * @param listed counts what the listings list, or {@code null}
     * @param pools the pools the writers run on, shut down with the listings' own
     */
    <W extends ItemWriter<ObjectInfo> & StepExecutionListener> RangeWork listingWork(Location where,
            ObjectStore store, String prefix, int partitions, PartitionSplit split, int chunkSize,
            ListingProgress listed, Supplier<W> writer, List<ExecutorService> pools) {
        ExecutorService listing = Executors.newFixedThreadPool(partitions, MigrateJob.threads("barge-list"));
        BiFunction<String, KeyRange, Step> stepOf = (stepName, range) -> {
            W rangeWriter = writer.get();
            return this.<ObjectInfo, ObjectInfo>chunkStep(stepName, chunkSize)
                    .reader(new ObjectListingItemReaderBuilder().name("listing").store(store).remote(where.remote())
                            .bucket(where.bucket()).prefix(prefix).range(range).progress(listed).readAhead(listing)
                            .build())
                    .writer(rangeWriter)
                    .listener(rangeWriter)
                    .build();
        };
        List<ExecutorService> all = new ArrayList<>(pools);
        all.add(0, listing);
        return new RangeWork(stepOf, new KeyRangePartitioner(split.sampler(store, where.bucket(), prefix)), all);
    }

    /** A job's work step, and the pools it runs on, to be shut down when its job ends. */
    record WorkStep(Step step, List<ExecutorService> pools) {
        WorkStep {
            requireNonNull(step, "step is null");
            pools = List.copyOf(pools);
        }
    }

    /**
     * The work step named {@code name} over {@code partitions} key ranges. With one, the range step
     * over every key. With more, a step partitioned into {@code work}'s key ranges, each run as
     * {@code work}'s step for its range, up to {@code partitions} at once, all of them before the step
     * ends: on this process's threads, or, in a process started to send them away
     * ({@link RemotePartitions}), by the cluster's workers, which run the same range step
     * ({@link PartitionWorker}). A restart runs again only the partitions that did not complete, each
     * from its own saved position. {@code listed} (or {@code null}) is complete when every partition run has listed to
     * its end.
     */
    WorkStep workStep(String name, int partitions, RangeWork work, ListingProgress listed) {
        if (partitions == 1) {
            return new WorkStep(work.stepOf().apply(name, KeyRange.ALL), work.pools());
        }
        RemotePartitions workers = remote.getIfAvailable();
        if (workers != null) {
            return new WorkStep(partitionedStep(name, work, listed)
                    .partitionHandler(workers.handler(rangeStepName(name), partitions))
                    .build(), work.pools());
        }
        ExecutorService threads = Executors.newFixedThreadPool(partitions, MigrateJob.threads("barge-partition"));
        List<ExecutorService> pools = new ArrayList<>(work.pools());
        pools.add(threads);
        Step range = new RangeStep(rangeStepName(name), work.stepOf(), this);
        return new WorkStep(partitionedStep(name, work, listed)
                .step(range)
                .gridSize(partitions)
                .taskExecutor(new TaskExecutorAdapter(threads))
                .build(), pools);
    }

    /** The name of the step that works on one key range of a job's work step {@code name}. */
    static String rangeStepName(String name) {
        return name + RANGE_SUFFIX;
    }

    private static final String RANGE_SUFFIX = "-range";

    /** A partitioned step's builder: {@code work}'s partitions, counted into {@code listed} as they are split. */
    private PartitionStepBuilder partitionedStep(String name, RangeWork work, ListingProgress listed) {
        String rangeStep = rangeStepName(name);
        SimpleStepExecutionSplitter splitter = new SimpleStepExecutionSplitter(repository, rangeStep,
                work.partitioner());
        StepExecutionSplitter counting = new StepExecutionSplitter() {
            @Override
            public String getStepName() {
                return splitter.getStepName();
            }

            @Override
            public Set<StepExecution> split(StepExecution manager, int gridSize) throws JobExecutionException {
                Set<StepExecution> toRun = splitter.split(manager, gridSize);
                if (listed != null) {
                    listed.expect(toRun.size());
                }
                return toRun;
            }
        };
        return new StepBuilder(name, repository)
                .partitioner(rangeStep, work.partitioner())
                .splitter(counting);
    }

    /** One partition: the step for its range, built afresh (readers and writers hold state), run in its execution. */
    static final class RangeStep implements Step {
        private final String name;
        private final BiFunction<String, KeyRange, Step> stepOf;
        private final JobSupport support;

        RangeStep(String name, BiFunction<String, KeyRange, Step> stepOf, JobSupport support) {
            this.name = name;
            this.stepOf = stepOf;
            this.support = support;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public void execute(StepExecution execution) throws JobInterruptedException {
            KeyRange range = KeyRangePartitioner.range(execution.getExecutionContext());
            Step step = range != null ? stepOf.apply(execution.getStepName(), range)
                    // a partition a small sample left empty: done at once, and so skipped by a restart
                    : support.step(execution.getStepName())
                            .tasklet((contribution, context) -> RepeatStatus.FINISHED, support.transactionManager())
                            .build();
            step.execute(execution);
        }
    }

    PlatformTransactionManager transactionManager() {
        return transactionManager;
    }

    /**
     * The job named {@code name}, with what every job listens to: its owner's heartbeat, its totals
     * (and {@code pools} shut down at its end), and {@code stop} when given.
     *
     * @param description what the job does, logged at its start
     * @param differences outcomes that are findings of a comparison ({@link JobTotals})
     */
    JobBuilder job(String name, Object description, List<ExecutorService> pools, Set<Outcome> differences,
            StopRequest stop) {
        JobBuilder job = new JobBuilder(name, repository)
                .listener(ownership)
                .listener(new JobTotals(records, description, pools, differences));
        if (stop != null) {
            job.listener(stop);
        }
        return job;
    }
}
