package dev.barge.test.fault;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What an injected fault does to one request, whichever server gives it (the {@link FaultProxy} in
 * front of any store, or the OSS and Kodo emulators themselves): the faults a network and an
 * overloaded object store produce, each a way for a client to lose or damage data if it is careless.
 * Each server words the store's errors its own way (S3's and OSS's XML, Kodo's JSON); what the other
 * faults do on the wire is {@link FaultWire}'s, the same everywhere.
 */
public sealed interface Fault {

    /**
     * An error answer instead of the server's: {@code status} with the store's error {@code code}
     * and its usual message for that code.
     *
     * @param code S3's and OSS's {@code <Code>} ({@code InternalError}, {@code ServerBusy}); for Kodo,
     *     which has no codes beside its statuses, the text of its {@code {"error": ...}} body
     *     ({@code "too many requests"})
     */
    static Fault error(int status, String code) {
        return new Error(status, code, null);
    }

    /**
     * An error answer with this {@code message}: S3's and OSS's {@code <Message>}. Kodo's body has
     * the code only, and the message is not sent.
     */
    static Fault error(int status, String code, String message) {
        return new Error(status, code, requireNonNull(message, "message is null"));
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

    /** The request is held back {@code delay}, then answered normally (a WAN's latency). */
    static Fault delay(Duration delay) {
        return new Delay(delay, null);
    }

    /** The request is held back {@code delay}, then given {@code then} (a slow front end that fails). */
    static Fault delay(Duration delay, Fault then) {
        return new Delay(delay, requireNonNull(then, "then is null"));
    }

    /**
     * An error answer.
     *
     * @param message the store's message, or {@code null} for its usual one for {@code code}
     */
    record Error(int status, String code, String message) implements Fault {
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

    /**
     * A delay before the request is given {@code then}.
     *
     * @param then the fault after the delay, or {@code null}: the request is then answered normally
     */
    record Delay(Duration delay, Fault then) implements Fault {
        public Delay {
            requireNonNull(delay, "delay is null");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay is negative: " + delay);
            }
        }
    }
}
