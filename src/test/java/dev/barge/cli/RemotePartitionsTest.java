package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.barge.BargeApplication;
import dev.barge.test.LocalObjects;
import dev.barge.test.TestPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Remote partitions end to end, every process a real {@code barge} JVM of its own: two
 * {@code barge worker}s and a manager ({@code barge migrate --partitions 8 --remote}) sharing a
 * PostgreSQL job repository (a schema of its own) and the RabbitMQ at 127.0.0.1:5672, on a queue of
 * this test's own. The migration is 20,000 small objects, local to local; the same workers then
 * verify the copies and delete them ({@code verify} and {@code delete} with {@code --remote}).
 */
class RemotePartitionsTest {
    private static final int OBJECTS = 20_000;
    private static final int PARTITIONS = 8;
    private static final int CHUNK = 100;
    private static final String BROKER = "amqp://guest:guest@127.0.0.1:5672";

    @TempDir
    Path temp;

    private TestPostgres.Schema schema;
    private String queue;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void cluster() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5672), 2000);
        } catch (IOException e) {
            fail("no RabbitMQ at 127.0.0.1:5672 (" + e.getMessage() + "): start it with"
                    + " 'service rabbitmq-server start' (or run .ci/run, which installs it)");
        }
        schema = TestPostgres.freshSchema();
        queue = "barge.test." + UUID.randomUUID();
        Files.createDirectories(temp.resolve("dst/backup"));
    }

    /** The source: {@code objects} small objects under {@code src:photos}. */
    private void generate(int objects) throws IOException {
        Path source = Files.createDirectories(temp.resolve("src/photos"));
        for (int i = 0; i < objects; i++) {
            Path file = source.resolve(name(i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, content(i));
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            new RabbitAdmin(connections).deleteQueue(queue);
        } finally {
            connections.destroy();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void twoWorkersCopyTwentyThousandObjectsInEightPartitionsAllIdentical() throws Exception {
        generate(OBJECTS);
        Process a = worker("a", Map.of());
        Process b = worker("b", Map.of());
        awaitReady("a", a);
        awaitReady("b", b);

        Process manager = manager("manager", PARTITIONS);
        assertThat(manager.waitFor(4, TimeUnit.MINUTES)).as("the manager finishes").isTrue();
        assertThat(manager.exitValue()).as(log("manager")).isZero();
        assertThat(log("manager")).contains("Completed").containsPattern("copied\\s+20,?000 objects");

        assertIdentical();
        // both workers took part, and every partition completed once
        assertThat(homeLog("a")).contains("running partition migrate-range:");
        assertThat(homeLog("b")).contains("running partition migrate-range:");
        assertThat(query("select count(*) from BATCH_STEP_EXECUTION where STEP_NAME like 'migrate-range:%'"
                + " and STATUS = 'COMPLETED'")).isEqualTo(PARTITIONS);
        assertThat(query("select coalesce(sum(WRITE_COUNT), 0) from BATCH_STEP_EXECUTION"
                + " where STEP_NAME like 'migrate-range:%'")).isEqualTo(OBJECTS);
        assertThat(query("select count(*) from BARGE_PARTITION_OWNER")).as("owner records of ended partitions")
                .isZero();

        // the same workers run the other jobs' partitions: verify, then delete of the copies
        Process verify = barge("verify", Map.of(), "verify", "src:photos", "dst:backup", "--partitions", "4",
                "--remote", "--broker", BROKER, "--queue", queue, "--db-url", schema.url() + "&user=" + schema.user());
        assertThat(verify.waitFor(4, TimeUnit.MINUTES)).as("verify finishes").isTrue();
        assertThat(verify.exitValue()).as(log("verify")).isZero();
        assertThat(log("verify")).containsPattern("matched\\s+20,?000 objects");
        assertThat(query("select coalesce(sum(READ_COUNT), 0) from BATCH_STEP_EXECUTION"
                + " where STEP_NAME like 'verify-range:%' and STATUS = 'COMPLETED'")).isEqualTo(OBJECTS);

        Process delete = barge("delete", Map.of(), "delete", "dst:backup", "--yes", "--all", "--partitions", "4",
                "--remote", "--broker", BROKER, "--queue", queue, "--db-url", schema.url() + "&user=" + schema.user());
        assertThat(delete.waitFor(4, TimeUnit.MINUTES)).as("delete finishes").isTrue();
        assertThat(delete.exitValue()).as(log("delete")).isZero();
        assertThat(LocalObjects.count(temp.resolve("dst/backup"))).as("the copies are deleted").isZero();
        assertThat(LocalObjects.count(temp.resolve("src/photos"))).as("the source is untouched").isEqualTo(OBJECTS);
        assertThat(query("select coalesce(sum(WRITE_COUNT), 0) from BATCH_STEP_EXECUTION"
                + " where STEP_NAME like 'delete-range:%' and STATUS = 'COMPLETED'")).isEqualTo(OBJECTS);
        assertThat(homeLog("a") + homeLog("b")).contains("running partition verify-range:",
                "running partition delete-range:");
        assertThat(homeLog("verify") + homeLog("delete")).as("the managers run no partition themselves")
                .doesNotContain("running partition");

        // SIGTERM on an idle worker: it stops cleanly
        b.destroy();
        assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(temp.resolve("b.out"))).contains("barge worker: stopped");
        assertThat(a.isAlive()).isTrue();
    }

    @Test
    void aWorkerKilledMidRunHasItsPartitionsHandedToTheOtherWorkerWhileTheJobRuns() throws Exception {
        generate(OBJECTS);
        // worker a is slow, so that it is killed with partitions half done
        Process a = worker("a", Map.of("BARGE_REMOTE_DST_RATE_LIMIT_OPERATIONS_PER_SECOND", "150"));
        Process b = worker("b", Map.of());
        awaitReady("a", a);
        awaitReady("b", b);
        long pidA = a.pid();

        Process manager = manager("manager", PARTITIONS);
        // killed once the chunks it committed outnumber what a resume may find done again (the chunk in
        // flight and the read-ahead window): a run of its partitions from their start would find more
        await("worker a has committed five chunks of a partition it runs", () -> query(
                "select count(*) from BATCH_STEP_EXECUTION s join BARGE_PARTITION_OWNER o"
                        + " on o.STEP_EXECUTION_ID = s.STEP_EXECUTION_ID where o.PID = " + pidA
                        + " and s.STATUS = 'STARTED' and s.COMMIT_COUNT >= 5") > 0, manager);
        List<String> killed = strings("select s.STEP_NAME from BATCH_STEP_EXECUTION s join BARGE_PARTITION_OWNER o"
                + " on o.STEP_EXECUTION_ID = s.STEP_EXECUTION_ID where o.PID = " + pidA);
        a.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Path target = temp.resolve("dst/backup");
        Map<Path, Object> atTheKill = inodes(target);
        assertThat(atTheKill.size()).as("killed half way").isBetween(1, OBJECTS - 1);
        assertThat(killed).as("partitions worker a ran when it was killed").isNotEmpty();

        // the manager hands the lost partitions to worker b, which resumes them: the job completes on its own
        assertThat(manager.waitFor(4, TimeUnit.MINUTES)).as("the manager finishes").isTrue();
        assertThat(manager.exitValue()).as(log("manager")).isZero();
        assertThat(log("manager")).contains("Completed");
        assertThat(homeLog("manager")).contains("lost its worker", "handed to the next worker");
        for (String partition : killed) {
            assertThat(log("manager")).as("the manager's console says what became of the lost partitions")
                    .contains("partition " + partition + " lost its worker, process " + pidA + " on ");
        }
        for (String partition : killed) {
            assertThat(homeLog("b")).contains("running partition " + partition + " ");
        }
        assertIdentical();
        long rewritten = atTheKill.entrySet().stream()
                .filter(e -> !e.getValue().equals(inode(e.getKey())))
                .count();
        System.out.printf("RemotePartitionsTest: worker a killed with %s running, %d of %d objects copied;"
                + " %d written again after the hand-off%n", killed, atTheKill.size(), OBJECTS, rewritten);
        assertThat(rewritten).as("objects written again after the kill").isLessThanOrEqualTo(
                (long) CHUNK * killed.size());
        assertThat(query("select count(*) from BATCH_STEP_EXECUTION where STEP_NAME like 'migrate-range:%'"
                + " and STATUS = 'COMPLETED'")).isEqualTo(PARTITIONS);
        assertThat(query("select count(*) from BATCH_STEP_EXECUTION where STEP_NAME like 'migrate-range:%'"))
                .as("each lost partition resumed as the same step execution, not a new one").isEqualTo(PARTITIONS);
        // the lost partitions resumed from their last commit, not from their start: what b found already
        // copied is at most the chunk being written and the read-ahead window of each (a run from the
        // start would find the five chunks or more committed before the kill)
        long foundDone = query("select coalesce(sum(OBJECTS), 0) from BARGE_EXECUTION_TOTAL where OUTCOME ="
                + " 'SKIPPED_IDENTICAL'");
        System.out.printf("RemotePartitionsTest: the hand-off found %d objects already copied%n", foundDone);
        assertThat(foundDone).isLessThanOrEqualTo(2L * CHUNK * killed.size());
        // and between them the partitions' committed chunks hold every object once, and at most that again
        assertThat(query("select coalesce(sum(WRITE_COUNT), 0) from BATCH_STEP_EXECUTION"
                + " where STEP_NAME like 'migrate-range:%'")).isBetween((long) OBJECTS,
                (long) OBJECTS + 2L * CHUNK * killed.size());
        assertThat(b.isAlive()).isTrue();
    }

    @Test
    void aManagerKilledMidRunHasItsWorkersStopItsPartitionsAndTheSameCommandResumesThem() throws Exception {
        int objects = 2000;
        SlowRun run = slowRunCommitting(objects);
        Process a = run.worker();
        run.manager().destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        // nobody waits for the partitions any more: the worker stops them after their chunk in flight,
        // so that the restart cannot send them to a worker while they still run
        await("worker a has stopped every partition of the dead manager", () -> query("select count(*) from"
                + " BATCH_STEP_EXECUTION where STEP_NAME like 'migrate-range:%' and STATUS = 'STOPPED'") == 4, a);
        assertThat(output("a")).contains("the manager of execution 1 is gone: stopping partition");
        // with 4 ranges and 2 at once, two requests were still queued at the kill: dropped, never run
        assertThat(output("a")).containsPattern("dropped the request for partition migrate-range:range\\d+: its"
                + " manager is gone");
        assertThat(query("select count(*) from BATCH_STEP_EXECUTION where STEP_NAME like 'migrate-range:%'"))
                .as("no other range, none running").isEqualTo(4);
        Path target = temp.resolve("dst/backup");
        Map<Path, Object> atTheStop = inodes(target);
        assertThat(atTheStop.size()).as("stopped half way").isBetween(1, objects - 1);
        assertThat(a.isAlive()).as("the worker itself goes on").isTrue();

        Process second = manager("second", 4);
        assertThat(second.waitFor(4, TimeUnit.MINUTES)).as("the second manager finishes").isTrue();
        assertThat(second.exitValue()).as(log("second")).isZero();
        assertIdentical(objects);
        long rewritten = atTheStop.entrySet().stream().filter(e -> !e.getValue().equals(inode(e.getKey()))).count();
        assertThat(rewritten).as("objects written again: the stopped partitions committed their last chunk")
                .isZero();
    }

    @Test
    void sigtermStopsAWorkersPartitionsAfterTheirChunkInFlightAndJobsRestartResumesThem() throws Exception {
        // fewer objects: this is about the stop, not the size
        int objects = 4000;
        SlowRun run = slowRunCommitting(objects);
        Process a = run.worker();
        Process first = run.manager();
        List<String> running = strings("select s.STEP_NAME from BATCH_STEP_EXECUTION s join BARGE_PARTITION_OWNER o"
                + " on o.STEP_EXECUTION_ID = s.STEP_EXECUTION_ID");

        a.destroy();
        assertThat(a.waitFor(2, TimeUnit.MINUTES)).as("worker a stops").isTrue();
        assertThat(a.exitValue()).as(output("a")).isZero();
        assertThat(output("a")).contains("stop after their chunk in flight").contains("barge worker: stopped");
        for (String partition : running) {
            assertThat(strings("select STATUS || ' ' || COMMIT_COUNT from BATCH_STEP_EXECUTION where STEP_NAME = '"
                    + partition + "'")).as(partition).singleElement().asString().startsWith("STOPPED ")
                    .doesNotEndWith(" 0");
        }
        assertThat(query("select count(*) from BARGE_PARTITION_OWNER")).as("owner records after the stop").isZero();
        assertThat(LocalObjects.count(temp.resolve("dst/backup"))).as("stopped half way").isLessThan(objects);

        // another worker takes what a had not; the job then ends STOPPED, and the same command resumes it
        Process b = worker("b", Map.of());
        awaitReady("b", b);
        assertThat(first.waitFor(4, TimeUnit.MINUTES)).as("the first manager ends").isTrue();
        assertThat(first.exitValue()).as(output("first")).isEqualTo(ExitCode.FAILED);
        assertThat(output("first")).contains("Stopped");
        // resumed this time by barge jobs restart, sending the partitions to the workers again
        long execution = query("select max(JOB_EXECUTION_ID) from BATCH_JOB_EXECUTION");
        Process second = barge("second", Map.of(), "jobs", "restart", Long.toString(execution), "--remote",
                "--broker", BROKER, "--queue", queue, "--db-url", schema.url() + "&user=" + schema.user());
        assertThat(second.waitFor(4, TimeUnit.MINUTES)).as("the restarted manager finishes").isTrue();
        assertThat(second.exitValue()).as(output("second")).isZero();
        for (String partition : running) {
            assertThat(homeLog("b")).contains("running partition " + partition + " ");
        }
        assertIdentical(objects);
    }

    /** A worker slowed to 150 requests/s and a manager of 4 ranges of {@code objects}, once a chunk is committed. */
    private record SlowRun(Process worker, Process manager) {}

    private SlowRun slowRunCommitting(int objects) throws Exception {
        generate(objects);
        Process a = worker("a", Map.of("BARGE_REMOTE_DST_RATE_LIMIT_OPERATIONS_PER_SECOND", "150"));
        awaitReady("a", a);
        Process first = manager("first", 4);
        await("worker a has committed a chunk", () -> query("select count(*) from BATCH_STEP_EXECUTION s"
                + " join BARGE_PARTITION_OWNER o on o.STEP_EXECUTION_ID = s.STEP_EXECUTION_ID"
                + " where s.STATUS = 'STARTED' and s.COMMIT_COUNT > 0") > 0, first);
        return new SlowRun(a, first);
    }

    private void assertIdentical() throws IOException {
        assertIdentical(OBJECTS);
    }

    private void assertIdentical(int objects) throws IOException {
        Path source = temp.resolve("src/photos");
        Path target = temp.resolve("dst/backup");
        assertThat(LocalObjects.count(target)).isEqualTo(objects);
        for (int i = 0; i < objects; i++) {
            Path copy = target.resolve(name(i));
            assertThat(copy).as("copy of %s", name(i)).exists();
            assertThat(Files.mismatch(source.resolve(name(i)), copy)).as("copy of %s", name(i)).isEqualTo(-1L);
        }
    }

    private Process worker(String name, Map<String, String> environment) throws Exception {
        return barge(name, environment, "worker", "--db-url", schema.url() + "&user=" + schema.user(),
                "--broker", BROKER, "--queue", queue, "--parallel", "2");
    }

    private void awaitReady(String name, Process worker) throws InterruptedException {
        await("worker " + name + " is ready", () -> output(name).contains("barge worker: running partitions"),
                worker);
    }

    private Process manager(String name, int partitions) throws IOException {
        return barge(name, Map.of(), "migrate", "src:photos", "dst:backup", "--partitions",
                Integer.toString(partitions), "--remote", "--broker", BROKER, "--queue", queue,
                "--chunk-size", Integer.toString(CHUNK), "--db-url", schema.url() + "&user=" + schema.user());
    }

    /** A {@code barge} JVM of its own, its output in {@code NAME.out}, its home (and barge.log) in {@code NAME-home}. */
    private Process barge(String name, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1",
                // small pools: other suites share PostgreSQL's 100 connections
                "-Dspring.datasource.hikari.maximum-pool-size=4", "-Dspring.datasource.hikari.minimum-idle=1",
                "-Dbarge.jobs.heartbeat-interval=1s", "-Dbarge.remote.poll-interval=300ms",
                BargeApplication.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve(name + ".out").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("BARGE_"));
        env.put("BARGE_HOME", temp.resolve(name + "-home").toString());
        env.put("BARGE_REMOTE_SRC_TYPE", "local");
        env.put("BARGE_REMOTE_SRC_ROOT", temp.resolve("src").toString());
        env.put("BARGE_REMOTE_DST_TYPE", "local");
        env.put("BARGE_REMOTE_DST_ROOT", temp.resolve("dst").toString());
        // the test kills processes, not machines: flushing every file would only slow it down
        env.put("BARGE_REMOTE_SRC_OPTIONS_SYNC", "false");
        env.put("BARGE_REMOTE_DST_OPTIONS_SYNC", "false");
        env.putAll(environment);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private String output(String name) {
        try {
            Path out = temp.resolve(name + ".out");
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private String log(String name) {
        return output(name);
    }

    private String homeLog(String name) throws IOException {
        Path log = temp.resolve(name + "-home/barge.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private long query(String sql) {
        try (Connection c = DriverManager.getConnection(schema.url(), schema.user(), "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            // the schema's tables appear once the first process has migrated it
            if (e.getMessage().contains("does not exist")) {
                return -1;
            }
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(schema.url(), schema.user(), "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** Waits, with a deadline, until {@code condition} holds; fails if {@code process} ends first. */
    private void await(String what, BooleanSupplier condition, Process process) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive()).as("%s: the process ended first: %s", what, output("manager")).isTrue();
            assertThat(Instant.now()).as("waiting until %s", what).isBefore(deadline);
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    /** The inode of every object under {@code dir}: a local write renames a new file into place. */
    private static Map<Path, Object> inodes(Path dir) throws IOException {
        Map<Path, Object> inodes = new HashMap<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                if (a.isRegularFile() && !f.getFileName().toString().startsWith(".barge")
                        && !f.toString().contains("/.barge")) {
                    inodes.put(f, a.fileKey());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                // a write's temporary file, renamed away while walking
                return FileVisitResult.CONTINUE;
            }
        });
        return inodes;
    }

    private static Object inode(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static String name(int i) {
        return String.format("d%02d/object-%05d.dat", i % 40, i);
    }

    private static String content(int i) {
        return "object " + i + " " + "x".repeat(i % 300);
    }
}
