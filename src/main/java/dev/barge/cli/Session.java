package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.config.RemoteCluster;
import dev.barge.config.RemotePartitioningConfiguration;
import dev.barge.job.ExecutionControl;
import dev.barge.job.ExecutionOwnership;
import dev.barge.job.JobCatalog;
import dev.barge.job.JobRecords;
import dev.barge.job.PartitionNotices;
import dev.barge.job.PartitionWorker;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.local.LocalStoreProvider;
import dev.barge.transfer.TransferSettings;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ApplicationContext;
import org.springframework.context.Lifecycle;

/**
 * What one command works with, from the Spring context started for it once its command line was
 * parsed ({@link ContextStarter}): the stores, and, for a command that {@linkplain Launch.Needs#JOBS
 * needs jobs}, the {@link Jobs}. A command names what it uses, and gets nothing else; closing the
 * session closes the context if the session owns it.
 */
public final class Session implements AutoCloseable {
    private final ApplicationContext context;
    private final Runnable onClose;

    public Session(ApplicationContext context, Runnable onClose) {
        this.context = requireNonNull(context, "context is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    /** The configured remotes' stores. */
    public StoreRegistry stores() {
        return context.getBean(StoreRegistry.class);
    }

    /** The local driver, to open a file's directory tree as a store of its own ({@code barge cp FILE ...}). */
    public LocalStoreProvider localFiles() {
        return context.getBean(LocalStoreProvider.class);
    }

    /** How one object moves ({@code barge.transfer.*}). */
    public TransferSettings transferSettings() {
        return context.getBean(TransferSettings.class);
    }

    /**
     * The jobs and their repository.
     *
     * @throws IllegalStateException in a session opened for stores only
     */
    public Jobs jobs() {
        if (!has(JobCatalog.class)) {
            throw new IllegalStateException("this session reaches stores only: open it with openJobs()");
        }
        return new Jobs(context.getBean(JobCatalog.class), context.getBean(ExecutionControl.class),
                context.getBean(JobRepository.class), context.getBean(JobRecords.class),
                context.getBean(ExecutionOwnership.class), context.getBean(PartitionNotices.class));
    }

    /**
     * What remote partitions need, and whether this process has it.
     *
     * @throws IllegalStateException in a session not opened for remote partitions
     */
    public RemoteCluster remoteCluster() {
        if (!has(RemoteCluster.class)) {
            throw new IllegalStateException("this session takes no part in remote partitions: open it with"
                    + " barge.remote.enabled=true");
        }
        return context.getBean(RemoteCluster.class);
    }

    /**
     * The worker of a {@code barge worker} session, and the inbound adapter that hands it requests
     * (started and stopped by the command).
     *
     * @throws IllegalStateException in a session opened for something else
     */
    public Worker worker() {
        if (!has(PartitionWorker.class)) {
            throw new IllegalStateException("this session is no worker's: open it with barge.worker.enabled=true");
        }
        return new Worker(context.getBean(PartitionWorker.class),
                context.getBean(RemotePartitioningConfiguration.WORKER_INBOUND, Lifecycle.class));
    }

    /** A worker's two parts: what runs partitions, and what takes their requests from the broker. */
    public record Worker(PartitionWorker partitions, Lifecycle requests) {
        public Worker {
            requireNonNull(partitions, "partitions is null");
            requireNonNull(requests, "requests is null");
        }
    }

    /**
     * Whether the context holds a bean of {@code type}, without creating it: which application a
     * command started is visible to the tests only through this.
     */
    boolean has(Class<?> type) {
        return context.getBeanNamesForType(type, true, false).length > 0;
    }

    @Override
    public void close() {
        onClose.run();
    }

    /**
     * The job side of a session.
     *
     * @param catalog starts, checks and restarts jobs
     * @param control stops and abandons executions
     * @param repository Spring Batch's job repository: executions, steps, parameters
     * @param records Barge's own records of them: totals, failures, findings
     * @param ownership which process runs which execution
     * @param notices what a manager of remote partitions tells the user while its job runs
     */
    public record Jobs(JobCatalog catalog, ExecutionControl control, JobRepository repository, JobRecords records,
            ExecutionOwnership ownership, PartitionNotices notices) {
        public Jobs {
            requireNonNull(catalog, "catalog is null");
            requireNonNull(control, "control is null");
            requireNonNull(repository, "repository is null");
            requireNonNull(records, "records is null");
            requireNonNull(ownership, "ownership is null");
            requireNonNull(notices, "notices is null");
        }
    }
}
