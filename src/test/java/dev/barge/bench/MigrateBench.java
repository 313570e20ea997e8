package dev.barge.bench;

import dev.barge.BargeApplication;
import dev.barge.batch.JobRecords;
import dev.barge.batch.Outcome;
import dev.barge.job.MigrateJob;
import dev.barge.job.MigrateParameters;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.storage.s3.S3StoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Times a Barge migration between two S3Proxy servers (filesystem-nio2, two endpoints, so nothing
 * is copied server-side) and, when {@code rclone} is installed, rclone copying the same objects
 * between the same servers. Run with {@code bench/run.sh}; results go to standard output.
 *
 * <p>Arguments: object count, object size in bytes, concurrency (Barge) = transfers (rclone).
 */
public final class MigrateBench {
    private MigrateBench() {}

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        Path work = Files.createTempDirectory("barge-bench-");
        try (S3ProxyServer from = S3ProxyServer.onDisk(Files.createDirectories(work.resolve("a")));
                S3ProxyServer to = S3ProxyServer.onDisk(Files.createDirectories(work.resolve("b")))) {
            fill(from, count, size);
            try (ObjectStore target = new S3StoreProvider().open(to.remote("target"))) {
                target.createBucket("bench");
            }
            String[] properties = {
                    "--barge.home=" + work.resolve("home"),
                    "--logging.level.dev.barge=warn",
                    "--barge.remotes.src.type=s3", "--barge.remotes.src.endpoint=" + from.endpoint(),
                    "--barge.remotes.dst.type=s3", "--barge.remotes.dst.endpoint=" + to.endpoint(),
                    "--barge.remotes.src.path-style=true", "--barge.remotes.dst.path-style=true",
                    "--barge.remotes.src.region=us-east-1", "--barge.remotes.dst.region=us-east-1",
                    "--barge.remotes.src.access-key-id=" + S3ProxyServer.ACCESS_KEY,
                    "--barge.remotes.dst.access-key-id=" + S3ProxyServer.ACCESS_KEY,
                    "--barge.remotes.src.secret-access-key=" + S3ProxyServer.SECRET_KEY,
                    "--barge.remotes.dst.secret-access-key=" + S3ProxyServer.SECRET_KEY};
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BargeApplication.class)
                    .run(properties)) {
                long start = System.nanoTime();
                JobExecution execution = context.getBean(MigrateJob.class).run(MigrateParameters
                        .builder("src:bench", "dst:bench").concurrency(concurrency).chunkSize(500).build());
                double seconds = (System.nanoTime() - start) / 1e9;
                JobRecords.Total copied = context.getBean(JobRecords.class).totals(execution.getId()).get(Outcome.COPIED);
                report("barge", count, size, concurrency, seconds, copied.objects() + " objects, " + execution.getStatus()
                        + (execution.getExitStatus().getExitDescription().isEmpty() ? ""
                                : ": " + execution.getExitStatus().getExitDescription()));
            }
            rclone(from, to, count, size, concurrency, work);
        }
    }

    private static void fill(S3ProxyServer server, int count, int size) throws Exception {
        try (ObjectStore store = new S3StoreProvider().open(server.remote("fill"))) {
            store.createBucket("bench");
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> puts = new ArrayList<>();
            Random random = new Random(42);
            byte[] data = new byte[size];
            random.nextBytes(data);
            for (int i = 0; i < count; i++) {
                String key = String.format("d%02d/object-%06d", i % 50, i);
                puts.add(pool.submit(() -> store.put(PutRequest.builder("bench", key).build(), Payload.ofBytes(data))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static void rclone(S3ProxyServer from, S3ProxyServer to, int count, int size, int transfers, Path work)
            throws Exception {
        if (new ProcessBuilder("which", "rclone").start().waitFor() != 0) {
            System.out.println("rclone not installed: skipped (apt-get install -y rclone)");
            return;
        }
        ProcessBuilder rclone = new ProcessBuilder("rclone", "copy", "--transfers", Integer.toString(transfers),
                "src:bench-rclone-source", "dst:bench-rclone")
                .redirectErrorStream(true).redirectOutput(work.resolve("rclone.log").toFile());
        // rclone copies the same objects, seeded into a bucket of their own on the source server.
        try (ObjectStore store = new S3StoreProvider().open(from.remote("copy"))) {
            store.createBucket("bench-rclone-source");
        }
        Map<String, String> env = rclone.environment();
        env.remove("AWS_CA_BUNDLE");
        for (Map.Entry<String, S3ProxyServer> remote : Map.of("SRC", from, "DST", to).entrySet()) {
            String p = "RCLONE_CONFIG_" + remote.getKey() + "_";
            env.put(p + "TYPE", "s3");
            env.put(p + "PROVIDER", "Other");
            env.put(p + "ENDPOINT", remote.getValue().endpoint());
            env.put(p + "ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
            env.put(p + "SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
            env.put(p + "REGION", "us-east-1");
            env.put(p + "FORCE_PATH_STYLE", "true");
        }
        ProcessBuilder seed = new ProcessBuilder("rclone", "copy", "--transfers", "16", "src:bench", "src:bench-rclone-source")
                .redirectErrorStream(true).redirectOutput(work.resolve("rclone-seed.log").toFile());
        seed.environment().putAll(env);
        seed.environment().remove("AWS_CA_BUNDLE");
        if (seed.start().waitFor() != 0) {
            System.out.println("rclone could not seed its source; see " + work.resolve("rclone-seed.log"));
            return;
        }
        long start = System.nanoTime();
        int exit = rclone.start().waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        report("rclone", count, size, transfers, seconds, "exit " + exit);
    }

    private static void report(String tool, int count, int size, int concurrency, double seconds, String detail) {
        double mib = (double) count * size / (1 << 20);
        System.out.printf("%-6s %6d x %9d B, concurrency %2d: %7.2f s, %8.1f objects/s, %7.1f MiB/s (%s)%n", tool,
                count, size, concurrency, seconds, count / seconds, mib / seconds, detail);
    }
}
