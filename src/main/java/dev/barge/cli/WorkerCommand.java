package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.config.RemoteCluster;
import dev.barge.config.RemotePartitioningConfiguration;
import dev.barge.storage.layer.RateLimitSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.utils.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code barge worker}: joins the cluster and runs the partitions that {@code --remote} jobs send
 * (migrate, verify, delete, archive), from the RabbitMQ queue, against the job repository every
 * process shares, until SIGINT or SIGTERM. Then it takes no new partition, and those in flight stop
 * after their chunk in flight (each ends STOPPED, and its job's restart resumes it), then it exits.
 * A start without the shared PostgreSQL repository or without a broker that answers is refused, exit 2.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs partitions of the jobs started with --partitions N --remote (migrate, verify, delete,"
                + " archive) on this machine, taken from RabbitMQ, until Ctrl-C or SIGTERM; then the partitions in"
                + " flight stop after their chunk in flight and the job's restart resumes them.",
                "The manager and every worker share one PostgreSQL job repository (--db-url or BARGE_DB_URL),"
                        + " one broker (--broker or BARGE_BROKER_URL) and the remotes the jobs name."},
        footerHeading = "%nExamples:%n",
        footer = {"  barge worker --db-url jdbc:postgresql://db:5432/barge --broker amqp://barge:secret@mq:5672",
                "  barge migrate src:photos dst:photos --partitions 16 --remote \\",
                "      --db-url jdbc:postgresql://db:5432/barge --broker amqp://barge:secret@mq:5672",
                "",
                "Exit codes: 0 stopped cleanly; 2 usage or configuration error (nothing was taken)."})
final class WorkerCommand implements Callable<Integer> {
    /** The most partitions one worker runs at once. */
    static final int MAX_PARALLEL = 64;
    /** How long a stop waits for the partitions in flight to finish their chunk. */
    private static final Duration DRAIN = Duration.ofMinutes(10);

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2",
            description = "Partitions run at once on this worker, from 1 to " + MAX_PARALLEL
                    + " (default: ${DEFAULT-VALUE}); each runs at its job's --concurrency.")
    int parallel;

    @Option(names = "--broker", paramLabel = "URL",
            description = "The RabbitMQ broker, e.g. amqp://USER:PASSWORD@HOST:5672 (default: $BARGE_BROKER_URL).")
    String broker;

    @Option(names = "--queue", paramLabel = "NAME",
            description = "The queue of partition requests, the managers' --queue (default: "
                    + RemotePartitioningConfiguration.DEFAULT_QUEUE + ").")
    String queue;

    WorkerCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw CliError.usage("--parallel must be a whole number from 1 to " + MAX_PARALLEL
                    + " (partitions run at once), e.g. --parallel 4; " + parallel + " is not");
        }
        Map<String, String> properties = new LinkedHashMap<>(PartitionsOption.contextProperties(broker, queue));
        properties.put(RemotePartitioningConfiguration.WORKER, "true");
        properties.put("barge.worker.parallel", Integer.toString(parallel));
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        Map<String, Object> previous = new LinkedHashMap<>();
        for (String signal : new String[] {"INT", "TERM"}) {
            previous.put(signal, Signals.register(signal, () -> {
                if (signals.incrementAndGet() > 1) {
                    terminal.err().println("barge worker: stopped at once; the partitions it ran are ended by"
                            + " their manager once its heartbeat is missed, and resumed by the job's restart");
                    terminal.err().flush();
                    Runtime.getRuntime().halt(ExitCode.FAILED);
                }
                stop.countDown();
            }));
        }
        try (Session session = BargeCommand.root(spec).openJobs(RateLimitSettings.NONE, Set.of(), properties)) {
            RemoteCluster cluster = session.remoteCluster();
            PartitionsOption.refuseUnfit(cluster);
            Session.Worker worker = session.worker();
            worker.partitions().reportTo(line -> {
                terminal.out().println("barge worker: " + line);
                terminal.out().flush();
            });
            worker.requests().start();
            terminal.out().println("barge worker: running partitions of " + String.join(", ",
                    new TreeSet<>(worker.partitions().jobNames())) + " from queue " + cluster.queue() + " on "
                    + cluster.broker() + ", " + parallel + " at once; Ctrl-C or SIGTERM stops it");
            terminal.out().flush();
            stop.await();
            int inFlight = worker.partitions().running();
            terminal.out().println("barge worker: stopping; taking no new partition"
                    + (inFlight > 0 ? ", the " + inFlight + " in flight stop after their chunk in flight" : ""));
            terminal.out().flush();
            worker.partitions().drain();
            worker.requests().stop();
            boolean idle = worker.partitions().awaitIdle(DRAIN);
            terminal.out().println(idle ? "barge worker: stopped" : "barge worker: stopped with "
                    + worker.partitions().running() + " partitions still running after " + DRAIN.toMinutes()
                    + " minutes; their manager ends them once their heartbeat is missed");
            terminal.out().flush();
            return ExitCode.OK;
        } finally {
            previous.forEach(Signals::unregister);
        }
    }
}
