package dev.barge.bench;

import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultProxy;
import dev.barge.test.fault.FaultRule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A WAN in front of a server, for {@code bench/run.sh}'s latency case: the test tree's
 * {@link FaultProxy} holding every request back a fixed delay before it passes it on, the way a
 * distant store's round trip does. Prints its endpoint on the first line, then runs until killed.
 *
 * <p>With a third argument it appends one line per request to that file, {@code METHOD TARGET} (path
 * and query as sent), as the request arrives: the benchmark counts a run's listings from it.
 *
 * <p>Usage: {@code DelayProxy SERVER_ENDPOINT MILLISECONDS [REQUEST_LOG]}.
 */
public final class DelayProxy {
    private DelayProxy() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: DelayProxy http://HOST:PORT MILLISECONDS [REQUEST_LOG]");
            System.exit(2);
        }
        PrintWriter log = args.length == 3
                ? new PrintWriter(Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8), true) : null;
        FaultProxy proxy = FaultProxy.inFrontOf(args[0], FaultProxy.Protocol.S3);
        FaultRule.Builder delay = FaultRule.builder().always();
        if (log != null) {
            // rules are asked one request at a time (FaultRule.select is synchronized): lines don't interleave
            delay.matching(request -> {
                log.println(request);
                return true;
            });
        }
        proxy.faults().add(delay.fault(Fault.delay(Duration.ofMillis(Long.parseLong(args[1])))).build());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            if (log != null) {
                log.close();
            }
        }, "close the delay proxy"));
        System.out.println(proxy.endpoint());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
