package dev.barge.transfer;

import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.local.LocalStoreProvider;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A quick measure of the CPU a transfer costs: process CPU seconds to copy a file another program
 * wrote (no sidecar) from one local store to another, {@code size} MiB, best of five. Not a test;
 * run by hand with the test class path: {@code TransferSpeed [MiB]}.
 */
public final class TransferSpeed {
    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        Path root = Files.createTempDirectory("transfer-speed");
        ExecutorService parts = Executors.newFixedThreadPool(4);
        try (ObjectStore source = open(root, "src"); ObjectStore target = open(root, "dst")) {
            source.createBucket("in");
            target.createBucket("out");
            byte[] block = new byte[1 << 20];
            new Random(1).nextBytes(block);
            try (RandomAccessFile file = new RandomAccessFile(root.resolve("src/in/file.bin").toFile(), "rw")) {
                for (int i = 0; i < mib; i++) {
                    file.write(block);
                }
            }
            ObjectTransfer transfer = new ObjectTransfer(TransferSettings.DEFAULT, parts);
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                ObjectInfo listed = source.list(ListRequest.of("in", "")).objects().get(0);
                long cpu = os.getProcessCpuTime();
                long wall = System.nanoTime();
                TransferResult result = transfer.transfer(
                        new TransferRequest(source, "in", listed, target, "out", "copy" + round, false, null));
                double seconds = (os.getProcessCpuTime() - cpu) / 1e9;
                best = Math.min(best, seconds);
                System.out.printf("round %d: %s of %d MiB, verified %s: %.2f s CPU, %.2f s wall%n", round,
                        result.method(), mib, result.verified(), seconds, (System.nanoTime() - wall) / 1e9);
                target.delete("out", "copy" + round);
            }
            System.out.printf("best: %.2f s CPU%n", best);
        } finally {
            parts.shutdownNow();
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ObjectStore open(Path root, String name) throws Exception {
        return new LocalStoreProvider().open(RemoteConfig.local(name, Files.createDirectories(root.resolve(name)))
                .withOption("sync", "false"));
    }
}
