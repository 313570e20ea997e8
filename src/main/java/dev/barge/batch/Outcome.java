package dev.barge.batch;

/** What happened to an object, as totals count it. */
public enum Outcome {
    COPIED,
    SKIPPED_IDENTICAL,
    SKIPPED_FILTERED,
    FAILED,
    DELETED,
    /** An object's storage class was changed (archive). */
    ARCHIVED,
    /** An object already had the storage class asked for (archive). */
    ALREADY_IN_CLASS,
    /** A restore was asked for (restore). */
    RESTORE_REQUESTED,
    /** A restore had been asked for before, and has not finished (restore). */
    RESTORE_IN_PROGRESS,
    /** The object can be read: restored, or found restored (restore). */
    RESTORED,
    /** The object is not archived: it can be read without a restore (restore). */
    NOT_ARCHIVED,
    /** Both sides hold the object, and they are identical by the job's check (verify). */
    MATCHED,
    /** The source holds the object, the target does not (verify). */
    MISSING_AT_TARGET,
    /** The target holds the object, the source does not (verify). */
    MISSING_AT_SOURCE,
    /** Both sides hold the object, and their size, checksum or content differs (verify). */
    DIFFERENT
}
