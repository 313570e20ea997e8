package dev.barge.storage.local;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A quick measure of the local driver's cost per small put: thread CPU time and bytes allocated for
 * {@code n} puts of {@code size} bytes (after one warm-up round), then for listing them. Not a test;
 * run by hand with the test class path: {@code LocalPutSpeed [n] [size] [metadata mode] [sync]}.
 */
public final class LocalPutSpeed {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        String mode = args.length > 2 ? args[2] : "auto";
        String sync = args.length > 3 ? args[3] : "false";
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] data = new byte[size];
        new Random(1).nextBytes(data);
        Path root = Files.createTempDirectory("local-put-speed");
        try (ObjectStore store = new LocalStoreProvider().open(RemoteConfig.local("speed", root)
                .withOption("sync", sync).withOption("metadata", mode))) {
            store.createBucket("b");
            for (int round = 0; round < 3; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long allocated = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < n; i++) {
                    store.put(PutRequest.builder("b", "r" + round + "/k" + i).build(), Payload.ofBytes(data));
                }
                System.out.printf("round %d: %d puts of %d B: %.1f us CPU and %.1f KiB allocated per put%n", round, n,
                        size, (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / n,
                        (threads.getCurrentThreadAllocatedBytes() - allocated) / 1024.0 / n);
            }
            for (int round = 0; round < 3; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                int listed = 0;
                String token = null;
                do {
                    dev.barge.storage.ListPage page = store.list(dev.barge.storage.ListRequest.of("b", "r" + round + "/")
                            .withPageToken(token));
                    listed += page.objects().size();
                    token = page.nextPageToken();
                } while (token != null);
                System.out.printf("list %d: %d objects: %.1f us CPU, %.1f us wall per object%n", round, listed,
                        (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / listed, (System.nanoTime() - wall) / 1e3 / listed);
            }
        } finally {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
