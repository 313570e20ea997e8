package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.StorageException;

/**
 * What a verification decided for one key, or that its content is still to be compared.
 *
 * @param pair the key and the objects on each side
 * @param decision what was decided
 * @param difference what differs, in words: for {@link Decision#DIFFERENT} and the missing ones;
 *     otherwise {@code null}
 * @param failure for {@link Decision#FAILED}: why the key could not be compared; otherwise {@code null}
 */
public record PlannedCheck(ObjectPair pair, Decision decision, String difference, StorageException failure) {
    public PlannedCheck {
        requireNonNull(pair, "pair is null");
        requireNonNull(decision, "decision is null");
        if ((decision == Decision.FAILED) != (failure != null)) {
            throw new IllegalArgumentException("a failure is given exactly when the decision is FAILED: " + decision);
        }
        if (decision.reported() && difference == null) {
            throw new IllegalArgumentException(decision + " needs what differs");
        }
    }

    PlannedCheck(ObjectPair pair, Decision decision, String difference) {
        this(pair, decision, difference, null);
    }

    public enum Decision {
        /** Both sides hold it, identical by the job's {@link IdentityCheck}. */
        MATCHED(Outcome.MATCHED),
        /** Only the source holds it. */
        MISSING_AT_TARGET(Outcome.MISSING_AT_TARGET),
        /** Only the target holds it. */
        MISSING_AT_SOURCE(Outcome.MISSING_AT_SOURCE),
        /** Both hold it; size, checksum (or time, by the identity check) differ. */
        DIFFERENT(Outcome.DIFFERENT),
        /** The filters leave it out. */
        FILTERED(Outcome.SKIPPED_FILTERED),
        /** Same size, no checksum both sides report: the bytes of both are to be hashed. */
        COMPARE_CONTENT(null),
        /** What the comparison needed to ask could not be asked (the target's metadata, say). */
        FAILED(Outcome.FAILED);

        private final Outcome outcome;

        Decision(Outcome outcome) {
            this.outcome = outcome;
        }

        /** What totals count it as, or {@code null} while undecided. */
        public Outcome outcome() {
            return outcome;
        }

        /** Whether it is a finding, listed with the execution's failures. */
        public boolean reported() {
            return this == MISSING_AT_TARGET || this == MISSING_AT_SOURCE || this == DIFFERENT;
        }
    }
}
