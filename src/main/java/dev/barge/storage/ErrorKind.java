package dev.barge.storage;

/**
 * What went wrong, independent of the vendor. Every driver maps its SDK's errors onto these
 * kinds in one place ({@code S3Errors}, {@code OssErrors}, {@code QiniuErrors}, ...), so that
 * retry, skip and reporting decisions are made once, here, for every store.
 */
public enum ErrorKind {
    /** The object does not exist (or, for multipart calls, the upload does not). */
    NOT_FOUND(false),
    /** The bucket does not exist. */
    BUCKET_NOT_FOUND(false),
    /** The credentials are valid but not allowed to do this. */
    ACCESS_DENIED(false),
    /** The credentials are unknown, expired, or sign requests wrongly (wrong secret). */
    INVALID_CREDENTIALS(false),
    /** A condition of the request (if-match, expected checksum state, ...) did not hold. */
    PRECONDITION_FAILED(false),
    /**
     * The request conflicts with the current state: an append at the wrong position, a bucket
     * that is not empty, a bucket name already taken, a key that collides with a directory.
     */
    CONFLICT(false),
    /** The store asked us to slow down (HTTP 429, S3 SlowDown, OSS ServerBusy, Qiniu 573). */
    THROTTLED(true),
    /** A failure that usually goes away: 5xx, connection reset, timeout. */
    TRANSIENT(true),
    /** The request itself is wrong: a bad key or bucket name, an unsatisfiable range, a part too small. */
    INVALID_ARGUMENT(false),
    /** The store cannot do this at all; see {@link Capabilities}. Raised before any request is sent. */
    UNSUPPORTED(false),
    /**
     * The object is in an archive storage class and cannot be read until a restore has
     * finished (S3/OSS {@code InvalidObjectState}, Qiniu archived-file errors).
     */
    ARCHIVED(false),
    /**
     * The bytes that arrived are not the bytes that were sent: a checksum did not match.
     * Retryable: sending the data again usually fixes it.
     */
    CHECKSUM_MISMATCH(true),
    /** Any other failure that will not go away by trying again. */
    PERMANENT(false);

    private final boolean retryable;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether an operation failing with this kind may succeed if it is sent again unchanged. */
    public boolean isRetryable() {
        return retryable;
    }
}
