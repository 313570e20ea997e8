package dev.barge.job;

import org.springframework.batch.core.partition.PartitionHandler;

/**
 * Sends the partitions of a job's work step to the workers of a cluster instead of running them on
 * this process's threads: present only in a process started for it ({@code --remote}). The
 * partitioned step, its splitter and its range step are the same either way; only its
 * {@link PartitionHandler} is this one's.
 */
@FunctionalInterface
public interface RemotePartitions {

    /**
     * The handler of a partitioned step: it sends one request per partition to run as
     * {@code rangeStepName}, then waits for every partition to end, as the shared job repository
     * shows it.
     *
     * @param gridSize the number of partitions
     */
    PartitionHandler handler(String rangeStepName, int gridSize);
}
