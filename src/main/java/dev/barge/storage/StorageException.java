package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Locale;

/**
 * The one exception every {@link ObjectStore} throws. It says what kind of failure happened
 * ({@link #kind()}), whether trying again may help ({@link #isRetryable()}), and where: the
 * operation, bucket and key, plus the vendor's error code and request id when the store sent
 * them. Messages never contain credentials.
 *
 * <p>An exception that has already been retried by the retry layer reports
 * {@link #isRetryable()} {@code false} and its {@link #attempts()}: retries happen in exactly one
 * place, never again higher up.
 */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final Operation operation;
    private final String bucket;
    private final String key;
    private final String detail;
    private final String vendorCode;
    private final String requestId;
    private final String host;
    private final int attempts;
    private final boolean retriesExhausted;

    private StorageException(Builder b) {
        super(format(b), b.cause);
        this.kind = b.kind;
        this.operation = b.operation;
        this.bucket = b.bucket;
        this.key = b.key;
        this.detail = b.detail;
        this.vendorCode = b.vendorCode;
        this.requestId = b.requestId;
        this.host = b.host;
        this.attempts = b.attempts;
        this.retriesExhausted = b.retriesExhausted;
    }

    /** Starts an exception of the given kind for an operation. */
    public static Builder builder(ErrorKind kind, Operation operation) {
        return new Builder(kind, operation);
    }

    /** Shorthand for an {@link ErrorKind#INVALID_ARGUMENT} failure on one object. */
    public static StorageException invalidArgument(Operation operation, String bucket, String key, String detail) {
        return builder(ErrorKind.INVALID_ARGUMENT, operation).bucket(bucket).key(key).detail(detail).build();
    }

    /** Shorthand for the failure of an optional operation the store does not offer. */
    public static StorageException unsupported(Operation operation, String bucket, String key, String detail) {
        return builder(ErrorKind.UNSUPPORTED, operation).bucket(bucket).key(key).detail(detail).build();
    }

    public ErrorKind kind() {
        return kind;
    }

    public Operation operation() {
        return operation;
    }

    /** The bucket, or {@code null} for operations on no bucket. */
    public String bucket() {
        return bucket;
    }

    /** The key (or prefix, for listings), or {@code null} for bucket operations. */
    public String key() {
        return key;
    }

    /** The human explanation, without the location and codes that {@link #getMessage()} adds. */
    public String detail() {
        return detail;
    }

    /** This failure as one line for the user: a bad input's own explanation, else the full message. */
    public String userMessage() {
        return kind == ErrorKind.INVALID_ARGUMENT && detail != null ? detail : getMessage();
    }

    /** The vendor's own error code ({@code NoSuchKey}, {@code 612}, ...), or {@code null}. */
    public String vendorCode() {
        return vendorCode;
    }

    /** The vendor's request id, to quote to their support, or {@code null}. */
    public String requestId() {
        return requestId;
    }

    /**
     * The host the failed request was sent to, as the remote names it or as the driver chose it (a
     * region's default host), when the driver reports it: for failures without an answer, where the
     * remote's endpoint alone would not say where the request went. {@code null} otherwise.
     */
    public String host() {
        return host;
    }

    /**
     * Whether the request never reached the store because no connection could be made: refused, timed
     * out while connecting, no route, a host name that does not resolve. Read from the cause chain, so
     * that every driver's failures are told apart the same way.
     */
    public boolean isConnectFailure() {
        for (Throwable t = getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof HttpConnectTimeoutException || (t instanceof SocketTimeoutException
                            && t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).startsWith("connect"))) {
                return true;
            }
        }
        return false;
    }

    /** How many times the operation was sent before this failure was given up on (1 if not retried). */
    public int attempts() {
        return attempts;
    }

    /**
     * Whether sending the operation again may succeed: true for retryable kinds, unless the
     * retry layer has already spent its attempts on this failure.
     */
    public boolean isRetryable() {
        return kind.isRetryable() && !retriesExhausted;
    }

    /** This failure, marked as final after the given number of attempts. */
    public StorageException afterAttempts(int attempts) {
        Builder b = toBuilder();
        b.attempts = attempts;
        b.retriesExhausted = true;
        b.cause = this;
        StorageException exhausted = b.build();
        exhausted.setStackTrace(getStackTrace());
        return exhausted;
    }

    private Builder toBuilder() {
        Builder b = new Builder(kind, operation);
        b.bucket = bucket;
        b.key = key;
        b.detail = detail;
        b.vendorCode = vendorCode;
        b.requestId = requestId;
        b.host = host;
        b.attempts = attempts;
        b.retriesExhausted = retriesExhausted;
        b.cause = getCause();
        return b;
    }

    private static String format(Builder b) {
        StringBuilder s = new StringBuilder(b.operation.label());
        if (b.bucket != null) {
            s.append(' ').append(b.bucket);
            if (b.key != null) {
                s.append('/').append(b.key);
            }
        }
        s.append(": ").append(b.detail != null ? b.detail : b.kind.name().toLowerCase(java.util.Locale.ROOT));
        s.append(" [").append(b.kind);
        if (b.vendorCode != null) {
            s.append(", code ").append(b.vendorCode);
        }
        if (b.requestId != null) {
            s.append(", request id ").append(b.requestId);
        }
        if (b.attempts > 1) {
            s.append(", after ").append(b.attempts).append(" attempts");
        }
        return s.append(']').toString();
    }

    /** Builds a {@link StorageException}; only the kind and operation are required. */
    public static final class Builder {
        private final ErrorKind kind;
        private final Operation operation;
        private String bucket;
        private String key;
        private String detail;
        private String vendorCode;
        private String requestId;
        private String host;
        private Throwable cause;
        private int attempts = 1;
        private boolean retriesExhausted;

        private Builder(ErrorKind kind, Operation operation) {
            this.kind = requireNonNull(kind, "kind is null");
            this.operation = requireNonNull(operation, "operation is null");
        }

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /** What went wrong and, where it helps, what to do about it. Never include secrets. */
        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public Builder vendorCode(String vendorCode) {
            this.vendorCode = vendorCode;
            return this;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        /** {@code host[:port]} the failed request went to; see {@link StorageException#host()}. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        public StorageException build() {
            return new StorageException(this);
        }
    }
}
