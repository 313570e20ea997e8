package dev.barge.test.fault;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault rules of one server (a {@link FaultProxy}, an OSS or Kodo emulator), tried in the order
 * they were added: the first that fires on a request decides its fault. Thread-safe; rules may be
 * added while requests run.
 *
 * <pre>{@code
 * emulator.faults().next(1, Fault.error(503, "ServerBusy"));    // the next request, whatever it is
 * emulator.faults().next(1, Fault.resetBeforeResponse());
 * FaultRule rule = emulator.faults().add(FaultRule.builder().method("GET").keyPrefix("big/")
 *         .fault(Fault.truncatedBody()).build());
 * rule.fired();
 * emulator.faults().clear();
 * }</pre>
 */
public final class Faults {
    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();

    /** Adds a rule after the others and returns it, to ask it {@link FaultRule#fired()} later. */
    public FaultRule add(FaultRule rule) {
        rules.add(requireNonNull(rule, "rule is null"));
        return rule;
    }

    /** The next {@code n} requests, whatever they are, get {@code fault}. */
    public FaultRule next(int n, Fault fault) {
        return add(FaultRule.builder().times(n).fault(fault).build());
    }

    /** Takes {@code rule} out; it fires no more. */
    public void remove(FaultRule rule) {
        rules.remove(rule);
    }

    /** Takes every rule out. The counts of requests and faults go on. */
    public void clear() {
        rules.clear();
    }

    /** Requests seen since the server started. */
    public long requests() {
        return requests.get();
    }

    /** Requests given a fault since the server started: a test's way to tell its fault was hit, or to count requests. */
    public long faulted() {
        return faulted.get();
    }

    /** The fault for {@code request}, or {@code null}; counts the request, and the fault. */
    public Fault select(FaultRequest request) {
        requests.incrementAndGet();
        for (FaultRule rule : rules) {
            Fault fault = rule.select(request);
            if (fault != null) {
                faulted.incrementAndGet();
                return fault;
            }
        }
        return null;
    }
}
