package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * One fault to inject: which requests it applies to, how many of them, and what happens to
 * them. Build with {@link #builder()} and register with {@link FaultInjector#add(FaultRule)}.
 *
 * <pre>{@code
 * // the next two PUTs under "logs/" get 503 ServerBusy, after a 100 ms pause
 * emulator.faults().add(FaultRule.builder()
 *         .method("PUT").keyPrefix("logs/")
 *         .times(2)
 *         .delay(Duration.ofMillis(100))
 *         .error(503, "ServerBusy")
 *         .build());
 *
 * // the third GET from now has its connection reset without a response
 * emulator.faults().add(FaultRule.builder().method("GET").skip(2).resetConnection().build());
 *
 * // about 10% of all UploadPart requests fail with 500, forever, reproducibly
 * emulator.faults().add(FaultRule.builder().parameter("partNumber").always()
 *         .probability(0.1, 42).error(500, "InternalError").build());
 * }</pre>
 *
 * <p>A rule counts the requests that match its filters. It lets the first {@link Builder#skip}
 * of them through, then fires on the next {@link Builder#times} of them (each subject to
 * {@link Builder#probability}), and is exhausted after that. Faults are applied before the
 * signature check, as a front end would fail.
 */
public final class FaultRule {

    /** What happens to a request the rule fires on. */
    public enum Action {
        /** Only the delay: the request is then served normally. */
        DELAY_ONLY,
        /** An OSS error response with the rule's status and code. */
        ERROR,
        /** The connection is closed with a TCP reset, no response. */
        RESET_CONNECTION,
        /**
         * The request is served, but the response body stops halfway (headers announce the
         * full length) and the connection is closed: a broken download.
         */
        TRUNCATE_BODY
    }

    private final Predicate<OssRequestLine> predicate;
    private final int skip;
    private final int times;
    private final double probability;
    private final SplittableRandom random;
    private final Duration delay;
    private final Action action;
    private final int status;
    private final String code;
    private final String message;
    private final String description;
    private int matched;
    private int fired;

    private FaultRule(Builder builder) {
        this.predicate = builder.predicate;
        this.skip = builder.skip;
        this.times = builder.times;
        this.probability = builder.probability;
        this.random = new SplittableRandom(builder.seed);
        this.delay = builder.delay;
        this.action = builder.action;
        this.status = builder.status;
        this.code = builder.code;
        this.message = builder.message != null ? builder.message : defaultMessage(builder.code);
        this.description = builder.filters + " -> " + switch (action) {
            case ERROR -> status + " " + code;
            case RESET_CONNECTION -> "reset";
            case TRUNCATE_BODY -> "truncated body";
            case DELAY_ONLY -> "delay " + delay.toMillis() + " ms";
        };
    }

    /** A new rule builder; without filters a rule matches every request. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether this rule takes {@code request}; counts the match either way. */
    synchronized boolean fires(OssRequestLine request) {
        if (fired >= times || !predicate.test(request)) {
            return false;
        }
        matched++;
        if (matched <= skip) {
            return false;
        }
        if (probability < 1.0 && random.nextDouble() >= probability) {
            return false;
        }
        fired++;
        return true;
    }

    /** How many requests this rule has fired on so far. */
    public synchronized int fired() {
        return fired;
    }

    /** Whether the rule has fired as many times as allowed. */
    public synchronized boolean exhausted() {
        return fired >= times;
    }

    public Action action() {
        return action;
    }

    public Duration delay() {
        return delay;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String message() {
        return message;
    }

    @Override
    public String toString() {
        return description;
    }

    private static String defaultMessage(String code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "ServerBusy" -> "Please reduce your request rate.";
            case "InternalError" -> "We encountered an internal error. Please try again.";
            case "ServiceUnavailable" -> "Service is unavailable, please try again later.";
            case "RequestTimeout" -> "Your socket connection to the server was not read from or written to within "
                    + "the timeout period.";
            default -> "Injected fault: " + code;
        };
    }

    /** Builds a {@link FaultRule}; every filter narrows the requests it applies to. */
    public static final class Builder {

        private Predicate<OssRequestLine> predicate = request -> true;
        private final StringBuilder filters = new StringBuilder("any");
        private int skip;
        private int times = 1;
        private double probability = 1.0;
        private long seed = 1;
        private Duration delay = Duration.ZERO;
        private Action action;
        private int status;
        private String code;
        private String message;

        private Builder() {}

        /** Only requests with this HTTP method ("GET", "PUT"...). */
        public Builder method(String method) {
            requireNonNull(method, "method is null");
            return filter("method=" + method, request -> request.method().equalsIgnoreCase(method));
        }

        /** Only requests on this bucket. */
        public Builder bucket(String bucket) {
            requireNonNull(bucket, "bucket is null");
            return filter("bucket=" + bucket, request -> bucket.equals(request.bucket()));
        }

        /** Only requests on one object whose key starts with {@code prefix}. */
        public Builder keyPrefix(String prefix) {
            requireNonNull(prefix, "prefix is null");
            return filter("keyPrefix=" + prefix, request -> request.key() != null && request.key().startsWith(prefix));
        }

        /** Only requests whose query names {@code parameter} (e.g. "uploadId", "append", "delete"). */
        public Builder parameter(String parameter) {
            requireNonNull(parameter, "parameter is null");
            return filter("param=" + parameter, request -> request.hasParameter(parameter));
        }

        /** Only requests accepted by {@code predicate}. */
        public Builder matching(Predicate<OssRequestLine> predicate) {
            requireNonNull(predicate, "predicate is null");
            return filter("predicate", predicate);
        }

        /** Lets the first {@code count} matching requests through untouched (the rule fires on match count+1). */
        public Builder skip(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("skip must not be negative: " + count);
            }
            this.skip = count;
            return this;
        }

        /** Fires on {@code count} matching requests, then is exhausted. Default 1. */
        public Builder times(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("times must be positive: " + count);
            }
            this.times = count;
            return this;
        }

        /** Fires on every matching request, never exhausted. */
        public Builder always() {
            this.times = Integer.MAX_VALUE;
            return this;
        }

        /** Fires on a share of the matching requests, drawn from a random sequence seeded with {@code seed}. */
        public Builder probability(double share, long seed) {
            if (!(share > 0.0 && share <= 1.0)) {
                throw new IllegalArgumentException("share must be in (0, 1]: " + share);
            }
            this.probability = share;
            this.seed = seed;
            return this;
        }

        /** Waits this long before acting (or before serving the request, with no other action). */
        public Builder delay(Duration delay) {
            requireNonNull(delay, "delay is null");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative: " + delay);
            }
            this.delay = delay;
            return this;
        }

        /** Answers with an OSS error: {@code status} and {@code code}, with OSS's usual message for the code. */
        public Builder error(int status, String code) {
            return error(status, code, null);
        }

        /** Answers with an OSS error with this message. */
        public Builder error(int status, String code, String message) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("status must be a 4xx or 5xx: " + status);
            }
            this.action = Action.ERROR;
            this.status = status;
            this.code = requireNonNull(code, "code is null");
            this.message = message;
            return this;
        }

        /** Resets the connection without a response. */
        public Builder resetConnection() {
            this.action = Action.RESET_CONNECTION;
            return this;
        }

        /** Serves the request but cuts the response body halfway and closes the connection. */
        public Builder truncateBody() {
            this.action = Action.TRUNCATE_BODY;
            return this;
        }

        public FaultRule build() {
            if (action == null) {
                if (delay.isZero()) {
                    throw new IllegalStateException("a fault rule needs an action (error, resetConnection, "
                            + "truncateBody) or a delay");
                }
                action = Action.DELAY_ONLY;
            }
            return new FaultRule(this);
        }

        private Builder filter(String description, Predicate<OssRequestLine> condition) {
            predicate = predicate.and(condition);
            if (filters.toString().equals("any")) {
                filters.setLength(0);
            } else {
                filters.append(',');
            }
            filters.append(description);
            return this;
        }
    }
}
