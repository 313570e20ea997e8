package dev.barge.batch;

/** How a migration decides that the target already holds a source object. */
public enum IdentityCheck {
    /**
     * Same size and same checksum, compared in an algorithm both listings report; where none is
     * common, the MD5 a multipart copy recorded in the target's metadata (one HEAD request); where
     * that is absent too, same size and a target not older than the source (to the second).
     */
    CHECKSUM,
    /** Same size and a target not older than the source, compared to the second as stores report times. */
    SIZE_AND_MTIME,
    /** Same size. */
    SIZE_ONLY
}
