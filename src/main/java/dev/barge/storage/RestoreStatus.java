package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Where an archived object stands with respect to a restore.
 *
 * @param state see {@link State}
 * @param readableUntil when a restored copy expires; {@code null} unless {@link State#RESTORED}
 *     and the store says
 */
public record RestoreStatus(State state, Instant readableUntil) {

    /** No restore requested, or the object is not archived. */
    public static final RestoreStatus NONE = new RestoreStatus(State.NONE, null);

    /** A restore has been requested and has not finished. */
    public static final RestoreStatus IN_PROGRESS = new RestoreStatus(State.IN_PROGRESS, null);

    public RestoreStatus {
        requireNonNull(state, "state is null");
        if (readableUntil != null && state != State.RESTORED) {
            throw new IllegalArgumentException("only a restored object has an expiry");
        }
    }

    public static RestoreStatus restoredUntil(Instant readableUntil) {
        return new RestoreStatus(State.RESTORED, readableUntil);
    }

    public enum State {
        NONE,
        IN_PROGRESS,
        RESTORED
    }
}
