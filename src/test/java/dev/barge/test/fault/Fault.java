package dev.barge.test.fault;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What an injected fault does to one request, whichever store is behind the {@link FaultProxy}:
 * the faults a network and an overloaded object store produce, each a way for a client to lose or
 * damage data if it is careless.
 */
public sealed interface Fault {

    /** An error answer instead of the server's: {@code status} with the store's error {@code code}. */
    static Fault error(int status, String code) {
        return new Error(status, code);
    }

    /** The store's "slow down": S3's 503 SlowDown, OSS's 503 ServerBusy, Kodo's 573. */
    static Fault throttle() {
        return new Throttle();
    }

    /** The connection is reset (TCP RST) before any response. */
    static Fault resetBeforeResponse() {
        return new ResetBeforeResponse();
    }

    /** The server's headers and half its body are sent, then the connection is reset. */
    static Fault resetMidBody() {
        return new ResetMidBody();
    }

    /** The headers announce the whole body, half of it is sent, then the connection is closed (FIN). */
    static Fault truncatedBody() {
        return new TruncatedBody();
    }

    /**
     * The headers announce {@code delta} bytes more (or, negative, fewer) than the body the server
     * sent; the body is sent whole and the connection closed. Announcing fewer is the dangerous one: a
     * client that trusts the length takes a prefix of the object for all of it.
     */
    static Fault wrongContentLength(int delta) {
        return new WrongContentLength(delta);
    }

    /** The server's answer, its body sent at {@code bytesPerSecond} in small slices. */
    static Fault slowBody(int bytesPerSecond) {
        return new SlowBody(bytesPerSecond);
    }

    /** The request is held back {@code delay}, then passed on and answered normally (a WAN's latency). */
    static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    record Error(int status, String code) implements Fault {
        public Error {
            if (status < 400 || status > 999) {
                throw new IllegalArgumentException("an error status is 400..999: " + status);
            }
            requireNonNull(code, "code is null");
        }
    }

    record Throttle() implements Fault {}

    record ResetBeforeResponse() implements Fault {}

    record ResetMidBody() implements Fault {}

    record TruncatedBody() implements Fault {}

    record WrongContentLength(int delta) implements Fault {
        public WrongContentLength {
            if (delta == 0) {
                throw new IllegalArgumentException("a wrong length differs from the right one");
            }
        }
    }

    record SlowBody(int bytesPerSecond) implements Fault {
        public SlowBody {
            if (bytesPerSecond < 1) {
                throw new IllegalArgumentException("bytesPerSecond must be positive: " + bytesPerSecond);
            }
        }
    }

    record Delay(Duration delay) implements Fault {
        public Delay {
            requireNonNull(delay, "delay is null");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay is negative: " + delay);
            }
        }
    }
}
