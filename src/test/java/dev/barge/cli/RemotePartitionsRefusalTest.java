package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.test.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * What {@code barge worker} and {@code --remote} refuse before anything is sent or taken: exit 2, a
 * message saying what to give, and nothing started. Each case runs the real command line in this
 * JVM, with the context it starts ({@link SpringContextStarter}).
 */
class RemotePartitionsRefusalTest {
    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {}

    private Result barge(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ofHours(1));
        SpringContextStarter starter = new SpringContextStarter(Map.of(),
                Map.of("barge.home", dir.resolve("home").toString(), "spring.datasource.hikari.maximum-pool-size", "2"));
        int code = new BargeCli(starter, terminal).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> migrate(String... more) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src/data"));
        Files.writeString(source.resolve("a.txt"), "a");
        List<String> args = new ArrayList<>(List.of("migrate", "file://" + source, "file://" + dir.resolve("dst/data")));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void remoteWithOnePartitionIsAUsageError() throws IOException {
        Result run = barge(migrate("--remote").toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--remote sends the key ranges to the workers, and there is one: give"
                + " --partitions N above 1 with it");
        assertThat(dir.resolve("dst")).doesNotExist();
    }

    @Test
    void aBrokerWithoutRemoteIsAUsageError() throws IOException {
        Result run = barge(migrate("--partitions", "4", "--broker", "amqp://127.0.0.1:5672").toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--broker and --queue are for --remote");
    }

    @Test
    void remoteWithThisProcesssOwnLimitsIsAUsageErrorNamingTheSharedOne() throws IOException {
        // the workers do the copying and never see the manager's command line: a silent no-op otherwise
        for (List<String> limit : List.of(List.of("--tps-limit", "50"), List.of("--bwlimit", "10MB"))) {
            List<String> args = migrate("--partitions", "4", "--remote");
            args.addAll(limit);
            Result run = barge(args.toArray(String[]::new));

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("--tps-limit and --bwlimit limit this process, and with --remote the"
                    + " workers do the work: set barge.remotes.<name>.rate-limit.operations-per-second");
            assertThat(dir.resolve("dst")).doesNotExist();
        }
    }

    @Test
    void remoteOnTheEmbeddedDatabaseIsRefusedNamingThePostgresOption() throws IOException {
        // the broker answers: the check's connection declares the queue, a fresh one deleted after
        String queue = "barge.test." + UUID.randomUUID();
        Result run;
        try {
            run = barge(migrate("--partitions", "4", "--remote", "--broker", "amqp://guest:guest@127.0.0.1:5672",
                    "--queue", queue).toArray(String[]::new));
        } finally {
            CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
            try {
                new RabbitAdmin(connections).deleteQueue(queue);
            } finally {
                connections.destroy();
            }
        }

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("remote partitions need the job repository the manager and every worker"
                + " share, in PostgreSQL: give --db-url jdbc:postgresql://", "the embedded H2 database is this"
                + " machine's alone", "nothing was started");
        assertThat(dir.resolve("dst")).doesNotExist();
    }

    @Test
    void aWorkerOnTheEmbeddedDatabaseOrWithoutABrokerIsRefused() {
        Result run = barge("worker");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("in PostgreSQL: give --db-url", "remote partitions go through RabbitMQ: give"
                + " --broker amqp://USER:PASSWORD@HOST:5672 (or BARGE_BROKER_URL)");
        assertThat(run.out()).doesNotContain("barge worker: running");
    }

    @Test
    void aWorkerWhoseBrokerDoesNotAnswerIsRefusedNamingIt() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (TestPostgres.Schema schema = TestPostgres.freshSchema()) {
            Result run = barge("worker", "--db-url", schema.url() + "&user=" + schema.user(), "--broker",
                    "amqp://guest:guest@127.0.0.1:" + closed);

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("cannot reach RabbitMQ at amqp://127.0.0.1:" + closed,
                    "check that it runs there").doesNotContain("guest:guest");
            assertThat(run.err()).doesNotContain("PostgreSQL");
        }
    }
}
