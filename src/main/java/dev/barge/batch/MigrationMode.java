package dev.barge.batch;

/** What a migration leaves behind. */
public enum MigrationMode {
    /** Copy what is missing or different; touch nothing else. */
    COPY,
    /** Copy, and with delete-extraneous also delete target objects the source does not have. */
    SYNC,
    /** Copy, then delete each source object whose copy was verified (or was already identical). */
    MOVE
}
