package dev.barge.batch;

/** What happened to an object, as totals count it. */
public enum Outcome {
    COPIED,
    SKIPPED_IDENTICAL,
    SKIPPED_FILTERED,
    FAILED,
    DELETED
}
