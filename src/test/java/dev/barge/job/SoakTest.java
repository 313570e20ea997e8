package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.qiniu.KodoEmulator;
import dev.barge.storage.Credentials;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.oss.OssStoreProvider;
import dev.barge.storage.qiniu.QiniuStoreProvider;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.storage.s3.S3StoreProvider;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultProxy;
import dev.barge.test.fault.FaultRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak: a chain of migrations local → S3 → OSS → Kodo → local, each store behind a
 * {@link FaultProxy} that faults a share of every request (throttling, errors, resets before and
 * mid-body, cut bodies, bodies longer or shorter than announced), each migration a process of its
 * own that is killed with {@code kill -9} at random points and started again until it completes.
 * At the end the last directory holds every object of the first, byte for byte, and no crash made
 * a process redo more than the chunks it had in flight.
 *
 * <p>The short form runs in every build (a few hundred objects, two kills a stage). The long form
 * is {@code bench/soak.sh}: {@code -Dsoak.objects=10000 -Dsoak.kills=5} (20 crashes over the four
 * stages), and it writes its figures to {@code -Dsoak.report=FILE} for RELIABILITY.md.
 */
@Tag("soak")
class SoakTest {
    private static final int OBJECTS = Integer.getInteger("soak.objects", 300);
    private static final int KILLS = Integer.getInteger("soak.kills", 2);
    private static final double FAULT_RATE = Double.parseDouble(System.getProperty("soak.fault-rate", "0.1"));
    private static final long SEED = Long.getLong("soak.seed", 20261203L);
    private static final int LARGE = Integer.getInteger("soak.large", 3);
    private static final int CHUNK = 25;
    private static final int MIB = 1 << 20;

    @TempDir
    Path temp;

    /** One remote of the chain: where the child processes reach it (through its proxy) and how the test reads it. */
    private record Remote(String name, List<String> settings, ObjectStore direct, String bucket) {}

    /** What a stage saw: processes started and killed, requests through the proxies and how many were faulted. */
    private record StageReport(String stage, int processes, int kills, long twice, long requests, long faulted) {}

    @Test
    void aChainOfFaultedAndKilledMigrationsEndsWithEveryObjectIdentical() throws Exception {
        Path src = Files.createDirectories(temp.resolve("src/data"));
        Path dst = Files.createDirectories(temp.resolve("dst/data"));
        Map<String, String> md5s = fill(src);

        try (S3ProxyServer s3 = S3ProxyServer.inMemory();
                OssEmulator oss = OssEmulator.start("soak-oss-ak", "soak-oss-sk");
                KodoEmulator kodo = KodoEmulator.start("soak-kodo-ak", "soak-kodo-sk");
                FaultProxy s3Proxy = FaultProxy.inFrontOf(s3.endpoint(), FaultProxy.Protocol.S3);
                FaultProxy ossProxy = FaultProxy.inFrontOf(oss.endpoint(), FaultProxy.Protocol.OSS);
                FaultProxy kodoProxy = FaultProxy.inFrontOf("http://" + kodo.hostAndPort(), FaultProxy.Protocol.KODO)) {
            Random random = new Random(SEED);
            for (FaultProxy proxy : List.of(s3Proxy, ossProxy, kodoProxy)) {
                proxy.faults().add(FaultRule.builder().always().probability(FAULT_RATE, random.nextLong())
                        .faults(Fault.throttle(), Fault.error(500, "InternalError"), Fault.resetBeforeResponse(),
                                Fault.resetMidBody(), Fault.truncatedBody(), Fault.wrongContentLength(-1),
                                Fault.wrongContentLength(7))
                        .build());
            }
            Remote local = new Remote("src", List.of("--barge.remotes.src.type=local",
                    "--barge.remotes.src.root=" + temp.resolve("src"), "--barge.remotes.src.options.sync=false"),
                    null, "data");
            Remote s3Remote = new Remote("s3", List.of("--barge.remotes.s3.type=s3",
                    "--barge.remotes.s3.endpoint=" + s3Proxy.endpoint(), "--barge.remotes.s3.region=us-east-1",
                    "--barge.remotes.s3.path-style=true",
                    "--barge.remotes.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY,
                    "--barge.remotes.s3.secret-access-key=" + S3ProxyServer.SECRET_KEY),
                    open(new S3StoreProvider(), "s3", s3.endpoint(), S3ProxyServer.ACCESS_KEY,
                            S3ProxyServer.SECRET_KEY, true), "soak");
            Remote ossRemote = new Remote("oss", List.of("--barge.remotes.oss.type=oss",
                    "--barge.remotes.oss.endpoint=" + ossProxy.endpoint(),
                    "--barge.remotes.oss.access-key-id=soak-oss-ak", "--barge.remotes.oss.secret-access-key=soak-oss-sk"),
                    open(new OssStoreProvider(), "oss", oss.endpoint(), "soak-oss-ak", "soak-oss-sk", false), "soak");
            Remote kodoRemote = new Remote("kodo", List.of("--barge.remotes.kodo.type=qiniu",
                    "--barge.remotes.kodo.endpoint=" + kodoProxy.endpoint(),
                    "--barge.remotes.kodo.access-key-id=soak-kodo-ak",
                    "--barge.remotes.kodo.secret-access-key=soak-kodo-sk"),
                    open(new QiniuStoreProvider(), "kodo", "http://" + kodo.hostAndPort(), "soak-kodo-ak",
                            "soak-kodo-sk", false), "soak");
            Remote target = new Remote("dst", List.of("--barge.remotes.dst.type=local",
                    "--barge.remotes.dst.root=" + temp.resolve("dst"), "--barge.remotes.dst.options.sync=false"),
                    null, "data");
            for (Remote remote : List.of(s3Remote, ossRemote, kodoRemote)) {
                remote.direct().createBucket(remote.bucket());
            }

            List<StageReport> reports = new ArrayList<>();
            List<Remote> chain = List.of(local, s3Remote, ossRemote, kodoRemote, target);
            List<FaultProxy> proxies = Arrays.asList(null, s3Proxy, ossProxy, kodoProxy, null);
            for (int i = 0; i + 1 < chain.size(); i++) {
                Remote from = chain.get(i);
                Remote to = chain.get(i + 1);
                long requestsBefore = requests(proxies, i);
                long faultedBefore = faulted(proxies, i);
                StageReport report = stage(from, to, random);
                report = new StageReport(report.stage(), report.processes(), report.kills(), report.twice(),
                        requests(proxies, i) - requestsBefore, faulted(proxies, i) - faultedBefore);
                reports.add(report);
                if (to.direct() != null) {
                    assertThat(md5sOf(to)).as("stage %s", report.stage()).isEqualTo(md5s);
                }
                assertThat(report.twice()).as("objects written again after a crash, stage %s", report.stage())
                        .isLessThanOrEqualTo((long) report.kills() * 2 * CHUNK);
            }

            Map<String, String> arrived = md5sOf(dst);
            assertThat(arrived).hasSize(OBJECTS).isEqualTo(md5s);
            long faulted = reports.stream().mapToLong(StageReport::faulted).sum();
            assertThat(faulted).as("requests faulted").isPositive();
            report(reports, arrived.size(), staging(dst));
        }
    }

    /** Runs {@code from -> to} in child processes, killing {@link #KILLS} of them part way, until one completes. */
    private StageReport stage(Remote from, Remote to, Random random) throws Exception {
        String stage = from.name() + "->" + to.name();
        List<String> args = new ArrayList<>(List.of("--barge.home=" + temp.resolve("home-" + to.name())));
        args.addAll(from.settings());
        args.addAll(to.settings());
        args.addAll(List.of(
                "--test.source=" + from.name() + ":" + from.bucket(), "--test.target=" + to.name() + ":" + to.bucket(),
                "--test.chunk-size=" + CHUNK,
                "--barge.transfer.multipart-threshold=6MB", "--barge.transfer.part-size=5MB",
                "--barge.remotes." + from.name() + ".retry.initial-delay=20ms",
                "--barge.remotes." + to.name() + ".retry.initial-delay=20ms"));
        List<Path> logs = new ArrayList<>();
        int processes = 0;
        int kills = 0;
        for (int run = 0; run < KILLS + 4; run++) {
            Path putLog = temp.resolve(stage + "-puts-" + run + ".log");
            Files.createFile(putLog);
            logs.add(putLog);
            List<String> runArgs = new ArrayList<>(args);
            runArgs.add("--test.put-log=" + putLog);
            Path output = temp.resolve(stage + "-run-" + run + ".log");
            Process child = MigrateCrashTest.child(runArgs, output);
            processes++;
            if (kills < KILLS) {
                // somewhere in the first 60 % of what is left, so that every run makes some progress first
                long writes = 1 + random.nextInt(Math.max(1, OBJECTS * 6 / 10 / (KILLS + 1)));
                if (awaitWrites(putLog, writes, child)) {
                    child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    kills++;
                    continue;
                }
            }
            assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("stage %s run %d ends", stage, run).isTrue();
            String printed = Files.readString(output);
            assertThat(child.exitValue()).as("stage %s run %d:%n%s", stage, run, tail(printed)).isZero();
            if (!printed.contains("COMPLETED_WITH_SKIPS") && !printed.contains("skipped ")) {
                return new StageReport(stage, processes, kills, writtenByTwoProcesses(logs), 0, 0);
            }
            // objects that failed every attempt under the faults: the same command takes them again
        }
        throw new AssertionError("stage " + stage + " did not complete in " + processes + " runs");
    }

    /** Waits until the child has started {@code n} writes; false if it ended first. */
    private static boolean awaitWrites(Path putLog, long n, Process child) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Files.readAllLines(putLog).size() < n) {
            if (!child.isAlive()) {
                return false;
            }
            assertThat(Instant.now()).as("waiting for %d writes", n).isBefore(deadline);
            child.waitFor(20, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /** Keys that more than one process wrote: work a crash made the next process redo. */
    private static long writtenByTwoProcesses(List<Path> logs) throws IOException {
        Map<String, Integer> processes = new HashMap<>();
        for (Path log : logs) {
            for (String key : new HashSet<>(Files.readAllLines(log, StandardCharsets.UTF_8))) {
                processes.merge(key, 1, Integer::sum);
            }
        }
        return processes.values().stream().filter(n -> n > 1).count();
    }

    private static long requests(List<FaultProxy> proxies, int stage) {
        return Stream.of(proxies.get(stage), proxies.get(stage + 1)).filter(p -> p != null)
                .mapToLong(p -> p.faults().requests()).sum();
    }

    private static long faulted(List<FaultProxy> proxies, int stage) {
        return Stream.of(proxies.get(stage), proxies.get(stage + 1)).filter(p -> p != null)
                .mapToLong(p -> p.faults().faulted()).sum();
    }

    /** Objects of random sizes, mostly small, {@link #LARGE} of them above the multipart threshold. */
    private static Map<String, String> fill(Path dir) throws IOException {
        Random random = new Random(SEED);
        Map<String, String> md5s = new TreeMap<>();
        for (int i = 0; i < OBJECTS; i++) {
            String key = String.format("d%02d/object-%06d.bin", i % 17, i);
            byte[] data = new byte[i < LARGE ? 6 * MIB + random.nextInt(5 * MIB) : random.nextInt(i % 10 == 0 ? 200_000 : 8_000)];
            random.nextBytes(data);
            Path file = dir.resolve(key);
            Files.createDirectories(file.getParent());
            Files.write(file, data);
            md5s.put(key, md5(data));
        }
        return md5s;
    }

    /**
     * The objects under a local root, as Barge lists them: without Barge's reserved entries
     * ({@code .barge*}), among them the staging files ({@code .barge.tmp.*}) and the multipart
     * uploads ({@code .barge.uploads/}) of writes a kill -9 cut off; {@link #staging} counts those.
     */
    private static Map<String, String> md5sOf(Path dir) throws IOException {
        Map<String, String> md5s = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> java.util.stream.StreamSupport.stream(dir.relativize(f).spliterator(), false)
                            .noneMatch(part -> part.toString().startsWith(".barge")))
                    .toList()) {
                md5s.put(dir.relativize(file).toString(), md5(Files.readAllBytes(file)));
            }
        }
        return md5s;
    }

    /** Files of writes a kill cut off: staging files, and the parts of local multipart uploads never completed. */
    private static long staging(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith(".barge.tmp.")
                    || dir.relativize(f).toString().contains(".barge.uploads/")).count();
        }
    }

    private static Map<String, String> md5sOf(Remote remote) {
        Map<String, String> md5s = new TreeMap<>();
        ListRequest request = ListRequest.of(remote.bucket(), "");
        while (true) {
            var page = remote.direct().list(request);
            for (ObjectInfo object : page.objects()) {
                try (ObjectContent content = remote.direct().get(remote.bucket(), object.key())) {
                    md5s.put(object.key(), md5(content.body().readAllBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (!page.truncated()) {
                return md5s;
            }
            request = request.next(page);
        }
    }

    private static ObjectStore open(dev.barge.storage.StoreProvider provider, String name, String endpoint,
            String accessKey, String secretKey, boolean pathStyle) {
        return provider.open(new RemoteConfig(name, provider.type(), endpoint, "us-east-1",
                new Credentials(accessKey, Secret.of(secretKey), null), pathStyle, null, null, 0, null, Map.of()));
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    /** Prints the figures, and writes them to {@code soak.report} when it is set (the long form's RELIABILITY.md). */
    private static void report(List<StageReport> reports, int verified, long staging) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("| stage | processes | killed (kill -9) | requests | faulted | objects written again after a crash |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (StageReport r : reports) {
            out.append("| ").append(r.stage()).append(" | ").append(r.processes()).append(" | ").append(r.kills())
                    .append(" | ").append(r.requests()).append(" | ").append(r.faulted()).append(" | ")
                    .append(r.twice()).append(" |\n");
        }
        out.append("\nobjects: ").append(OBJECTS).append(" (").append(LARGE).append(" multipart), fault rate ")
                .append(FAULT_RATE).append(", seed ").append(SEED).append("; verified byte for byte at the end: ")
                .append(verified).append("; lost: ").append(OBJECTS - verified)
                .append("; files of cut-off writes left in the local target (staging files, parts of multipart")
                .append(" uploads never completed): ").append(staging).append('\n');
        System.out.println(out);
        String file = System.getProperty("soak.report");
        if (file != null) {
            Files.writeString(Path.of(file), out);
        }
    }
}
