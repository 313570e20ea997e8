package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Faults to inject into the emulator's next requests. Rules are checked in the order they were added;
 * the first one that matches a request and still has uses left applies, once per request.
 *
 * <pre>{@code
 * emulator.faults().failNext(1, 573, "too many requests");                  // the very next request
 * emulator.faults().inject(RequestMatcher.of("POST", "/stat/"), 2, Fault.status(503));
 * emulator.faults().injectNth(RequestMatcher.pathPrefix("/buckets/"), 3, Fault.resetConnection());
 * emulator.faults().inject(RequestMatcher.any(), 1, Fault.delay(Duration.ofMillis(200)));
 * }</pre>
 *
 * Thread-safe. {@link #applied()} tells how many faults fired, so a test can check its fault was hit.
 */
public final class FaultInjector {

    private final List<Rule> rules = new ArrayList<>();
    private int applied;

    FaultInjector() {
    }

    /** The next {@code times} requests, whatever they are, get {@code status} and {@code {"error": error}}. */
    public void failNext(int times, int status, String error) {
        inject(RequestMatcher.any(), times, Fault.status(status, error));
    }

    /** The next {@code times} requests matching {@code matcher} get {@code fault}. */
    public synchronized void inject(RequestMatcher matcher, int times, Fault fault) {
        requireNonNull(matcher, "matcher is null");
        requireNonNull(fault, "fault is null");
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1: " + times);
        }
        rules.add(new Rule(matcher, fault, 0, times));
    }

    /** Only the {@code nth} (1-based) request from now on that matches {@code matcher} gets {@code fault}. */
    public synchronized void injectNth(RequestMatcher matcher, int nth, Fault fault) {
        requireNonNull(matcher, "matcher is null");
        requireNonNull(fault, "fault is null");
        if (nth < 1) {
            throw new IllegalArgumentException("nth must be >= 1: " + nth);
        }
        rules.add(new Rule(matcher, fault, nth - 1, 1));
    }

    /** Drops every rule not yet used up. */
    public synchronized void clear() {
        rules.clear();
    }

    /** How many faults have been applied since the emulator started. */
    public synchronized int applied() {
        return applied;
    }

    /** How many rules still have uses left. */
    public synchronized int pending() {
        return rules.size();
    }

    /** The fault for this request, or null; consumes one use of the rule. */
    synchronized Fault next(String method, String path) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule rule = it.next();
            if (!rule.matcher.matches(method, path)) {
                continue;
            }
            if (rule.skip > 0) {
                rule.skip--;
                continue;
            }
            if (--rule.remaining == 0) {
                it.remove();
            }
            applied++;
            return rule.fault;
        }
        return null;
    }

    private static final class Rule {
        final RequestMatcher matcher;
        final Fault fault;
        int skip;
        int remaining;

        Rule(RequestMatcher matcher, Fault fault, int skip, int remaining) {
            this.matcher = matcher;
            this.fault = fault;
            this.skip = skip;
            this.remaining = remaining;
        }
    }
}
