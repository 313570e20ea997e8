package dev.barge.storage;

import java.util.Locale;

/**
 * The operations of {@link ObjectStore}, named once so that errors, metrics, logs and rate
 * limits speak of them the same way.
 */
public enum Operation {
    /** Turning a location or remote name into a store, before any request is sent. */
    RESOLVE,
    LIST,
    STAT,
    GET,
    PUT,
    DELETE,
    DELETE_BATCH,
    COPY,
    APPEND,
    MULTIPART_INITIATE,
    MULTIPART_UPLOAD_PART,
    /** A part of a multipart upload copied by the store from a range of another object (UploadPartCopy). */
    MULTIPART_UPLOAD_PART_COPY,
    MULTIPART_COMPLETE,
    MULTIPART_ABORT,
    SET_STORAGE_CLASS,
    RESTORE,
    PRESIGN,
    SYNC,
    CREATE_BUCKET,
    LIST_BUCKETS,
    DELETE_BUCKET;

    /** Lower-case name used in messages and metric tags, e.g. {@code multipart_upload_part}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether sending this operation twice has the same effect as sending it once. */
    public boolean isIdempotent() {
        return this != APPEND && this != RESOLVE;
    }
}
