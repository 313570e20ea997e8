package dev.barge.cli;

import dev.barge.config.RemoteCluster;
import dev.barge.config.RemoteOnlyAutoConfigurations;
import dev.barge.config.RemotePartitioningConfiguration;
import dev.barge.job.MigrateParameters;
import dev.barge.job.PartitionSplit;
import dev.barge.storage.layer.RateLimitSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --partitions N} of the jobs that walk a listing: key ranges run in parallel, each resumed on
 * its own; with {@code --remote}, run by the cluster's workers ({@code barge worker}) instead of
 * this process's threads.
 */
final class PartitionsOption {
    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "Split the source's keys into N ranges, listed and worked on in parallel, each resumed on"
                    + " its own (from 1 to " + MigrateParameters.MAX_PARTITIONS + "; default: ${DEFAULT-VALUE})."
                    + " The same command with the same N resumes a run.")
    int partitions = 1;

    @Option(names = "--partition-by", paramLabel = "range|prefix", defaultValue = "range",
            description = "Where the N ranges fall: range samples the keyspace with a few listings and splits it"
                    + " into ranges of about equal size (any keyspace); prefix lists the top level and splits between"
                    + " its prefixes, about as many in each range (keys laid out in prefixes of similar size: dates,"
                    + " tenants). Counts for a run's first start only (default: ${DEFAULT-VALUE}).")
    String partitionBy = "range";

    @Option(names = "--remote",
            description = "Send the N ranges to the workers (barge worker) over RabbitMQ and wait for them,"
                    + " instead of running them here. Needs --partitions above 1, the job repository the workers"
                    + " share (PostgreSQL, --db-url) and the broker (--broker).")
    boolean remote;

    @Option(names = "--broker", paramLabel = "URL",
            description = "With --remote: the RabbitMQ broker, e.g. amqp://USER:PASSWORD@HOST:5672"
                    + " (default: $BARGE_BROKER_URL).")
    String broker;

    @Option(names = "--queue", paramLabel = "NAME",
            description = "With --remote: the queue of partition requests, the workers' --queue (default: "
                    + RemotePartitioningConfiguration.DEFAULT_QUEUE + ").")
    String queue;

    /** The count asked for, or a usage error naming the range. */
    int partitions(CommandSpec spec) {
        if (partitions < 1 || partitions > MigrateParameters.MAX_PARTITIONS) {
            throw new ParameterException(spec.commandLine(), "--partitions must be a whole number from 1 to "
                    + MigrateParameters.MAX_PARTITIONS + " (key ranges worked on in parallel), e.g. --partitions 4; "
                    + partitions + " is not");
        }
        if (remote && partitions == 1) {
            throw new ParameterException(spec.commandLine(), "--remote sends the key ranges to the workers, and there"
                    + " is one: give --partitions N above 1 with it, e.g. --partitions 8 --remote");
        }
        if (partitions == 1 && !"range".equals(partitionBy)) {
            split(spec);
            throw new ParameterException(spec.commandLine(), "--partition-by says where the key ranges fall, and there"
                    + " is one: give --partitions N above 1 with it, e.g. --partitions 8 --partition-by "
                    + partitionBy);
        }
        if ((broker != null || queue != null) && !remote) {
            throw new ParameterException(spec.commandLine(), "--broker and --queue are for --remote; add --remote to"
                    + " send the key ranges to the workers, or leave them out");
        }
        return partitions;
    }

    /** How the ranges are split, or a usage error naming the choices. */
    PartitionSplit split(CommandSpec spec) {
        try {
            return PartitionSplit.ofOption(partitionBy);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * The properties the job's context is started with: remote partitioning on, with {@code --remote}.
     * Refuses {@code --remote} with this process's own limits ({@code limit}: {@code --tps-limit},
     * {@code --bwlimit}), which the workers that do the copying would never see: a cluster's limit is
     * the remote's, shared by every worker.
     */
    Map<String, String> properties(CommandSpec spec, RateLimitSettings limit) {
        partitions(spec);
        if (!remote) {
            return Map.of();
        }
        if (limit.limitsOperations() || limit.limitsBytes()) {
            throw new ParameterException(spec.commandLine(), "--tps-limit and --bwlimit limit this process, and with"
                    + " --remote the workers do the work: set barge.remotes.<name>.rate-limit.operations-per-second"
                    + " or .bytes-per-second in the configuration the workers read (one budget the whole cluster"
                    + " shares), and leave --tps-limit and --bwlimit out");
        }
        return contextProperties(broker, queue);
    }

    /**
     * The properties of a context that takes part in remote partitions, on {@code broker} and
     * {@code queue} when given (else their defaults).
     */
    static Map<String, String> contextProperties(String broker, String queue) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(RemoteOnlyAutoConfigurations.ENABLED, "true");
        if (broker != null) {
            properties.put("spring.rabbitmq.addresses", broker);
        }
        if (queue != null) {
            properties.put("barge.remote.queue", queue);
        }
        return properties;
    }

    /**
     * With {@code --remote}, refuses a start that cannot reach the workers (the embedded job
     * repository, no broker or one that does not answer): a usage error naming what to give.
     */
    void checkCluster(Session session) {
        if (remote) {
            refuseUnfit(session.remoteCluster());
        }
    }

    /** A usage error, exit 2, with every problem {@code cluster} has. */
    static void refuseUnfit(RemoteCluster cluster) {
        List<String> problems = cluster.problems();
        if (!problems.isEmpty()) {
            throw CliError.usage(String.join("; and ", problems) + "; nothing was started");
        }
    }
}
