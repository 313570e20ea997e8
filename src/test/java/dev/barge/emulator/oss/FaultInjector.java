package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The emulator's fault rules. Rules are tried in the order they were added; the first one that
 * fires on a request decides what happens to it. Thread-safe; rules can be added while
 * requests are running.
 *
 * <pre>{@code
 * emulator.faults().failNext(1, 503, "ServerBusy");   // the next request, whatever it is
 * emulator.faults().resetNext(1);                       // the next request: connection reset
 * emulator.faults().failNthRequest(3, 500, "InternalError");
 * emulator.faults().add(FaultRule.builder().method("GET").keyPrefix("big/").truncateBody().build());
 * emulator.faults().clear();
 * }</pre>
 *
 * @see FaultRule
 */
public final class FaultInjector {

    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();

    FaultInjector() {}

    /** Adds a rule after the existing ones and returns it (to ask it {@link FaultRule#fired()} later). */
    public FaultRule add(FaultRule rule) {
        rules.add(requireNonNull(rule, "rule is null"));
        return rule;
    }

    /** The next {@code count} requests, of any kind, get an error with {@code status} and {@code code}. */
    public FaultRule failNext(int count, int status, String code) {
        return add(FaultRule.builder().times(count).error(status, code).build());
    }

    /** The {@code n}-th request from now (1 = the next one) gets an error. */
    public FaultRule failNthRequest(int n, int status, String code) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive: " + n);
        }
        return add(FaultRule.builder().skip(n - 1).error(status, code).build());
    }

    /** The next {@code count} requests have their connection reset without a response. */
    public FaultRule resetNext(int count) {
        return add(FaultRule.builder().times(count).resetConnection().build());
    }

    public void remove(FaultRule rule) {
        rules.remove(rule);
    }

    /** Removes every rule. */
    public void clear() {
        rules.clear();
    }

    /** The rules currently registered, exhausted ones included. */
    public List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    /** The rule that takes this request, or {@code null}. */
    FaultRule select(OssRequestLine request) {
        for (FaultRule rule : rules) {
            if (rule.fires(request)) {
                return rule;
            }
        }
        return null;
    }
}
