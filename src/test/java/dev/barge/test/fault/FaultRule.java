package dev.barge.test.fault;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Which requests get which fault, how many of them, how often. A rule counts the requests its
 * filters match; it lets the first {@link Builder#skip} through, then fires on the next
 * {@link Builder#times} (each with {@link Builder#probability}, from a seeded random source, so a
 * run can be repeated), and is exhausted after that. With several faults it picks one at random
 * for each request it fires on.
 *
 * <pre>{@code
 * // 10 % of every request, forever, one of four faults each time, reproducibly
 * proxy.faults().add(FaultRule.builder().always().probability(0.1, 42)
 *         .faults(Fault.throttle(), Fault.resetBeforeResponse(), Fault.resetMidBody(), Fault.truncatedBody())
 *         .build());
 * // the next two GETs of keys under "big/" have their body cut short
 * proxy.faults().add(FaultRule.builder().method("GET").keyPrefix("big/").times(2).fault(Fault.truncatedBody()).build());
 * // the second Kodo stat from now is answered 573 after 100 ms
 * kodo.faults().add(FaultRule.builder().method("POST").pathPrefix("/stat/").skip(1)
 *         .fault(Fault.delay(Duration.ofMillis(100), Fault.throttle())).build());
 * }</pre>
 *
 * <p>The same rules go to a {@link FaultProxy} and to the OSS and Kodo emulators'
 * {@code faults()}; the emulators apply them before checking the signature, as a front end would fail.
 */
public final class FaultRule {
    private final Predicate<FaultRequest> filter;
    private final String description;
    private final int skip;
    private final int times;
    private final double probability;
    private final SplittableRandom random;
    private final List<Fault> faults;
    private int matched;
    private int fired;

    private FaultRule(Builder b) {
        this.filter = b.filter;
        this.description = b.description + " -> " + b.faults;
        this.skip = b.skip;
        this.times = b.times;
        this.probability = b.probability;
        this.random = new SplittableRandom(b.seed);
        this.faults = List.copyOf(b.faults);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The fault this rule gives {@code request}, or {@code null} when it lets it through; counts the match. */
    synchronized Fault select(FaultRequest request) {
        if (fired >= times || !filter.test(request)) {
            return null;
        }
        matched++;
        if (matched <= skip || (probability < 1.0 && random.nextDouble() >= probability)) {
            return null;
        }
        fired++;
        return faults.size() == 1 ? faults.get(0) : faults.get(random.nextInt(faults.size()));
    }

    /** How many requests this rule has fired on. */
    public synchronized int fired() {
        return fired;
    }

    /** How many requests its filters have matched, fired on or not. */
    public synchronized int matched() {
        return matched;
    }

    /** Whether it has fired as many times as it may. */
    public synchronized boolean exhausted() {
        return fired >= times;
    }

    @Override
    public String toString() {
        return description;
    }

    /** Builds a {@link FaultRule}: without filters it matches every request; it fires once unless told. */
    public static final class Builder {
        private Predicate<FaultRequest> filter = request -> true;
        private String description = "any";
        private int skip;
        private int times = 1;
        private double probability = 1.0;
        private long seed = 1;
        private List<Fault> faults = List.of();

        private Builder() {}

        /** Only requests with this method ("GET", "PUT", ...). */
        public Builder method(String method) {
            requireNonNull(method, "method is null");
            return filter("method=" + method, r -> r.method().equalsIgnoreCase(method));
        }

        /** Only requests on this bucket (where the server tells; see {@link FaultRequest}). */
        public Builder bucket(String bucket) {
            requireNonNull(bucket, "bucket is null");
            return filter("bucket=" + bucket, r -> bucket.equals(r.bucket()));
        }

        /**
         * Only requests about one object whose decoded key starts with {@code prefix} (where the
         * server tells the key: S3 and OSS, not Kodo; see {@link FaultRequest}).
         */
        public Builder keyPrefix(String prefix) {
            requireNonNull(prefix, "prefix is null");
            return filter("key^=" + prefix, r -> r.key() != null && r.key().startsWith(prefix));
        }

        /** Only requests whose path, still encoded and without the query, starts with {@code prefix} ("/stat/"). */
        public Builder pathPrefix(String prefix) {
            requireNonNull(prefix, "prefix is null");
            return filter("path^=" + prefix, r -> r.path().startsWith(prefix));
        }

        /** Only requests whose query names {@code parameter} ("uploadId", "partNumber", "delete", ...). */
        public Builder parameter(String parameter) {
            requireNonNull(parameter, "parameter is null");
            return filter("param=" + parameter, r -> r.hasParameter(parameter));
        }

        /** Only requests that {@code predicate} accepts. */
        public Builder matching(Predicate<FaultRequest> predicate) {
            requireNonNull(predicate, "predicate is null");
            return filter("predicate", predicate);
        }

        private Builder filter(String what, Predicate<FaultRequest> more) {
            Predicate<FaultRequest> before = filter;
            filter = r -> before.test(r) && more.test(r);
            description = description.equals("any") ? what : description + " " + what;
            return this;
        }

        /** Lets the first {@code n} matching requests through. */
        public Builder skip(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("skip must be >= 0: " + n);
            }
            skip = n;
            return this;
        }

        /** Fires on at most {@code n} requests. */
        public Builder times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("times must be >= 1: " + n);
            }
            times = n;
            return this;
        }

        /** Never exhausted. */
        public Builder always() {
            times = Integer.MAX_VALUE;
            return this;
        }

        /** Fires on each matching request with probability {@code p}, drawn from a source seeded with {@code seed}. */
        public Builder probability(double p, long seed) {
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("a probability is in (0, 1]: " + p);
            }
            this.probability = p;
            this.seed = seed;
            return this;
        }

        public Builder fault(Fault fault) {
            return faults(fault);
        }

        /** One of these, chosen at random, each time the rule fires. */
        public Builder faults(Fault... faults) {
            if (faults.length == 0) {
                throw new IllegalArgumentException("at least one fault");
            }
            this.faults = List.of(faults);
            return this;
        }

        public FaultRule build() {
            if (faults.isEmpty()) {
                throw new IllegalStateException("a rule needs a fault");
            }
            return new FaultRule(this);
        }
    }
}
