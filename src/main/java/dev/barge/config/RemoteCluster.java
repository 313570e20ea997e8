package dev.barge.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.core.env.Environment;

/**
 * What remote partitions need, checked before a manager sends or a worker takes anything: the job
 * repository every process shares (PostgreSQL: the embedded H2 database is one machine's) and a
 * RabbitMQ broker that is configured and answers.
 */
public final class RemoteCluster {
    private final Environment environment;
    private final ConnectionFactory connectionFactory;
    private final String queue;

    RemoteCluster(Environment environment, ConnectionFactory connectionFactory, String queue) {
        this.environment = requireNonNull(environment, "environment is null");
        this.connectionFactory = requireNonNull(connectionFactory, "connectionFactory is null");
        this.queue = requireNonNull(queue, "queue is null");
    }

    /** The queue of partition requests. */
    public String queue() {
        return queue;
    }

    /** The broker, as {@code amqp://host:port} (never its credentials). */
    public String broker() {
        return "amqp://" + connectionFactory.getHost() + ":" + connectionFactory.getPort()
                + (connectionFactory.getVirtualHost() == null || "/".equals(connectionFactory.getVirtualHost()) ? ""
                        : "/" + connectionFactory.getVirtualHost());
    }

    /**
     * What stands in the way, one sentence each saying what to do; empty when a manager may send and
     * a worker may take partitions. Connects to the broker once.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String url = environment.getProperty("spring.datasource.url", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            problems.add("remote partitions need the job repository the manager and every worker share, in PostgreSQL:"
                    + " give --db-url jdbc:postgresql://HOST:5432/DATABASE (or BARGE_DB_URL) to the manager and to"
                    + " every worker" + (url.startsWith("jdbc:h2:") ? "; the embedded H2 database is this machine's"
                            + " alone" : ""));
        }
        if (!environment.containsProperty("spring.rabbitmq.addresses")
                && !environment.containsProperty("spring.rabbitmq.host")) {
            problems.add("remote partitions go through RabbitMQ: give --broker amqp://USER:PASSWORD@HOST:5672 (or"
                    + " BARGE_BROKER_URL) to the manager and to every worker");
        } else {
            try (Connection connection = connectionFactory.createConnection()) {
                if (!connection.isOpen()) {
                    problems.add("RabbitMQ at " + broker() + " closed the connection at once; check its logs");
                }
            } catch (AmqpException e) {
                problems.add("cannot reach RabbitMQ at " + broker() + " (" + rootMessage(e) + "): check that it"
                        + " runs there and accepts the user given in --broker (or BARGE_BROKER_URL)");
            }
        }
        return problems;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
