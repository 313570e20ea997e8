package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What an injected fault does to a request. Create with the factory methods:
 * {@link #status(int, String)} answers an error instead of processing the request,
 * {@link #delay(Duration)} holds the request back then processes it normally,
 * {@link #resetConnection()} drops the connection with a TCP reset and no response.
 */
public sealed interface Fault permits Fault.Status, Fault.Delay, Fault.Reset {

    /** Answers {@code status} with {@code {"error": error}} (and an X-Reqid) instead of processing. */
    static Fault status(int status, String error) {
        return new Status(status, error);
    }

    /** Answers {@code status} with Kodo's usual text for it (573 "too many requests", 503 ...). */
    static Fault status(int status) {
        return new Status(status, defaultError(status));
    }

    /** Processes the request normally after {@code delay}; the event loop is not blocked meanwhile. */
    static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    /** Closes the connection with a TCP reset (SO_LINGER 0) before answering. */
    static Fault resetConnection() {
        return new Reset();
    }

    /** An error answer. */
    record Status(int status, String error) implements Fault {
        public Status {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status must have three digits: " + status);
            }
            requireNonNull(error, "error is null");
        }
    }

    /** A delay before normal processing. */
    record Delay(Duration delay) implements Fault {
        public Delay {
            requireNonNull(delay, "delay is null");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay is negative: " + delay);
            }
        }
    }

    /** A connection reset. */
    record Reset() implements Fault {
    }

    private static String defaultError(int status) {
        return switch (status) {
            case 429, 573 -> "too many requests";
            case 500 -> "internal server error";
            case 502 -> "bad gateway";
            case 503 -> "service unavailable";
            case 504 -> "gateway timeout";
            case 599 -> "server operation failed";
            default -> "injected fault";
        };
    }
}
