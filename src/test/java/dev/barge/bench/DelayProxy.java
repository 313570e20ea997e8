package dev.barge.bench;

import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultProxy;
import dev.barge.test.fault.FaultRule;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A WAN in front of a server, for {@code bench/run.sh}'s latency case: the test tree's
 * {@link FaultProxy} holding every request back a fixed delay before it passes it on, the way a
 * distant store's round trip does. Prints its endpoint on the first line, then runs until killed.
 *
 * <p>Usage: {@code DelayProxy SERVER_ENDPOINT MILLISECONDS}.
 */
public final class DelayProxy {
    private DelayProxy() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: DelayProxy http://HOST:PORT MILLISECONDS");
            System.exit(2);
        }
        FaultProxy proxy = FaultProxy.inFrontOf(args[0], FaultProxy.Protocol.S3);
        proxy.faults().add(FaultRule.builder().always()
                .fault(Fault.delay(Duration.ofMillis(Long.parseLong(args[1])))).build());
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "close the delay proxy"));
        System.out.println(proxy.endpoint());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
