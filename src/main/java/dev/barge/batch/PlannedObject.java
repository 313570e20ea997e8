package dev.barge.batch;

import static java.util.Objects.requireNonNull;

/**
 * What a migration does with one key.
 *
 * @param pair the key and the objects on each side
 * @param action what to do
 */
public record PlannedObject(ObjectPair pair, Action action) {
    public PlannedObject {
        requireNonNull(pair, "pair is null");
        requireNonNull(action, "action is null");
    }

    public enum Action {
        /** Copy the source object to the target. */
        COPY,
        /** The target already holds the same object. */
        SKIP_IDENTICAL,
        /** The filters leave the source object out. */
        SKIP_FILTERED,
        /** Only the target has it, and the job deletes such objects (sync with delete-extraneous). */
        DELETE_EXTRANEOUS,
        /** Only the target has it, and the job leaves it alone. */
        KEEP_EXTRANEOUS
    }
}
